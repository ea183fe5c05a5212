/**
 * Google Workspace connections: `POST /api/v1/tenants/{tenantId}/connections` creates one, and
 * `/api/v1/connections/{id}/google-workspace…` authorizes it, chooses what it syncs, syncs it now and
 * lists its syncs. The vendor's environment token, or in self-service a user token of the connection's
 * tenant: the read permission to look, the write permission to change. Google's OAuth redirect comes
 * back to a route of its own (src/google-workspace/callback-route.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import { actorOf } from '../audit/actor.js';
import { logAuditFailures } from '../audit/with-change.js';
import { connectionProperties, connectionRequired } from '../connections/routes.js';
import { environmentSecurity, errorResponses, selfServiceNote } from '../http/schemas.js';
import { PROVISIONING_PERMISSIONS } from '../roles/permissions.js';
import '../self-service/caller.js';
import { TENANT_ID_PATTERN } from '../tenants/routes.js';
import type { GoogleWorkspaceService } from './service.js';
import { AUTH_METHODS, GOOGLE_STATUSES, SYNC_STATUSES, SYNC_TRIGGERS, type Selection } from './types.js';

const countsSchema = {
  type: 'object',
  required: ['usersCreated', 'usersUpdated', 'usersDeactivated', 'usersDeleted', 'groupsCreated', 'groupsUpdated', 'groupsDeleted', 'membersAdded', 'membersRemoved'],
  properties: Object.fromEntries(
    ['usersCreated', 'usersUpdated', 'usersDeactivated', 'usersDeleted', 'groupsCreated', 'groupsUpdated', 'groupsDeleted', 'membersAdded', 'membersRemoved'].map((k) => [k, { type: 'integer' }]),
  ),
} as const;

export const syncRecordSchema = {
  type: 'object',
  required: ['id', 'trigger', 'status', 'startedAt', 'finishedAt', 'counts', 'error'],
  properties: {
    id: { type: 'string' },
    trigger: { type: 'string', enum: [...SYNC_TRIGGERS] },
    status: { type: 'string', enum: [...SYNC_STATUSES], description: '"interrupted": the process running it stopped; the next sync completed what it left.' },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    counts: countsSchema,
    error: { type: ['string', 'null'], description: 'Why it failed, or notes on a sync that succeeded (chosen groups Google does not have).' },
  },
} as const;

const selectionSchema = {
  type: 'object',
  required: ['mode', 'groups'],
  additionalProperties: false,
  properties: {
    mode: { type: 'string', enum: ['domain', 'groups'], description: '"domain": every user and group. "groups": the chosen groups and their members (users of nested groups too).' },
    groups: { type: 'array', maxItems: 500, items: { type: 'string', minLength: 3, maxLength: 320 }, description: "The chosen groups' e-mail addresses" },
  },
} as const;

export const googleStateSchema = {
  type: 'object',
  required: ['status', 'reason', 'authMethod', 'adminEmail', 'serviceAccountEmail', 'oauthAvailable', 'selection', 'intervalMinutes', 'syncing', 'nextSyncAt', 'lastSync'],
  properties: {
    status: { type: 'string', enum: [...GOOGLE_STATUSES] },
    reason: { type: ['string', 'null'], description: 'Why the connection needs to be authorized again, in words an admin can act on' },
    authMethod: { type: ['string', 'null'], enum: [...AUTH_METHODS, null] },
    adminEmail: { type: ['string', 'null'], description: 'The admin a service account acts as' },
    serviceAccountEmail: { type: ['string', 'null'] },
    oauthAvailable: { type: 'boolean', description: 'The vendor configured its Google OAuth client, so an admin can authorize by consent' },
    selection: selectionSchema,
    intervalMinutes: { type: 'integer' },
    syncing: { type: 'boolean' },
    nextSyncAt: { type: ['string', 'null'], format: 'date-time' },
    lastSync: { anyOf: [syncRecordSchema, { type: 'null' }] },
  },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const tenantParams = { type: 'object', required: ['tenantId'], properties: { tenantId: { type: 'string', pattern: TENANT_ID_PATTERN } } } as const;

export const googleWorkspaceRoutes: FastifyPluginAsync<{ google: GoogleWorkspaceService }> = async (app, { google }) => {
  const tags = ['google workspace'];
  const path = '/api/v1/connections/:id/google-workspace';
  const { read, write } = PROVISIONING_PERMISSIONS;
  logAuditFailures(app);

  app.post<{ Params: { tenantId: string }; Body: { type: 'google-workspace'; connectionName: string; syncToUserManagement?: boolean } }>(
    '/api/v1/tenants/:tenantId/connections',
    {
      schema: {
        tags,
        summary: 'Create a Google Workspace connection for the tenant',
        description: `The connection waits for a Workspace admin to authorize it (OAuth consent or a service account), then syncs. SCIM connections are created with POST /directory/resources/v1/configurations/scim2. Also accepts a user token carrying ${write} for its own tenant, capped at MAX_CONNECTIONS_PER_TENANT.`,
        security: environmentSecurity,
        params: tenantParams,
        body: {
          type: 'object',
          required: ['type', 'connectionName'],
          additionalProperties: false,
          properties: {
            type: { type: 'string', enum: ['google-workspace'] },
            connectionName: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
            syncToUserManagement: { type: 'boolean', default: true },
          },
        },
        response: { 201: { type: 'object', required: [...connectionRequired, 'googleWorkspace'], properties: { ...connectionProperties, googleWorkspace: googleStateSchema } }, ...errorResponses(400, 401, 403, 404, 409) },
      },
      config: { selfService: write },
    },
    async (request, reply) => {
      const tenantId = request.selfService?.tenantId ?? request.params.tenantId;
      const input = { connectionName: request.body.connectionName.trim(), syncToUserManagement: request.body.syncToUserManagement ?? true };
      const created = await google.create(actorOf(request), tenantId, input, { selfService: request.selfService !== null });
      request.log.info({ connectionId: created.id, tenantId }, 'Google Workspace connection created');
      return reply.code(201).send(created);
    },
  );

  app.get<{ Params: { id: string } }>(
    path,
    {
      schema: {
        tags,
        summary: "A Google Workspace connection's authorization, selection, schedule and last sync",
        description: selfServiceNote(read),
        security: environmentSecurity,
        params: idParams,
        response: { 200: googleStateSchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: read },
    },
    async (request) => google.state(request.params.id, request.selfService?.tenantId),
  );

  app.put<{ Params: { id: string }; Body: { selection?: Selection; intervalMinutes?: number } }>(
    path,
    {
      schema: {
        tags,
        summary: 'Choose what a Google Workspace connection syncs, and how often',
        description: `A changed selection syncs at once; users and groups it no longer covers are deleted by that sync. Recorded in the audit log. ${selfServiceNote(write)}`,
        security: environmentSecurity,
        params: idParams,
        body: { type: 'object', minProperties: 1, additionalProperties: false, properties: { selection: selectionSchema, intervalMinutes: { type: 'integer', minimum: 5, maximum: 1440 } } },
        response: { 200: googleStateSchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: write },
    },
    async (request) => google.configure(actorOf(request), request.params.id, request.body, request.selfService?.tenantId),
  );

  app.post<{ Params: { id: string }; Body: { returnTo?: string } }>(
    `${path}/oauth`,
    {
      schema: {
        tags,
        summary: 'Start the OAuth consent of a Workspace super-admin',
        description: `Answers Google's consent URL; the admin's browser goes there, and Google sends it back to /api/v1/google-workspace/oauth/callback, which stores the grant and redirects to returnTo (a path on this server) with googleWorkspace=connected or googleWorkspace=error&reason=…. The link works for 15 minutes, once. 409 when the vendor has not configured GOOGLE_OAUTH_CLIENT_ID. ${selfServiceNote(write)}`,
        security: environmentSecurity,
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: { returnTo: { type: 'string', maxLength: 2000 } } },
        response: { 200: { type: 'object', required: ['url'], properties: { url: { type: 'string' } } }, ...errorResponses(400, 401, 403, 404, 409) },
      },
      config: { selfService: write },
    },
    async (request) => google.startOAuth(actorOf(request), request.params.id, request.body?.returnTo, request.selfService?.tenantId),
  );

  app.put<{ Params: { id: string }; Body: { key: unknown; adminEmail: string } }>(
    `${path}/service-account`,
    {
      schema: {
        tags,
        summary: 'Authorize with a service account that has domain-wide delegation',
        description: `key: the service account's JSON key file (object or text). adminEmail: a Workspace admin the service account acts as. Rollcall reads one user with it first; a 400 carries Google's reason when that fails. The key is stored encrypted and never returned. ${selfServiceNote(write)}`,
        security: environmentSecurity,
        params: idParams,
        body: {
          type: 'object',
          required: ['key', 'adminEmail'],
          additionalProperties: false,
          properties: { key: { anyOf: [{ type: 'object' }, { type: 'string', maxLength: 20_000 }] }, adminEmail: { type: 'string', format: 'email', maxLength: 320 } },
        },
        response: { 200: googleStateSchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: write },
    },
    async (request) => google.setServiceAccount(actorOf(request), request.params.id, request.body, request.selfService?.tenantId),
  );

  app.post<{ Params: { id: string } }>(
    `${path}/sync`,
    {
      schema: {
        tags,
        summary: 'Sync now',
        description: `The next pass of any Rollcall process syncs the connection (within seconds); one sync runs at a time per connection. 409 until the connection is authorized. ${selfServiceNote(write)}`,
        security: environmentSecurity,
        params: idParams,
        response: { 202: { type: 'object', required: ['queued'], properties: { queued: { type: 'boolean' } } }, ...errorResponses(400, 401, 403, 404, 409) },
      },
      config: { selfService: write },
    },
    async (request, reply) => {
      await google.requestSync(request.params.id, request.selfService?.tenantId);
      return reply.code(202).send({ queued: true });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number; cursor?: string } }>(
    `${path}/syncs`,
    {
      schema: {
        tags,
        summary: "A Google Workspace connection's syncs, newest first",
        description: selfServiceNote(read),
        security: environmentSecurity,
        params: idParams,
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 }, cursor: { type: 'string', maxLength: 200 } } },
        response: { 200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: syncRecordSchema }, nextCursor: { type: ['string', 'null'] } } }, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: read },
    },
    async (request) => google.syncs(request.params.id, request.selfService?.tenantId, request.query.limit ?? 20, request.query.cursor),
  );

  app.get<{ Params: { id: string } }>(
    `${path}/groups`,
    {
      schema: {
        tags,
        summary: "The Workspace domain's groups, read from Google now",
        description: `To choose the groups a connection syncs. 409 with Google's reason when it cannot be read. ${selfServiceNote(read)}`,
        security: environmentSecurity,
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: {
              items: {
                type: 'array',
                items: { type: 'object', required: ['id', 'email', 'name', 'directMembersCount'], properties: { id: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, directMembersCount: { type: 'integer' } } },
              },
            },
          },
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
      config: { selfService: read },
    },
    async (request) => ({ items: await google.groups(request.params.id, request.selfService?.tenantId) }),
  );
};
