/** GET /api/v1/logs and /api/v1/logs/summary — the SCIM request log for troubleshooting. */
import type { FastifyPluginAsync } from 'fastify';
import { validationFailed } from '../http/api-errors.js';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import type { MonitoringService } from './service.js';
import type { LogQuery } from './store.js';
import { BUCKETS, MAX_BUCKETS, type Bucket } from './timeseries.js';

const entrySchema = {
  type: 'object',
  required: ['id', 'at', 'tenantId', 'connectionId', 'connectionName', 'method', 'path', 'query', 'status', 'durationMs', 'scimType', 'detail', 'userAgent', 'body', 'requestId'],
  properties: {
    id: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    tenantId: { type: 'string' },
    connectionId: { type: 'string' },
    connectionName: { type: ['string', 'null'], description: 'The connection’s name when the request was logged (it may have been deleted since)' },
    method: { type: 'string' },
    path: { type: 'string' },
    query: { type: ['string', 'null'] },
    status: { type: 'integer' },
    durationMs: { type: 'integer' },
    scimType: { type: ['string', 'null'] },
    detail: { type: ['string', 'null'] },
    userAgent: { type: ['string', 'null'] },
    body: {},
    requestId: { type: ['string', 'null'], description: 'The request’s id; a held change (held-changes) names its request by it' },
  },
} as const;

function parseStatus(raw: string | undefined): LogQuery['status'] {
  if (raw === undefined || raw === '') return undefined;
  if (/^[1-5]\d\d$/.test(raw)) return Number(raw);
  if (/^[2-5]xx$/i.test(raw)) return raw.toLowerCase() as LogQuery['status'];
  if (raw.toLowerCase() === 'error') return 'error';
  throw validationFailed('querystring.status must be a status code (409), a class (4xx) or "error"', 'querystring.status');
}

function parseCursor(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,18}$/.test(raw)) throw validationFailed('querystring.cursor is not a cursor returned by this API', 'querystring.cursor');
  return Number(raw);
}

export const monitoringRoutes: FastifyPluginAsync<{ monitoring: MonitoringService }> = async (app, { monitoring }) => {
  const tags = ['monitoring'];
  app.get<{ Querystring: { tenantId?: string; connectionId?: string; status?: string; from?: string; to?: string; requestId?: string; cursor?: string; limit: number } }>(
    '/api/v1/logs',
    {
      schema: {
        tags,
        summary: 'SCIM request log, newest first',
        description: 'Every SCIM request with its status, duration, SCIM error and redacted body. Page with nextCursor.',
        security: environmentSecurity,
        querystring: {
          type: 'object',
          properties: {
            tenantId: { type: 'string', maxLength: 128 },
            connectionId: { type: 'string', maxLength: 64 },
            status: { type: 'string', maxLength: 5, description: 'A status (409), a class (4xx) or "error"' },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            requestId: { type: 'string', maxLength: 64, description: 'Only the row of this request (the requestId of a held change)' },
            cursor: { type: 'string', maxLength: 20 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: {
          200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: entrySchema }, nextCursor: { type: ['string', 'null'] } } },
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const q = request.query;
      return monitoring.page({
        tenantId: q.tenantId,
        connectionId: q.connectionId,
        status: parseStatus(q.status),
        from: q.from ? new Date(q.from).toISOString() : undefined,
        to: q.to ? new Date(q.to).toISOString() : undefined,
        before: parseCursor(q.cursor),
        requestId: q.requestId,
        limit: q.limit,
      });
    },
  );

  app.get<{ Querystring: { tenantId?: string; sinceHours: number } }>(
    '/api/v1/logs/summary',
    {
      schema: {
        tags,
        summary: 'Per-connection request counts, errors, last error and last success',
        security: environmentSecurity,
        querystring: {
          type: 'object',
          properties: { tenantId: { type: 'string', maxLength: 128 }, sinceHours: { type: 'integer', minimum: 1, maximum: 24 * 365, default: 24 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['connectionId', 'connectionName', 'tenantId', 'requests', 'errors', 'lastRequestAt', 'lastSuccessAt', 'lastError'],
                  properties: {
                    connectionId: { type: 'string' },
                    connectionName: { type: ['string', 'null'], description: 'The name on the connection’s latest logged request (it may have been deleted since)' },
                    tenantId: { type: 'string' },
                    requests: { type: 'integer' },
                    errors: { type: 'integer' },
                    lastRequestAt: { type: ['string', 'null'] },
                    lastSuccessAt: { type: ['string', 'null'] },
                    lastError: {
                      type: ['object', 'null'],
                      required: ['at', 'status', 'scimType', 'detail', 'method', 'path'],
                      properties: { at: { type: 'string' }, status: { type: 'integer' }, scimType: { type: ['string', 'null'] }, detail: { type: ['string', 'null'] }, method: { type: 'string' }, path: { type: 'string' } },
                    },
                  },
                },
              },
            },
          },
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => ({ items: await monitoring.summaries(request.query.sinceHours, request.query.tenantId) }),
  );

  app.get<{ Querystring: { tenantId?: string; connectionId?: string; from?: string; to?: string; bucket: Bucket } }>(
    '/api/v1/logs/timeseries',
    {
      schema: {
        tags,
        summary: 'SCIM requests and errors per time bucket and connection, for a chart',
        description:
          `Counts grouped by bucket (UTC, aligned to multiples of the bucket width) and connection; errors are requests answered with a status >= 400. \`from\` defaults to 24 hours before \`to\`, \`to\` to now; \`from\` is rounded down to a bucket boundary and the answer gives the range counted. At most ${MAX_BUCKETS} buckets (400 otherwise). Only non-empty buckets are listed, oldest first.`,
        security: environmentSecurity,
        querystring: {
          type: 'object',
          properties: {
            tenantId: { type: 'string', maxLength: 128 },
            connectionId: { type: 'string', maxLength: 64 },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            bucket: { type: 'string', enum: [...BUCKETS], default: '1h' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['bucketSeconds', 'from', 'to', 'items'],
            properties: {
              bucketSeconds: { type: 'integer' },
              from: { type: 'string', format: 'date-time' },
              to: { type: 'string', format: 'date-time' },
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['at', 'connectionId', 'requests', 'errors'],
                  properties: {
                    at: { type: 'string', format: 'date-time', description: 'Start of the bucket' },
                    connectionId: { type: 'string' },
                    requests: { type: 'integer' },
                    errors: { type: 'integer' },
                  },
                },
              },
            },
          },
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => monitoring.timeseries(request.query),
  );
};
