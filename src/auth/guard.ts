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

/** Builds the guard; routes that use it can rely on `request.principal`. */
export function requireEnvironmentToken(auth: AuthService) {
  return async function environmentGuard(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthorized();
    const principal = await auth.authenticate(token);
    if (!principal) throw unauthorized('The environment token is invalid or has expired');
    request.principal = principal;
  };
}
