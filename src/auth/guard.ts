/** The onRequest hook that admits only callers with a live environment token. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { unauthorized } from '../http/api-errors.js';
import { bearerToken } from '../http/bearer.js';
import type { AuthService, EnvironmentPrincipal } from './service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller of a management route; set by the auth guard. */
    principal: EnvironmentPrincipal | null;
  }
}

/**
 * Looks at a bearer token before the environment check (self-service user tokens, src/self-service):
 * true when it authenticated the request itself, false to leave the token to the environment check.
 */
export type TokenAuthenticator = (request: FastifyRequest, token: string) => Promise<boolean>;

/**
 * Looks at the session cookies of a request without an Authorization header (web UI, src/sessions):
 * true when a cookie authenticated the request (it sets `request.principal` or `request.selfService`).
 */
export type CookieAuthenticator = (request: FastifyRequest) => Promise<boolean>;

/**
 * Builds the guard; routes that use it can rely on `request.principal`, except where `other`
 * accepted the token or `cookies` a portal session (they then set their own request field).
 */
export function requireEnvironmentToken(auth: AuthService, other?: TokenAuthenticator, cookies?: CookieAuthenticator) {
  return async function environmentGuard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    // An Authorization header, when present, decides alone: cookies are looked at only without one.
    if (request.headers.authorization === undefined && cookies && (await cookies(request))) return;
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthorized();
    if (other && (await other(request, token))) return;
    const principal = await auth.authenticate(token);
    if (!principal) throw unauthorized('The environment token is invalid or has expired');
    request.principal = principal;
  };
}
