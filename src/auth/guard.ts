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
 * Builds the guard; routes that use it can rely on `request.principal`, except where `other`
 * accepted the token (it then sets its own request field).
 */
export function requireEnvironmentToken(auth: AuthService, other?: TokenAuthenticator) {
  return async function environmentGuard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthorized();
    if (other && (await other(request, token))) return;
    const principal = await auth.authenticate(token);
    if (!principal) throw unauthorized('The environment token is invalid or has expired');
    request.principal = principal;
  };
}
