/**
 * User tokens on the management scope. The environment guard (src/auth/guard.ts) hands every
 * token that is not an environment token to this authenticator first. A route opts in to user
 * tokens by naming the permission it needs in its `config.selfService`; on every other route a
 * user token is answered 401, exactly as before. On an opted-in route the checks run before the
 * body is read: a valid token (401), the builder switch (403), the permission (403), and no other
 * tenant named in `frontegg-tenant-id`, `x-tenant-id`, `?tenantId=` or a `{tenantId}` path segment
 * (403). A portal session cookie (src/sessions/cookie-auth.ts) goes through the same checks.
 */
import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../http/api-errors.js';
import { TOKEN_PREFIXES } from '../security/secrets.js';
import type { SettingsService } from '../settings/service.js';
import type { UserTokenService } from '../user-tokens/service.js';
import type { SelfServiceCaller } from './caller.js';

export const SELF_SERVICE_DISABLED = 'SCIM provisioning is not enabled for self-service';

/** Every tenant the request names, in its headers, query or path (`/api/v1/tenants/{tenantId}/…`). */
function namedTenants(request: FastifyRequest): string[] {
  const out: string[] = [];
  for (const header of ['frontegg-tenant-id', 'x-tenant-id']) {
    const raw = request.headers[header];
    for (const value of Array.isArray(raw) ? raw : [raw]) if (value) out.push(value);
  }
  const query = (request.query ?? {}) as Record<string, unknown>;
  for (const value of [query.tenantId].flat()) if (typeof value === 'string' && value !== '') out.push(value);
  const params = (request.params ?? {}) as Record<string, unknown>;
  if (typeof params.tenantId === 'string') out.push(params.tenantId);
  return out;
}

const looksLikeJwt = (token: string) => token.split('.').length === 3;

/** What stands for the caller, for messages: a user token, or a portal session opened with one (src/sessions). */
export type SelfServiceCredential = 'user token' | 'portal session';

/** The permission the route asks of self-service callers; 401 when the route takes none. */
export function selfServicePermission(request: FastifyRequest, credential: SelfServiceCredential = 'user token'): string {
  const permission = request.routeOptions.config?.selfService;
  if (!permission) throw unauthorized(`This route needs an environment token; a ${credential} opens only the self-service SCIM configuration endpoints`);
  return permission;
}

/**
 * The checks after a self-service caller is verified, the same for a user token and for a portal
 * session: the builder switch, the permission and no other tenant named (403 each). Sets
 * `request.selfService` when they pass.
 */
export async function admitSelfServiceCaller(
  request: FastifyRequest,
  caller: SelfServiceCaller,
  permission: string,
  settings: SettingsService,
  credential: SelfServiceCredential = 'user token',
): Promise<void> {
  if (!(await settings.selfServiceScimEnabled())) throw forbidden(SELF_SERVICE_DISABLED);
  if (!caller.permissions.has(permission)) throw forbidden(`The ${credential} lacks the permission ${permission}`);
  const other = namedTenants(request).find((t) => t !== caller.tenantId);
  if (other !== undefined) throw forbidden(`The ${credential} is for tenant "${caller.tenantId}" and cannot act on tenant "${other}"`);
  request.selfService = caller;
}

/**
 * Authenticates user tokens on self-service routes. Returns false for tokens it leaves to the
 * environment check; sets `request.selfService` and returns true for an accepted user token.
 */
export function selfServiceAuthenticator(deps: { userTokens: UserTokenService; settings: SettingsService }) {
  return async function authenticateUserToken(request: FastifyRequest, token: string): Promise<boolean> {
    // Anything that is not shaped like a JWT gets the environment check and its answer, as before.
    if (token.startsWith(TOKEN_PREFIXES.environment) || !looksLikeJwt(token)) return false;
    const permission = selfServicePermission(request);
    const { caller, refused } = await deps.userTokens.check(token);
    if (!caller) {
      // One answer for every refusal; the reason (never the token) is for the operator.
      request.log.info({ reason: refused }, 'user token refused');
      throw unauthorized('The user token is invalid or has expired');
    }
    await admitSelfServiceCaller(request, caller, permission, deps.settings);
    return true;
  };
}
