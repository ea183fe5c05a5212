/**
 * /ui/session (dashboard) and /ui/portal/session (self-service portal): sign in, who is signed in,
 * sign out. Public in the sense of the route walk: each authenticates its caller itself. The session
 * token travels only in an HttpOnly cookie; the answers carry the CSRF token the UI must echo in
 * `x-csrf-token` on every unsafe request.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { unauthorized } from '../http/api-errors.js';
import { errorResponses } from '../http/schemas.js';
import type { PortalTheme } from '../settings/portal-theme.js';
import type { SettingsService } from '../settings/service.js';
import { MAX_TOKEN_LENGTH } from '../user-tokens/jwt.js';
import { SESSION_COOKIES, registerSessionCookies, sessionCookieOptions } from './cookies.js';
import { checkCsrf, checkOrigin } from './csrf.js';
import type { DashboardSession, PortalSession, SessionKind, SessionService } from './service.js';

/** What the routes need. */
export interface SessionRouteOptions {
  sessions: SessionService;
  settings: SettingsService;
  /** PUBLIC_URL: https turns on `Secure` (and the portal's cross-site cookie), and it is an allowed Origin. */
  publicUrl: string;
  /** FRAME_ANCESTORS as parsed: who may embed the portal, and so hand it a token by postMessage. */
  frameAncestors: string;
}

const tags = ['web UI sessions'];

