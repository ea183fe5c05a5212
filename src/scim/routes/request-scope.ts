/** The authenticated connection of a SCIM request, and the base URL its resources live under. */
import type { FastifyRequest } from 'fastify';
import type { ScimContext } from '../../connections/service.js';
import { unauthorized } from '../errors.js';
import type { ConnectionScope } from '../store/scope.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The connection a SCIM bearer token opened; set by the SCIM auth hook. */
    scim: ScimContext | null;
  }
}

/** The scope every SCIM store call of this request uses. */
export function scopeOf(request: FastifyRequest): ConnectionScope {
  if (!request.scim) throw unauthorized();
  return { tenantId: request.scim.tenantId, connectionId: request.scim.connectionId, emitEvents: request.scim.syncToUserManagement };
}

/** `{PUBLIC_URL}/directory/resources/scim/v2.0/{connectionId}`: where `meta.location` points. */
export function scimBaseUrl(request: FastifyRequest): string {
  return request.scim?.baseUrl ?? '';
}
