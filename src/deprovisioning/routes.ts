/**
 * /api/v1/connections/{id}/deprovisioning and …/held-changes: a connection's guard and the review of
 * what it held (docs/safe-deprovisioning.md). The vendor's environment token, or in self-service a
 * user token of the connection's tenant: the read permission to see, the write permission to change.
 */
import type { FastifyPluginAsync } from 'fastify';
import { actorOf } from '../audit/actor.js';
import { logAuditFailures } from '../audit/with-change.js';
import { environmentSecurity, errorResponses, selfServiceNote } from '../http/schemas.js';
import { PROVISIONING_PERMISSIONS } from '../roles/permissions.js';
import '../self-service/caller.js';
import type { DeprovisioningService, ReviewAction } from './service.js';
import { CHANGE_KINDS, DEPROVISIONING_MODES, GUARD_LIMITS, type SettingsUpdate } from './types.js';

const guardProperties = {
  enabled: { type: 'boolean', description: 'Whether the guard holds changes once it trips' },
  maxUsers: { type: 'integer', ...GUARD_LIMITS.maxUsers, description: 'Trips when more than this many users…' },
  maxPercent: { type: 'integer', ...GUARD_LIMITS.maxPercent, description: '…and more than this percentage of the connection’s active users…' },
  windowMinutes: { type: 'integer', ...GUARD_LIMITS.windowMinutes, description: '…were deprovisioned within this many minutes' },
} as const;

const settingsSchema = {
  type: 'object',
  required: ['mode', 'guard', 'tripped', 'trippedAt', 'held', 'differing', 'window'],
  properties: {
    mode: { type: 'string', enum: [...DEPROVISIONING_MODES], description: '"automatic": deprovisioning applies unless the guard trips. "review" (append-only): every deprovisioning waits for review.' },
    guard: { type: 'object', required: ['enabled', 'maxUsers', 'maxPercent', 'windowMinutes'], properties: guardProperties },
    tripped: { type: 'boolean', description: 'The guard tripped: every deprovisioning change is held until a review' },
    trippedAt: { type: ['string', 'null'], format: 'date-time' },
    held: { type: 'integer', description: 'Changes waiting for review' },
    differing: { type: 'integer', description: 'Users whose app view differs from the identity provider after a discard' },
    window: {
      type: 'object',
      required: ['since', 'deprovisioned', 'activeUsers'],
      description: 'What the guard counts now: users deprovisioned since `since` (the window, or the last review if later), and the connection’s active users',
      properties: { since: { type: 'string', format: 'date-time' }, deprovisioned: { type: 'integer' }, activeUsers: { type: 'integer' } },
    },
  },
} as const;

const updateSchema = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: {
    mode: settingsSchema.properties.mode,
    guard: { type: 'object', minProperties: 1, additionalProperties: false, properties: guardProperties },
  },
} as const;

const heldChangeSchema = {
  type: 'object',
  required: ['id', 'userId', 'userName', 'displayName', 'change', 'groupId', 'groupName', 'roles', 'at', 'requestId', 'status'],
  properties: {
    id: { type: 'string' },
    userId: { type: 'string' },
    userName: { type: 'string' },
    displayName: { type: ['string', 'null'] },
    change: { type: 'string', enum: [...CHANGE_KINDS], description: '"deactivation", "deletion", or "role_removal" (the user lost its last mapped role: removed from the group, or the group deleted)' },
    groupId: { type: ['string', 'null'] },
    groupName: { type: ['string', 'null'] },
    roles: { type: 'array', items: { type: 'string' }, description: 'A role removal: the role keys the app keeps giving the user while it is held' },
    at: { type: 'string', format: 'date-time' },
    requestId: { type: ['string', 'null'], description: 'The SCIM request that made it: GET /api/v1/logs?requestId=… (null for a Google Workspace sync)' },
    status: { type: 'string', enum: ['held', 'discarded'] },
  },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const reviewBody = {
  type: 'object',
  additionalProperties: false,
  properties: { ids: { type: 'array', minItems: 1, maxItems: 10_000, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 }, description: 'The held changes; absent: every held change of the connection' } },
} as const;

