/** /api/v1 directory routes: provisioned users and groups in the normalised shape, and detached-data removal. */
import type { FastifyPluginAsync } from 'fastify';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import {
  connectionGroupsQuery,
  connectionUsersQuery,
  groupDetailSchema,
  idParams,
  memberSchema,
  membersQuery,
  pageSchema,
  purgeBody,
  purgeResultSchema,
  tenantGroupsQuery,
  tenantParams,
  tenantUsersQuery,
  userSchema,
} from './schemas.js';
import type { DirectoryService, ListParams } from './service.js';

const PAGING_NOTE = 'Cursor-paged in a stable order: pass nextCursor as `cursor` until it is null. Items are never skipped or repeated across pages.';
const MEMBER_COUNT_NOTE = '`memberCount`, its direct members (users and nested groups), kept as members come and go rather than counted per request.';
const SEARCH_NOTE =
  '`q` searches text case-insensitively (a substring; `%` and `_` are literal). No index serves it: the database scans the listed tenant’s or connection’s rows, which suits a dashboard’s search box, not bulk sync; combine it with paging as usual.';

export const directoryRoutes: FastifyPluginAsync<{ directory: DirectoryService }> = async (app, { directory }) => {
  const tags = ['directory'];
  const security = environmentSecurity;

  app.get<{ Params: { tenantId: string }; Querystring: ListParams }>(
    '/api/v1/tenants/:tenantId/users',
    {
      schema: {
        tags,
        security,
        summary: "List the tenant's users",
        description: `Users of the tenant's connections with syncToUserManagement on, and detached users. ${PAGING_NOTE} ${SEARCH_NOTE}`,
        params: tenantParams,
        querystring: tenantUsersQuery,
        response: { 200: pageSchema(userSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => directory.tenantUsers(request.params.tenantId, request.query),
  );

  app.get<{ Params: { tenantId: string }; Querystring: ListParams }>(
    '/api/v1/tenants/:tenantId/groups',
    {
      schema: {
        tags,
        security,
        summary: "List the tenant's groups",
        description: `Groups of the tenant's connections with syncToUserManagement on, and detached groups, each with ${MEMBER_COUNT_NOTE} ${PAGING_NOTE} ${SEARCH_NOTE}`,
        params: tenantParams,
        querystring: tenantGroupsQuery,
        response: { 200: pageSchema(groupDetailSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => directory.tenantGroups(request.params.tenantId, request.query),
  );

  app.post<{ Params: { tenantId: string }; Body: { connectionId?: string } | null | undefined }>(
    '/api/v1/tenants/:tenantId/detached/purge',
    {
      schema: {
        tags,
        security,
        summary: "Delete the tenant's detached users and groups",
        description:
          'Deletes what connections deleted with removeUsersAndGroups=false left behind, with their memberships, writing group.user_removed, user.deleted and group.deleted events. The body is optional: without one (or with `{}`) every former connection’s leftovers go; with `connectionId`, only that one’s.',
        params: tenantParams,
        body: purgeBody,
        response: { 200: purgeResultSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => directory.purgeDetached(request.params.tenantId, request.body?.connectionId),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a user, with its groups and roles',
        description: 'Any user Rollcall holds: also a staging connection’s, and detached ones. With its direct groups (id, displayName), its effective role keys and the raw SCIM resource under `scim`.',
        params: idParams,
        response: { 200: userSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => directory.user(request.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a detached user',
        description: 'Only detached users: a live one belongs to its identity provider (409). Writes user.deleted.',
        params: idParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      await directory.deleteUser(request.params.id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/groups/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a group, with its member count',
        description: '`memberCount` counts direct members, users and nested groups (list them at /api/v1/groups/{id}/members).',
        params: idParams,
        response: { 200: groupDetailSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => directory.group(request.params.id),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/groups/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a detached group',
        description: 'Only detached groups: a live one belongs to its identity provider (409). Writes group.deleted.',
        params: idParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      await directory.deleteGroup(request.params.id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string }; Querystring: { cursor?: string; limit: number } }>(
    '/api/v1/groups/:id/members',
    {
      schema: {
        tags,
        security,
        summary: "List a group's direct members",
        description: `Users, and nested groups marked \`type: "group"\`. ${PAGING_NOTE}`,
        params: idParams,
        querystring: membersQuery,
        response: { 200: pageSchema(memberSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => directory.members(request.params.id, request.query),
  );

  app.get<{ Params: { id: string }; Querystring: ListParams }>(
    '/api/v1/connections/:id/users',
    {
      schema: {
        tags,
        security,
        summary: "List a connection's users",
        description: `Whatever syncToUserManagement says: a staging connection's data is visible here only. ${PAGING_NOTE} ${SEARCH_NOTE}`,
        params: idParams,
        querystring: connectionUsersQuery,
        response: { 200: pageSchema(userSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => directory.connectionUsers(request.params.id, request.query),
  );

  app.get<{ Params: { id: string }; Querystring: ListParams }>(
    '/api/v1/connections/:id/groups',
    {
      schema: {
        tags,
        security,
        summary: "List a connection's groups",
        description: `Whatever syncToUserManagement says: a staging connection's data is visible here only. Each group has ${MEMBER_COUNT_NOTE} ${PAGING_NOTE} ${SEARCH_NOTE}`,
        params: idParams,
        querystring: connectionGroupsQuery,
        response: { 200: pageSchema(groupDetailSchema), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => directory.connectionGroups(request.params.id, request.query),
  );
};
