/**
 * Session cookies on the management scope, for requests without an Authorization header (the
 * environment guard, src/auth/guard.ts, asks this first). A dashboard session acts exactly as an
 * environment token of its credential; a portal session exactly as the user token it was opened
 * with, through the self-service checks of src/self-service/guard.ts. Either way an unsafe method
 * needs the session's CSRF token and, when the browser sends one, Rollcall's own Origin (./csrf.ts).
 */
import type { FastifyRequest } from 'fastify';
import type { CookieAuthenticator } from '../auth/guard.js';
import { unauthorized } from '../http/api-errors.js';
import { admitSelfServiceCaller, selfServicePermission } from '../self-service/guard.js';
import type { SettingsService } from '../settings/service.js';
import { DASHBOARD_COOKIE, PORTAL_COOKIE } from './cookies.js';
import { checkCsrf } from './csrf.js';
import type { SessionService } from './service.js';

/** The header by which a page names the session it acts with: the portal sends `portal`. */
export const SESSION_KIND_HEADER = 'x-rollcall-session';

/**
 * Builds the authenticator. A vendor's staff may have both cookies in one browser (signed in to the
 * dashboard, then opened a customer's portal): each page names its session in `x-rollcall-session`,
 * so the portal acts as the customer's admin and never with the dashboard's rights. Without the
 * header the dashboard session wins, as it holds every right the portal session has. The cookies are
 * read from `request.cookies`: register @fastify/cookie (registerSessionCookies) in the scope first.
 */
export function sessionCookieAuthenticator(deps: { sessions: SessionService; settings: SettingsService; publicUrl: string }): CookieAuthenticator {
  return async function authenticateSessionCookie(request: FastifyRequest): Promise<boolean> {
    const { cookies } = request;
    const wanted = request.headers[SESSION_KIND_HEADER];
    const dashboardToken = wanted === 'portal' ? undefined : cookies[DASHBOARD_COOKIE];
    const portalToken = wanted === 'dashboard' ? undefined : cookies[PORTAL_COOKIE];
    if (dashboardToken === undefined && portalToken === undefined) return false;

    const dashboard = await deps.sessions.dashboard(dashboardToken);
    if (dashboard) {
      checkCsrf(request, dashboard.csrfToken, deps.publicUrl);
      request.principal = dashboard.principal;
      return true;
    }
    if (portalToken !== undefined) {
      // Same order as a user token: the route must take self-service callers before anything else.
      const permission = selfServicePermission(request, 'portal session');
      const portal = await deps.sessions.portal(portalToken);
      if (portal) {
        checkCsrf(request, portal.csrfToken, deps.publicUrl);
        await admitSelfServiceCaller(request, portal.caller, permission, deps.settings, 'portal session');
        return true;
      }
    }
    throw unauthorized('The session is invalid or has expired; sign in again');
  };
}
