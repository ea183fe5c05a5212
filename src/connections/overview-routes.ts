/**
 * GET /api/v1/tenants/{tenantId}/connections — the connection overview of the management dashboard,
 * and of the self-service portal (a user token with the read permission, for its own tenant only).
 */
import type { FastifyPluginAsync } from 'fastify';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import { PROVISIONING_PERMISSIONS } from '../roles/permissions.js';
import '../self-service/caller.js';
import { TENANT_ID_PATTERN } from '../tenants/routes.js';
import type { ConnectionOverviewService } from './overview.js';
import { connectionProperties, connectionRequired } from './routes.js';
import { googleStateSchema } from '../google-workspace/routes.js';

const lastErrorSchema = {
  type: ['object', 'null'],
  description: 'The most recent request of the last 24 hours answered with a status >= 400; null if none',
  required: ['at', 'status', 'scimType', 'detail', 'method', 'path'],
  properties: {
    at: { type: 'string', format: 'date-time' },
    status: { type: 'integer' },
    scimType: { type: ['string', 'null'] },
    detail: { type: ['string', 'null'] },
    method: { type: 'string' },
    path: { type: 'string' },
  },
} as const;

const overviewSchema = {
  type: 'object',
  required: [...connectionRequired, 'users', 'groups', 'requests24h', 'errors24h', 'lastRequestAt', 'lastError', 'attributeProblemUsers', 'googleWorkspace', 'deprovisioning'],
  properties: {
    ...connectionProperties,
    users: { type: 'integer', description: 'Users the connection provisioned' },
    groups: { type: 'integer', description: 'Groups the connection provisioned' },
    requests24h: { type: 'integer', description: 'SCIM requests in the last 24 hours' },
    errors24h: { type: 'integer', description: 'Of those, answered with a status >= 400' },
    lastRequestAt: { type: ['string', 'null'], format: 'date-time', description: 'Latest SCIM request in the last 24 hours' },
    lastError: lastErrorSchema,
    attributeProblemUsers: { type: 'integer', description: 'Users with a mapped attribute value that did not convert to its type (docs/attributes.md)' },
    googleWorkspace: {
      anyOf: [
        {
          type: 'object',
          required: ['status', 'reason', 'lastSync'],
          properties: { status: googleStateSchema.properties.status, reason: googleStateSchema.properties.reason, lastSync: googleStateSchema.properties.lastSync },
        },
        { type: 'null' },
      ],
      description: "A Google Workspace connection's authorization status and last sync; null for a SCIM connection",
    },
    deprovisioning: {
      type: 'object',
      required: ['mode', 'tripped', 'held', 'differing'],
      description: 'Safe deprovisioning (docs/safe-deprovisioning.md): the mode, whether the guard tripped, changes held for review, users whose app view differs from the identity provider after a discard',
      properties: { mode: { type: 'string', enum: ['automatic', 'review'] }, tripped: { type: 'boolean' }, held: { type: 'integer' }, differing: { type: 'integer' } },
    },
  },
} as const;

const tenantParams = { type: 'object', required: ['tenantId'], properties: { tenantId: { type: 'string', pattern: TENANT_ID_PATTERN } } } as const;

export const connectionOverviewRoutes: FastifyPluginAsync<{ overview: ConnectionOverviewService }> = async (app, { overview }) => {
  app.get<{ Params: { tenantId: string } }>(
    '/api/v1/tenants/:tenantId/connections',
    {
      schema: {
        tags: ['scim configurations'],
        security: environmentSecurity,
        summary: "The tenant's SCIM configurations with counts and health, newest first",
        description:
          'Each configuration with how many users and groups it provisioned and its SCIM traffic of the last 24 hours: requests, errors (status >= 400), the latest request and the latest error. Request figures come from the request log, which is written in batches a fraction of a second behind. ' +
          `Also accepts a user token carrying ${PROVISIONING_PERMISSIONS.read} while the builder setting selfService.scimProvisioning is on, for the token's own tenant only: another tenantId is a 403.`,
        params: tenantParams,
        response: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: overviewSchema } } }, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.read },
    },
    // A user token reaches here only for its own tenant (src/self-service/guard.ts checks the path's tenantId).
    async (request) => ({ items: await overview.list(request.selfService?.tenantId ?? request.params.tenantId) }),
  );
};
