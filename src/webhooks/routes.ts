/** /api/v1/webhooks — webhook endpoints, their delivery history and manual redelivery. */
import type { FastifyPluginAsync } from 'fastify';
import { EVENT_TYPES } from '../events/types.js';
import { environmentSecurity, errorResponses, pagingQuery } from '../http/schemas.js';
import { TENANT_ID_PATTERN } from '../tenants/routes.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from './store.js';
import type { WebhookInput, WebhookService } from './service.js';

const webhookProperties = {
  id: { type: 'string' },
  url: { type: 'string' },
  events: { type: ['array', 'null'], items: { type: 'string', enum: [...EVENT_TYPES] } },
  tenantId: { type: ['string', 'null'] },
  enabled: { type: 'boolean' },
  disabledReason: { type: ['string', 'null'] },
  consecutiveFailures: { type: 'integer' },
  failingSince: { type: ['string', 'null'], format: 'date-time' },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
} as const;
/** Always sent, null where they can be null (toWebhook in ./service.ts): fast-json-stringify throws on a missing one. */
const webhookRequired = ['id', 'url', 'events', 'tenantId', 'enabled', 'disabledReason', 'consecutiveFailures', 'failingSince', 'createdAt', 'updatedAt'] as const;
const webhookSchema = { type: 'object', required: webhookRequired, properties: webhookProperties } as const;

const deliverySchema = {
  type: 'object',
  // All always sent, null where they can be null (toDelivery in ./service.ts).
  required: ['id', 'webhookId', 'eventId', 'eventType', 'status', 'attempts', 'nextAttemptAt', 'lastStatusCode', 'lastError', 'lastAttemptAt', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    webhookId: { type: 'string' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    status: { type: 'string', enum: [...DELIVERY_STATUSES] },
    attempts: { type: 'integer' },
    nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
    lastStatusCode: { type: ['integer', 'null'] },
    lastError: { type: ['string', 'null'] },
    lastAttemptAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** Input properties shared by create and update; the URL is checked further in the service. */
const inputProperties = {
  url: { type: 'string', minLength: 1, maxLength: 2048, description: 'Absolute http(s) URL that receives a POST per event' },
  events: {
    type: ['array', 'null'],
    minItems: 1,
    maxItems: EVENT_TYPES.length,
    items: { type: 'string', enum: [...EVENT_TYPES] },
    description: 'Event types to receive; absent or null for all',
  },
  tenantId: { type: ['string', 'null'], pattern: TENANT_ID_PATTERN, description: "Only this tenant's events; absent or null for every tenant" },
  enabled: { type: 'boolean', description: 'true re-enables an automatically disabled webhook' },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

/** The webhook management routes; registered inside the environment-token scope. */
export const webhookRoutes: FastifyPluginAsync<{ webhooks: WebhookService }> = async (app, { webhooks }) => {
  const base = '/api/v1/webhooks';
  const tags = ['webhooks'];

  app.post<{ Body: WebhookInput }>(
    base,
    {
      schema: {
        tags,
        summary: 'Create a webhook',
        description:
          'The response carries the signing secret once; it cannot be read again. Each event is POSTed as JSON with `Rollcall-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.',
        security: environmentSecurity,
        body: { type: 'object', required: ['url'], additionalProperties: false, properties: inputProperties },
        response: {
          201: { type: 'object', required: [...webhookRequired, 'secret'], properties: { ...webhookProperties, secret: { type: 'string' } } },
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await webhooks.create(request.body)),
  );

  app.get<{ Querystring: { _limit: number; _offset: number; tenantId?: string } }>(
    base,
    {
      schema: {
        tags,
        summary: 'List webhooks, paged',
        security: environmentSecurity,
        querystring: { type: 'object', properties: { ...pagingQuery, tenantId: { type: 'string', maxLength: 128 } } },
        response: {
          200: {
            type: 'object',
            required: ['items', '_metadata'],
            properties: {
              items: { type: 'array', items: webhookSchema },
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
    async (request) => webhooks.list({ limit: request.query._limit, offset: request.query._offset, tenantId: request.query.tenantId }),
  );

  app.get<{ Params: { id: string } }>(
    `${base}/:id`,
    { schema: { tags, summary: 'Get a webhook (without its secret)', security: environmentSecurity, params: idParams, response: { 200: webhookSchema, ...errorResponses(400, 401, 404) } } },
    async (request) => webhooks.get(request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: Partial<WebhookInput> }>(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Update a webhook; `enabled: true` re-enables an automatically disabled one',
        security: environmentSecurity,
        params: idParams,
        body: { type: 'object', minProperties: 1, additionalProperties: false, properties: inputProperties },
        response: { 200: webhookSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => webhooks.update(request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>(
    `${base}/:id`,
    {
      schema: { tags, summary: 'Delete a webhook and its delivery history', security: environmentSecurity, params: idParams, response: { 204: { type: 'null' }, ...errorResponses(400, 401, 404) } },
    },
    async (request, reply) => {
      await webhooks.delete(request.params.id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string }; Querystring: { cursor?: string; limit: number; status?: DeliveryStatus } }>(
    `${base}/:id/deliveries`,
    {
      schema: {
        tags,
        summary: "A webhook's delivery history, newest first",
        description: 'Pass nextCursor as `cursor` for the next (older) page; nextCursor is null on the last page.',
        security: environmentSecurity,
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            cursor: { type: 'string', maxLength: 100 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            status: { type: 'string', enum: [...DELIVERY_STATUSES] },
          },
        },
        response: {
          200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: deliverySchema }, nextCursor: { type: ['string', 'null'] } } },
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request) => webhooks.deliveries(request.params.id, request.query),
  );

  app.post<{ Params: { id: string; deliveryId: string } }>(
    `${base}/:id/deliveries/:deliveryId/redeliver`,
    {
      schema: {
        tags,
        summary: 'Send a delivery again now, with a fresh retry schedule',
        security: environmentSecurity,
        params: {
          type: 'object',
          required: ['id', 'deliveryId'],
          properties: { id: idParams.properties.id, deliveryId: { type: 'string', minLength: 1, maxLength: 64 } },
        },
        response: { 202: deliverySchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await webhooks.redeliver(request.params.id, request.params.deliveryId)),
  );
};