const dashboardSchema = {
  type: 'object',
  required: ['kind', 'clientId', 'credentialName', 'csrfToken', 'expiresAt'],
  properties: {
    kind: { type: 'string', enum: ['dashboard'] },
    clientId: { type: 'string' },
    credentialName: { type: 'string', description: "The vendor credential's name (`rollcall credentials create --name`); may be empty" },
    csrfToken: { type: 'string', description: 'Send as x-csrf-token on every unsafe request authenticated by the cookie' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

const portalSchema = {
  type: 'object',
  required: ['kind', 'tenantId', 'userId', 'email', 'permissions', 'scimProvisioning', 'theme', 'csrfToken', 'expiresAt'],
  properties: {
    kind: { type: 'string', enum: ['portal'] },
    tenantId: { type: 'string' },
    userId: { type: 'string' },
    email: { type: ['string', 'null'] },
    permissions: { type: 'array', items: { type: 'string' } },
    scimProvisioning: { type: 'boolean', description: 'Whether the vendor has turned self-service SCIM provisioning on (live)' },
    theme: {
      type: 'object',
      description: "The vendor's portal theme (builder settings)",
      required: ['brandColor', 'logoUrl', 'productName'],
      properties: { brandColor: { type: ['string', 'null'] }, logoUrl: { type: ['string', 'null'] }, productName: { type: ['string', 'null'] } },
    },
    csrfToken: { type: 'string', description: 'Send as x-csrf-token on every unsafe request authenticated by the cookie' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

const dashboardBody = (session: DashboardSession) => ({
  kind: session.kind,
  clientId: session.principal.clientId,
  credentialName: session.principal.name,
  csrfToken: session.csrfToken,
  expiresAt: session.expiresAt,
});

const portalBody = (session: PortalSession, scimProvisioning: boolean, theme: PortalTheme) => ({
  kind: session.kind,
  tenantId: session.caller.tenantId,
  userId: session.caller.userId,
  email: session.caller.email ?? null,
  permissions: [...session.caller.permissions],
  scimProvisioning,
  theme,
  csrfToken: session.csrfToken,
  expiresAt: session.expiresAt,
});

/** Whole seconds until `expiresAt`, for Max-Age. */
const secondsUntil = (expiresAt: string) => Math.ceil((Date.parse(expiresAt) - Date.now()) / 1000);

export const sessionRoutes: FastifyPluginAsync<SessionRouteOptions> = async (app, { sessions, settings, publicUrl, frameAncestors: ancestors }) => {
  await registerSessionCookies(app);
  const cookieOptions = sessionCookieOptions(publicUrl.startsWith('https:'));
  const setCookie = (reply: FastifyReply, kind: SessionKind, token: string, maxAgeSeconds: number) =>
    reply.setCookie(SESSION_COOKIES[kind], token, { ...cookieOptions[kind], maxAge: Math.max(0, maxAgeSeconds) });
  const clearCookie = (reply: FastifyReply, kind: SessionKind) => reply.clearCookie(SESSION_COOKIES[kind], cookieOptions[kind]);
  const cookieToken = (request: FastifyRequest, kind: SessionKind) => request.cookies[SESSION_COOKIES[kind]];

  /** Sign-out of either kind: CSRF-checked when the session is live; the cookie is cleared in any case. */
  async function signOut(request: FastifyRequest, reply: FastifyReply, kind: SessionKind) {
    const token = cookieToken(request, kind);
    const session = kind === 'dashboard' ? await sessions.dashboard(token) : await sessions.portal(token);
    if (session) checkCsrf(request, session.csrfToken, publicUrl);
    await sessions.close(kind, token);
    return clearCookie(reply, kind).code(204).send();
  }

  app.post<{ Body: { clientId: string; secret: string } }>(
    '/ui/session',
    {
      bodyLimit: 16 * 1024,
      // The vendor secret, as at POST /auth/vendor: guessing it is refused before the check (src/limits/auth-throttle.ts).
      config: { vendorSignIn: true },
      schema: {
        tags,
        summary: 'Sign in to the dashboard with a vendor credential (sets the rollcall_session cookie)',
        body: {
          type: 'object',
          required: ['clientId', 'secret'],
          properties: {
            clientId: { type: 'string', minLength: 1, maxLength: 200 },
            // As long as POST /auth/vendor and ROLLCALL_CLIENT_SECRET allow.
            secret: { type: 'string', minLength: 1, maxLength: 256 },
          },
        },
        response: { 200: dashboardSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      // No session yet, so no CSRF token: a sign-in from a foreign page is refused by its Origin.
      checkOrigin(request, publicUrl);
      const opened = await sessions.openDashboard(request.body.clientId, request.body.secret);
      if (!opened) throw unauthorized('Invalid clientId or secret');
      setCookie(reply, 'dashboard', opened.token, secondsUntil(opened.session.expiresAt));
      return dashboardBody(opened.session);
    },
  );

  app.get(
    '/ui/session',
    {
      schema: {
        tags,
        summary: 'The signed-in dashboard session',
        description: '204 when the request carries no dashboard session cookie (nobody signed in); 401 when it carries one that opens no live session.',
        response: { 200: dashboardSchema, 204: { type: 'null', description: 'Nobody is signed in' }, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const token = cookieToken(request, 'dashboard');
      // The sign-in page asks on every load: having no session is an answer, not an error. A cookie that
      // opens nothing stays a 401, which the failed-authentication throttle counts (src/limits/auth-throttle.ts).
      if (!token) return reply.code(204).send();
      const session = await sessions.dashboard(token);
      if (!session) throw unauthorized('No dashboard session; sign in');
      return dashboardBody(session);
    },
  );

  app.delete(
    '/ui/session',
    { schema: { tags, summary: 'Sign out of the dashboard (needs x-csrf-token); clears the cookie', response: { 204: { type: 'null' }, ...errorResponses(403) } } },
    (request, reply) => signOut(request, reply, 'dashboard'),
  );

  app.post<{ Body: { token: string } }>(
    '/ui/portal/session',
    {
      bodyLimit: 16 * 1024,
      schema: {
        tags,
        summary: 'Open the self-service portal with a user token (sets the rollcall_portal cookie)',
        body: { type: 'object', required: ['token'], properties: { token: { type: 'string', minLength: 1, maxLength: MAX_TOKEN_LENGTH } } },
        response: { 200: portalSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      checkOrigin(request, publicUrl);
      const opened = await sessions.openPortal(request.body.token, (reason) => request.log.info({ reason }, 'user token refused'));
      if (!opened) throw unauthorized('The user token is invalid or has expired');
      setCookie(reply, 'portal', opened.token, secondsUntil(opened.session.expiresAt));
      return portalBody(opened.session, await settings.selfServiceScimEnabled(), await settings.portalTheme());
    },
  );

  // Public, like the CSP header that carries the same list on every response.
  const frameAncestors = ancestors === "'none'" ? [] : ancestors.split(' ');
  app.get(
    '/ui/portal/embedding',
    {
      schema: {
        tags,
        summary: 'Who may embed the portal (FRAME_ANCESTORS), and so hand it a user token by postMessage',
        response: { 200: { type: 'object', required: ['frameAncestors'], properties: { frameAncestors: { type: 'array', items: { type: 'string' } } } } },
      },
    },
    async () => ({ frameAncestors }),
  );

  app.get('/ui/portal/session', { schema: { tags, summary: 'The signed-in portal session', response: { 200: portalSchema, ...errorResponses(401) } } }, async (request) => {
    const session = await sessions.portal(cookieToken(request, 'portal'));
    if (!session) throw unauthorized('No portal session; open the portal with a user token');
    return portalBody(session, await settings.selfServiceScimEnabled(), await settings.portalTheme());
  });

  app.delete(
    '/ui/portal/session',
    { schema: { tags, summary: 'Sign out of the portal (needs x-csrf-token); clears the cookie', response: { 204: { type: 'null' }, ...errorResponses(403) } } },
    (request, reply) => signOut(request, reply, 'portal'),
  );
};
