/**
 * GET /api/v1/connections/{id}/go-live-preview: what switching a staging connection to
 * syncToUserManagement would show the app (src/connections/go-live-preview.ts). The vendor's
 * environment token, or in self-service a user token of the connection's tenant with the read permission.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../db/open.js';
import { environmentSecurity, errorResponses, selfServiceNote } from '../http/schemas.js';
import { PROVISIONING_PERMISSIONS } from '../roles/permissions.js';
import '../self-service/caller.js';
import { GoLivePreviewService, PREVIEW_SAMPLE } from './go-live-preview.js';
import { GoLiveStore } from './go-live-store.js';
import type { ConnectionService } from './service.js';

const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;
const sample = (items: object, what: string) => ({ type: 'array', maxItems: PREVIEW_SAMPLE, items, description: `The first ${PREVIEW_SAMPLE} ${what} in creation order` }) as const;

const previewUser = {
  type: 'object',
  required: ['id', 'userName', 'displayName', 'email', 'active'],
  properties: {
    id: { type: 'string' },
    userName: { type: 'string' },
    displayName: { type: ['string', 'null'] },
    email: { type: ['string', 'null'], description: 'The primary (else first) email' },
    active: { type: 'boolean' },
  },
} as const;

const previewGroup = {
  type: 'object',
  required: ['id', 'displayName', 'members'],
  properties: { id: { type: 'string' }, displayName: { type: 'string' }, members: count('Its user members') },
} as const;

const previewRole = {
  type: 'object',
  required: ['key', 'name', 'users'],
  properties: { key: { type: 'string' }, name: { type: 'string' }, users: count("The connection's users who would get the role through their groups, each once") },
} as const;

const previewMatch = {
  type: 'object',
  required: ['userId', 'userName', 'email', 'existingUserId', 'existingConnectionId', 'matchedBy'],
  properties: {
    userId: { type: 'string' },
    userName: { type: 'string' },
    email: { type: ['string', 'null'] },
    existingUserId: { type: 'string', description: 'The oldest user of the tenant directory with the same primary email (case-insensitive)' },
    existingConnectionId: { type: 'string', description: "That user's connection (a detached user's former connection)" },
    matchedBy: { type: 'string', enum: ['email'] },
  },
} as const;

const previewSchema = {
  type: 'object',
  required: ['connectionId', 'live', 'users', 'groups', 'memberships', 'roles', 'matches'],
  properties: {
    connectionId: { type: 'string' },
    live: { type: 'boolean', enum: [false] },
    users: {
      type: 'object',
      required: ['total', 'active', 'inactive', 'sample'],
      properties: { total: count('Users: one user.created each'), active: count('Of those, active'), inactive: count('Of those, inactive'), sample: sample(previewUser, 'users') },
    },
    groups: { type: 'object', required: ['total', 'sample'], properties: { total: count('Groups: one group.created each'), sample: sample(previewGroup, 'groups') } },
    memberships: count("User memberships of the connection's groups: one group.user_added each"),
    roles: { type: 'array', items: previewRole, description: "Each role mapped to one of the connection's groups (by key)" },
    matches: {
      type: 'object',
      required: ['total', 'sample'],
      properties: {
        total: count('Users whose primary email a user of the tenant directory already has: a user of a connection that syncs to user management, or a detached one'),
        sample: sample(previewMatch, 'such users'),
      },
    },
  },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

/** What switching syncToUserManagement on emits, for the OpenAPI descriptions (here and on the PATCH of routes.ts). */
export const GO_LIVE_NOTE =
  'Switching syncToUserManagement from false to true puts the connection\'s users and groups in the tenant directory and, in the same transaction, writes the events of everything it holds: user.created for each user (with its current active), then group.created for each group, then group.user_added for each user membership. Switching it off emits nothing and the app keeps what it was told; switching it on again emits all of them again, so an app should take a user.created or group.created for an id it knows as the current state of that resource.';

export const goLiveRoutes: FastifyPluginAsync<{ connections: ConnectionService; db: Db }> = async (app, { connections, db }) => {
  const previews = new GoLivePreviewService(new GoLiveStore(db.kysely, db.dialect), connections);

  app.get<{ Params: { id: string } }>(
    '/api/v1/connections/:id/go-live-preview',
    {
      schema: {
        tags: ['scim configurations'],
        summary: 'Preview what a staging connection would show the app once it syncs to user management',
        description: `For a connection with syncToUserManagement false: its users (active and inactive), groups, user memberships, the roles its groups would grant, and its users whose primary email a user of the tenant directory already has (they will look like duplicates), with samples of the first ${PREVIEW_SAMPLE} of each in creation order. A connection that is live already is a 409. ${GO_LIVE_NOTE} ${selfServiceNote(PROVISIONING_PERMISSIONS.read)}`,
        security: environmentSecurity,
        params: idParams,
        response: { 200: previewSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
      config: { selfService: PROVISIONING_PERMISSIONS.read },
    },
    async (request) => previews.preview(request.params.id, request.selfService?.tenantId),
  );
};
