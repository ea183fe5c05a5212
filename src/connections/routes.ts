/** /directory/resources/v1/configurations/scim2 — Frontegg-compatible SCIM configuration API. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { validationFailed } from '../http/api-errors.js';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import { TENANT_ID_PATTERN } from '../tenants/routes.js';
import type { ConnectionService } from './service.js';
import { SOURCES, type Source } from './sources.js';

const connectionProperties = {
  id: { type: 'string' },
  tenantId: { type: 'string' },
  connectionName: { type: 'string' },
  source: { type: 'string', enum: [...SOURCES] },
  syncToUserManagement: { type: 'boolean' },
  lastSync: { type: ['string', 'null'], format: 'date-time' },
  createdAt: { type: 'string', format: 'date-time' },
  provisioningUrl: { type: 'string' },
} as const;

const connectionSchema = { type: 'object', properties: connectionProperties } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const tenantIdRegex = new RegExp(TENANT_ID_PATTERN);

/** The tenant named by `frontegg-tenant-id` (or its alias `x-tenant-id`). */
function tenantHeader(request: FastifyRequest): string {
  const raw = request.headers['frontegg-tenant-id'] ?? request.headers['x-tenant-id'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) throw validationFailed('The frontegg-tenant-id header (or x-tenant-id) is required', 'headers.frontegg-tenant-id');
  if (!tenantIdRegex.test(value)) throw validationFailed('The frontegg-tenant-id header is not a valid tenant id', 'headers.frontegg-tenant-id');
  return value;
}

export const connectionRoutes: FastifyPluginAsync<{ connections: ConnectionService }> = async (app, { connections }) => {
  const base = '/directory/resources/v1/configurations/scim2';
  const tags = ['scim configurations'];

  app.post<{ Body: { source: Source; connectionName: string; syncToUserManagement?: boolean } }>(
    base,
    {
      schema: {
        tags,
        summary: 'Create a SCIM configuration (connection) for the tenant in frontegg-tenant-id',
        description: 'The response carries the bearer token once; it cannot be read again.',
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
        response: { 201: { type: 'object', properties: { ...connectionProperties, token: { type: 'string' } } }, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const tenantId = tenantHeader(request);
      const created = await connections.create(tenantId, {
        source: request.body.source,
        connectionName: request.body.connectionName.trim(),
        syncToUserManagement: request.body.syncToUserManagement ?? true,
      });
      return reply.code(201).send(created);
    },
  );

  app.get<{ Querystring: { tenantId?: string; source?: Source; connectionName?: string; id?: string } }>(
    base,
    {
      schema: {
        tags,
        summary: 'List SCIM configurations of the environment',
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
        response: { 200: { type: 'array', items: connectionSchema }, ...errorResponses(400, 401) },
      },
    },
    async (request) => connections.list(request.query),
  );

  app.get<{ Params: { id: string } }>(
    `${base}/:id`,
    {
      schema: { tags, summary: 'Get a SCIM configuration', security: environmentSecurity, params: idParams, response: { 200: connectionSchema, ...errorResponses(400, 401, 404) } },
    },
    async (request) => connections.get(request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: { syncToUserManagement?: boolean; connectionName?: string } }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Update a SCIM configuration',
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
      await connections.update(request.params.id, {
        syncToUserManagement: request.body.syncToUserManagement,
        connectionName: request.body.connectionName?.trim(),
      });
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { id: string }; Querystring: { removeUsersAndGroups: boolean } }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a SCIM configuration',
        description:
          'The token stops working at once. With removeUsersAndGroups=true every user and group the connection provisioned is deleted in the same transaction; otherwise they stay, detached.',
        security: environmentSecurity,
        params: idParams,
        querystring: { type: 'object', properties: { removeUsersAndGroups: { type: 'boolean', default: false } } },
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await connections.delete(request.params.id, { removeUsersAndGroups: request.query.removeUsersAndGroups });
      return reply.code(204).send();
    },
  );
};
