/** Who made a change, as the audit log records it. */
import type { FastifyRequest } from 'fastify';
import '../auth/guard.js';
import '../self-service/caller.js';

/** An environment-token caller (a vendor credential) or a user-token caller (a person of a tenant). */
export type Actor =
  | { type: 'credential'; id: string; clientId: string }
  | { type: 'user'; id: string; tenantId: string };

/** The actor of an authenticated management or self-service request. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.selfService) return { type: 'user', id: request.selfService.userId, tenantId: request.selfService.tenantId };
  if (request.principal) return { type: 'credential', id: request.principal.credentialId, clientId: request.principal.clientId };
  // Only reachable if a route that changes something were registered outside the guarded scope.
  throw new Error('actorOf: the request has no authenticated caller');
}
