/** GET /api/v1/audit — who changed what, newest first. */
import type { FastifyPluginAsync } from 'fastify';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import type { AuditService } from './service.js';
import { AUDIT_ACTIONS, type AuditAction } from './store.js';

const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    occurredAt: { type: 'string', format: 'date-time' },
    action: { type: 'string', enum: [...AUDIT_ACTIONS] },
    tenantId: { type: ['string', 'null'] },
    actor: {
      type: 'object',
      description: '`credential` (an environment token: the vendor credential id and clientId) or `user` (a user token: its user id and tenant)',
      properties: { type: { type: 'string', enum: ['credential', 'user'] }, id: { type: 'string' }, clientId: { type: 'string' }, tenantId: { type: 'string' } },
    },
    target: { type: 'object', properties: { type: { type: 'string' }, id: { type: ['string', 'null'] } } },
    data: { type: 'object', additionalProperties: true },
  },
} as const;

export const auditRoutes: FastifyPluginAsync<{ audit: AuditService }> = async (app, { audit }) => {
  app.get<{ Querystring: { tenantId?: string; action?: AuditAction; cursor?: string; limit: number } }>(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Read the audit log, newest first',
        description:
          'One entry per management or self-service change to connections, roles, group roles and settings, and per user token issued. Pass nextCursor as `cursor` for older entries.',
        security: environmentSecurity,
        querystring: {
          type: 'object',
          properties: {
            tenantId: { type: 'string', minLength: 1, maxLength: 128, description: 'Only entries about this tenant' },
            action: { type: 'string', enum: [...AUDIT_ACTIONS] },
            cursor: { type: 'string', minLength: 1, maxLength: 100 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: entrySchema }, nextCursor: { type: ['string', 'null'] } } },
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => audit.page(request.query),
  );
};
