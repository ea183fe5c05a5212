/** /tenants/resources/tenants/v1 — Frontegg-compatible tenant management. */
import type { FastifyPluginAsync } from 'fastify';
import { environmentSecurity, errorResponses, pagingQuery } from '../http/schemas.js';
import type { TenantService } from './service.js';

/** Tenant ids are chosen by the vendor: keep them URL- and log-safe. */
export const TENANT_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$';

const tenantSchema = {
  type: 'object',
  required: ['tenantId', 'name', 'createdAt', 'updatedAt'],
  properties: {
    tenantId: { type: 'string' },
    name: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const tenantParams = {
  type: 'object',
  required: ['tenantId'],
  properties: { tenantId: { type: 'string', pattern: TENANT_ID_PATTERN } },
} as const;

export const tenantRoutes: FastifyPluginAsync<{ tenants: TenantService }> = async (app, { tenants }) => {
  const base = '/tenants/resources/tenants/v1';
  const tags = ['tenants'];

  app.post<{ Body: { tenantId?: string; name: string } }>(
    base,
    {
      schema: {
        tags,
        summary: 'Create a tenant (account)',
        security: environmentSecurity,
        body: {
          type: 'object',
          required: ['name'],
          properties: {
            tenantId: { type: 'string', pattern: TENANT_ID_PATTERN, description: 'Chosen by the vendor; generated when absent' },
            name: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: { 201: tenantSchema, ...errorResponses(400, 401, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await tenants.create({ tenantId: request.body.tenantId, name: request.body.name.trim() || request.body.name })),
  );

  app.get<{ Querystring: { _limit: number; _offset: number; _filter?: string } }>(
    base,
    {
      schema: {
        tags,
        summary: 'List tenants, paged',
        security: environmentSecurity,
        querystring: {
          type: 'object',
          properties: { ...pagingQuery, _filter: { type: 'string', maxLength: 200, description: 'Matches name or tenantId' } },
        },
        response: {
          200: {
            type: 'object',
            required: ['items', '_metadata'],
            properties: {
              items: { type: 'array', items: tenantSchema },
              _metadata: {
                type: 'object',
                required: ['totalItems', 'totalPages', 'limit', 'offset'],
                properties: { totalItems: { type: 'integer' }, totalPages: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } },
              },
            },
          },
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => tenants.list({ limit: request.query._limit, offset: request.query._offset, search: request.query._filter }),
  );

  app.get<{ Params: { tenantId: string } }>(
    `${base}/:tenantId`,
    {
      schema: { tags, summary: 'Get a tenant', security: environmentSecurity, params: tenantParams, response: { 200: tenantSchema, ...errorResponses(400, 401, 404) } },
    },
    async (request) => tenants.get(request.params.tenantId),
  );

  app.delete<{ Params: { tenantId: string } }>(
    `${base}/:tenantId`,
    {
      schema: {
        tags,
        summary: 'Delete a tenant with its connections and everything they provisioned',
        security: environmentSecurity,
        params: tenantParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await tenants.delete(request.params.tenantId);
      return reply.code(204).send();
    },
  );
};
