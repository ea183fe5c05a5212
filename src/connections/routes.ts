/** /directory/resources/v1/configurations/scim2 — Frontegg-compatible SCIM configuration API. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { actorOf } from '../audit/actor.js';
import { logAuditFailures } from '../audit/with-change.js';
import { validationFailed } from '../http/api-errors.js';
import { PROVISIONING_PERMISSIONS } from '../roles/permissions.js';
import '../self-service/caller.js';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import { TENANT_ID_PATTERN } from '../tenants/routes.js';
import { GO_LIVE_NOTE } from './go-live-routes.js';
import type { ConnectionService } from './service.js';
import { CONNECTION_SOURCES, CONNECTION_TYPES, SOURCES, type Source } from './sources.js';

/** A connection's fields in responses (also the base of the dashboard overview's items). */
export const connectionProperties = {
  id: { type: 'string' },
  tenantId: { type: 'string' },
  connectionName: { type: 'string' },
  source: { type: 'string', enum: [...CONNECTION_SOURCES] },
  type: { type: 'string', enum: [...CONNECTION_TYPES], description: '"scim": the IdP pushes users and groups. "google-workspace": Rollcall reads them from Google (docs/google-workspace.md).' },
  syncToUserManagement: { type: 'boolean' },
  lastSync: { type: ['string', 'null'], format: 'date-time' },
  createdAt: { type: 'string', format: 'date-time' },
  provisioningUrl: { type: 'string' },
} as const;

/** Every connection answer carries all of them (lastSync may be null). */
export const connectionRequired = Object.keys(connectionProperties) as (keyof typeof connectionProperties)[];

const connectionSchema = { type: 'object', required: connectionRequired, properties: connectionProperties } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const tenantIdRegex = new RegExp(TENANT_ID_PATTERN);

/** The tenant named by `frontegg-tenant-id` (or its alias `x-tenant-id`). */
export function tenantHeader(request: FastifyRequest): string {
  const raw = request.headers['frontegg-tenant-id'] ?? request.headers['x-tenant-id'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) throw validationFailed('The frontegg-tenant-id header (or x-tenant-id) is required', 'headers.frontegg-tenant-id');
  if (!tenantIdRegex.test(value)) throw validationFailed('The frontegg-tenant-id header is not a valid tenant id', 'headers.frontegg-tenant-id');
  return value;
}

/** How a route answers a user token (self-service): see src/self-service/guard.ts. */
const selfServiceNote = (permission: string) =>
  `Also accepts a user token carrying ${permission} while the builder setting selfService.scimProvisioning is on: the tenant is the token's, and naming another tenant is a 403.`;

/**
 * Every change writes its audit entry in its own transaction (src/audit/with-change.ts): one that cannot
 * be written leaves the connection as it was, answered 500.
 */