export const deprovisioningRoutes: FastifyPluginAsync<{ deprovisioning: DeprovisioningService }> = async (app, { deprovisioning }) => {
  logAuditFailures(app);
  const tags = ['safe deprovisioning'];
  const path = '/api/v1/connections/:id/deprovisioning';

  app.get<{ Params: { id: string } }>(
    path,
    {
      schema: {
        tags,
        summary: "A connection's deprovisioning mode and guard",
        description: `The mode, the guard, whether it tripped, how many changes are held and what it counts now. ${selfServiceNote(PROVISIONING_PERMISSIONS.read)}`,
        security: environmentSecurity,
        params: idParams,
        response: { 200: settingsSchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.read },
    },
    async (request) => deprovisioning.get(request.params.id, request.selfService?.tenantId),
  );

  app.put<{ Params: { id: string }; Body: SettingsUpdate }>(
    path,
    {
      schema: {
        tags,
        summary: "Change a connection's deprovisioning mode or guard",
        description: `Sets what the body names; the rest keeps its value. Applies to the connection's next deprovisioning change, in every process; what is held stays held until reviewed. Recorded in the audit log. ${selfServiceNote(PROVISIONING_PERMISSIONS.write)}`,
        security: environmentSecurity,
        params: idParams,
        body: updateSchema,
        response: { 200: settingsSchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.write },
    },
    async (request) => {
      const result = await deprovisioning.set(request.params.id, request.body, actorOf(request), request.selfService?.tenantId);
      request.log.info({ connectionId: request.params.id, deprovisioning: request.body }, 'deprovisioning settings changed');
      return result;
    },
  );

  app.get<{ Params: { id: string }; Querystring: { status: 'held' | 'discarded'; cursor?: string; limit: number } }>(
    '/api/v1/connections/:id/held-changes',
    {
      schema: {
        tags,
        summary: 'Held deprovisioning changes, oldest first',
        description: `status=held (default): the changes waiting for review, in the order they were held. status=discarded: the discarded changes whose users still differ from the identity provider (until it next changes them). ${selfServiceNote(PROVISIONING_PERMISSIONS.read)}`,
        security: environmentSecurity,
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['held', 'discarded'], default: 'held' },
            cursor: { type: 'string', maxLength: 40 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
        },
        response: {
          200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: heldChangeSchema }, nextCursor: { type: ['string', 'null'] } } },
          ...errorResponses(400, 401, 403, 404),
        },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.read },
    },
    async (request) => deprovisioning.changes(request.params.id, request.query, request.selfService?.tenantId),
  );

  const review = (action: ReviewAction, summary: string, description: string, counted: 'released' | 'discarded') =>
    app.post<{ Params: { id: string }; Body: { ids?: string[] } | undefined }>(
      `/api/v1/connections/:id/held-changes/${action}`,
      {
        schema: {
          tags,
          summary,
          description: `${description} With {"ids": […]} only those (404 if one is no longer held, and nothing changes); with {} every held change. Once nothing is held, the guard is armed again and counts from then. Writes connection.deprovisioning_reviewed and an audit entry. ${selfServiceNote(PROVISIONING_PERMISSIONS.write)}`,
          security: environmentSecurity,
          params: idParams,
          body: reviewBody,
          response: { 200: { type: 'object', required: [counted, 'remaining'], properties: { [counted]: { type: 'integer' }, remaining: { type: 'integer', description: 'Changes still held' } } }, ...errorResponses(400, 401, 403, 404) },
        },
        config: { selfService: PROVISIONING_PERMISSIONS.write },
      },
      async (request) => {
        const { count, remaining } = await deprovisioning.review(request.params.id, action, request.body?.ids, actorOf(request), request.selfService?.tenantId);
        request.log.info({ connectionId: request.params.id, action, count }, 'held deprovisioning changes reviewed');
        return { [counted]: count, remaining };
      },
    );
  review('release', 'Release held changes', 'The app gets them now: applied to its view in the order they were held, their events written now.', 'released');
  review('discard', 'Discard held changes', 'The app keeps its view; each user shows as differing from the identity provider until it next changes that user, which then applies as usual.', 'discarded');
};
