/** The authenticated connection of a SCIM request, and the base URL its resources live under. */
import type { FastifyRequest } from 'fastify';
import type { ScimContext } from '../../connections/service.js';
import { requestIdOf } from '../../monitoring/scim-hook.js';
import { unauthorized } from '../errors.js';
import type { FilterOptions } from '../filter/parser.js';
import type { ConnectionScope, WritePolicy } from '../store/scope.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The connection a SCIM bearer token opened; set by the SCIM auth hook. */
    scim: ScimContext | null;
  }
}

/** The scope every SCIM store call of this request uses, with the connection's write policy. */
export function scopeOf(request: FastifyRequest): ConnectionScope {
  const scim = request.scim;
  if (!scim) throw unauthorized();
  const { removedActive, unknownMembers } = scim.compatibility;
  const writePolicy: WritePolicy = {
    removedActive,
    ignoreUnknownMembers:
      unknownMembers === 'ignore'
        ? (ids) => request.log.warn({ connectionId: scim.connectionId, ignoredMemberIds: ids.slice(0, 100), ignoredMembers: ids.length }, 'group write: member ids that are no user or group of this connection were left out')
        : undefined,
  };
  return {
    tenantId: scim.tenantId,
    connectionId: scim.connectionId,
    emitEvents: scim.syncToUserManagement,
    writePolicy,
    attributes: scim.attributes,
    requestId: requestIdOf(request),
  };
}

/** `{PUBLIC_URL}/directory/resources/scim/v2.0/{connectionId}`: where `meta.location` points. */
export function scimBaseUrl(request: FastifyRequest): string {
  return request.scim?.baseUrl ?? '';
}

/** How this connection's filters are read (its `unquotedFilterValues` switch). */
export function filterOptionsOf(request: FastifyRequest): FilterOptions {
  return { unquotedValues: request.scim?.compatibility.unquotedFilterValues === true };
}
