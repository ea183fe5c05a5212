/**
 * /api/v1/connections/{id}/compatibility: a connection's compatibility switches
 * (src/connections/compatibility.ts). The vendor's environment token, or in self-service a user
 * token of the connection's tenant: the read permission to see them, the write permission to set them.
 */
import type { FastifyPluginAsync } from 'fastify';
import { actorOf } from '../audit/actor.js';
import { environmentSecurity, errorResponses, selfServiceNote } from '../http/schemas.js';
import { PROVISIONING_PERMISSIONS } from '../roles/permissions.js';
import '../self-service/caller.js';
import { GROUP_PATCH_RESPONSES, MAX_GROUP_PATCH_MEMBERS, REMOVED_ACTIVE_READINGS, UNKNOWN_MEMBER_POLICIES } from './compatibility.js';
import type { CompatibilityService, CompatibilityUpdate } from './compatibility-service.js';

const switchProperties = {
  groupPatchResponse: {
    type: 'string',
    enum: [...GROUP_PATCH_RESPONSES],
    description: '"204": a Group PATCH answers 204 No Content (unless it asks for attributes or a representation). "200": it answers 200 with the group.',
  },
  groupPatchMaxMembers: {
    type: 'integer',
    minimum: 0,
    maximum: MAX_GROUP_PATCH_MEMBERS,
    description: 'With "200": a group with more members than this is answered without "members", so a large group never sends its whole member list.',
  },
  unquotedFilterValues: {
    type: 'boolean',
    description: 'Accept a bare value after a filter operator (userName eq jdoe@acme.com) in list and search filters; false: 400 invalidFilter, as RFC 7644 requires quotes.',
  },
  unknownMembers: {
    type: 'string',
    enum: [...UNKNOWN_MEMBER_POLICIES],
    description: '"reject": a group write naming a member that is no user or group of this connection is a 400 invalidValue. "ignore": the write goes ahead without it, and the ids are logged.',
  },
  removedActive: {
    type: 'string',
    enum: [...REMOVED_ACTIVE_READINGS],
    description: 'What a PATCH removing "active" means: "inactive" (the user is deactivated) or "active".',
  },
} as const;
const switchKeys = Object.keys(switchProperties) as (keyof typeof switchProperties)[];

const defaultsSchema = { type: 'object', required: switchKeys, properties: switchProperties } as const;
const compatibilitySchema = {
  type: 'object',
  required: [...switchKeys, 'defaults'],
  properties: {
    ...switchProperties,
    defaults: { ...defaultsSchema, readOnly: true, description: "What each switch is when the connection sets none: its source preset's value" },
  },
} as const;
const nullable = <T extends object>(schema: T) => ({ anyOf: [schema, { type: 'null' }] });
const updateSchema = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(switchKeys.map((key) => [key, nullable(switchProperties[key])])),
    // What a GET returned may be sent back whole: the read-only defaults are ignored.
    defaults: { type: 'object' },
  },
} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

export const compatibilityRoutes: FastifyPluginAsync<{ compatibility: CompatibilityService }> = async (app, { compatibility }) => {
  const path = '/api/v1/connections/:id/compatibility';
  const tags = ['scim connection compatibility'];
  const selfService = selfServiceNote;

  app.get<{ Params: { id: string } }>(
    path,
    {
      schema: {
        tags,
        summary: "A SCIM connection's compatibility switches",
        description: `Each switch's effective value: the connection's own, else its source preset's (under "defaults"). docs/scim.md lists the clients that need each. ${selfService(PROVISIONING_PERMISSIONS.read)}`,
        security: environmentSecurity,
        params: idParams,
        response: { 200: compatibilitySchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.read },
    },
    async (request) => compatibility.get(request.params.id, request.selfService?.tenantId),
  );

  app.put<{ Params: { id: string }; Body: CompatibilityUpdate & { defaults?: unknown } }>(
    path,
    {
      schema: {
        tags,
        summary: "Change a SCIM connection's compatibility switches",
        description: `Sets the switches the body names; null sets one back to its preset's default; the others keep their values. Takes effect on the connection's next SCIM request, in every process, and is recorded in the audit log. ${selfService(PROVISIONING_PERMISSIONS.write)}`,
        security: environmentSecurity,
        params: idParams,
        body: updateSchema,
        response: { 200: compatibilitySchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.write },
    },
    async (request) => {
      const { defaults: _readOnly, ...update } = request.body;
      const result = await compatibility.set(request.params.id, update, actorOf(request), request.selfService?.tenantId);
      request.log.info({ connectionId: request.params.id, compatibility: update }, 'SCIM connection compatibility changed');
      return result;
    },
  );
};