export const connectionRoutes: FastifyPluginAsync<{ connections: ConnectionService }> = async (app, { connections }) => {
  const base = '/directory/resources/v1/configurations/scim2';
  const tags = ['scim configurations'];
  logAuditFailures(app);

  app.post<{ Body: { source: Source; connectionName: string; syncToUserManagement?: boolean } }>(
    base,
    {
      schema: {
        tags,
        summary: 'Create a SCIM configuration (connection) for the tenant in frontegg-tenant-id',
        description: `The response carries the bearer token once; it cannot be read again. ${selfServiceNote(PROVISIONING_PERMISSIONS.write)} The header is then optional, and a tenant that already has MAX_CONNECTIONS_PER_TENANT configurations (default 10) gets a 409; an environment token is not capped.`,
        security: environmentSecurity,
        headers: { type: 'object', properties: { 'frontegg-tenant-id': { type: 'string' }, 'x-tenant-id': { type: 'string' } } },
        body: {
          type: 'object',
          required: ['source', 'connectionName'],
          properties: {
            source: { type: 'string', enum: [...SOURCES] },
            connectionName: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
            syncToUserManagement: { type: 'boolean', default: true },
          },
        },
        response: { 201: { type: 'object', required: [...connectionRequired, 'token'], properties: { ...connectionProperties, token: { type: 'string' } } }, ...errorResponses(400, 401, 403, 404, 409) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.write },
    },
    async (request, reply) => {
      const tenantId = request.selfService?.tenantId ?? tenantHeader(request);
      const input = {
        source: request.body.source,
        connectionName: request.body.connectionName.trim(),
        syncToUserManagement: request.body.syncToUserManagement ?? true,
      };
      const created = await connections.create(actorOf(request), tenantId, input, { selfService: Boolean(request.selfService) });
      return reply.code(201).send(created);
    },
  );

  app.get<{ Querystring: { tenantId?: string; source?: Source; connectionName?: string; id?: string } }>(
    base,
    {
      schema: {
        tags,
        summary: 'List SCIM configurations of the environment',
        description: `${selfServiceNote(PROVISIONING_PERMISSIONS.read)} Only that tenant's configurations are listed.`,
        security: environmentSecurity,
        querystring: {
          type: 'object',
          properties: {
            tenantId: { type: 'string', maxLength: 128 },
            source: { type: 'string', enum: [...SOURCES] },
            connectionName: { type: 'string', maxLength: 200 },
            id: { type: 'string', maxLength: 64 },
          },
        },
        response: { 200: { type: 'array', items: connectionSchema }, ...errorResponses(400, 401, 403) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.read },
    },
    // SCIM configurations only: Google Workspace connections are listed by GET /api/v1/tenants/{tenantId}/connections.
    async (request) => (await connections.list(request.selfService ? { ...request.query, tenantId: request.selfService.tenantId } : request.query)).filter((c) => c.type === 'scim'),
  );

  app.get<{ Params: { id: string } }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Get a SCIM configuration',
        description: `${selfServiceNote(PROVISIONING_PERMISSIONS.read)} Another tenant's configuration is a 404.`,
        security: environmentSecurity,
        params: idParams,
        response: { 200: connectionSchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.read },
    },
    async (request) => connections.get(request.params.id, request.selfService?.tenantId),
  );

  app.patch<{ Params: { id: string }; Body: { syncToUserManagement?: boolean; connectionName?: string } }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Update a SCIM configuration',
        description: `${GO_LIVE_NOTE} GET /api/v1/connections/{id}/go-live-preview shows beforehand what going live will emit.`,
        security: environmentSecurity,
        params: idParams,
        body: {
          type: 'object',
          minProperties: 1,
          additionalProperties: false,
          properties: {
            syncToUserManagement: { type: 'boolean' },
            connectionName: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
          },
        },
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const changes = { syncToUserManagement: request.body.syncToUserManagement, connectionName: request.body.connectionName?.trim() };
      await connections.update(actorOf(request), request.params.id, changes);
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { id: string }; Querystring: { removeUsersAndGroups?: boolean } }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a SCIM configuration',
        description:
          `The token stops working at once. With removeUsersAndGroups=true every user and group the connection provisioned is deleted in the same transaction; otherwise they stay, detached. A staging connection's (syncToUserManagement false) are always deleted, without events: the app never saw them. ${selfServiceNote(PROVISIONING_PERMISSIONS.delete)} Self-service deletes remove users and groups unless removeUsersAndGroups=false.`,
        security: environmentSecurity,
        params: idParams,
        querystring: {
          type: 'object',
          properties: { removeUsersAndGroups: { type: 'boolean', description: 'Default false with an environment token, true with a user token (self-service)' } },
        },
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.delete },
    },
    async (request, reply) => {
      const tenantId = request.selfService?.tenantId;
      // The API keeps Frontegg's default (keep the data); the portal, like Frontegg's dashboard, removes it.
      const removeUsersAndGroups = request.query.removeUsersAndGroups ?? Boolean(request.selfService);
      await connections.delete(actorOf(request), request.params.id, { removeUsersAndGroups, tenantId });
      return reply.code(204).send();
    },
  );
};
