/** /api/v1/roles, /api/v1/permissions and /api/v1/tenants/{tenantId}/groups/{groupId}/roles (environment token). */
import type { FastifyPluginAsync } from 'fastify';
import { actorOf } from '../audit/actor.js';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import { TENANT_ID_PATTERN } from '../tenants/routes.js';
import type { GroupRoleService } from './group-roles.js';
import { KNOWN_PERMISSIONS, PERMISSION_KEY_PATTERN, ROLE_KEY_PATTERN } from './permissions.js';
import type { RoleChanges, RoleService } from './service.js';

const permissionList = {
  type: 'array',
  maxItems: 100,
  items: { type: 'string', pattern: PERMISSION_KEY_PATTERN },
  description: 'Permission keys: Rollcall’s (GET /api/v1/permissions) and any your app checks',
} as const;

const roleProperties = {
  key: { type: 'string' },
  name: { type: 'string' },
  description: { type: ['string', 'null'] },
  permissions: { type: 'array', items: { type: 'string' } },
  isDefault: { type: 'boolean', description: 'Every provisioned user has the default role; at most one role is the default' },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
} as const;
const roleSchema = { type: 'object', required: ['key', 'name', 'description', 'permissions', 'isDefault', 'createdAt', 'updatedAt'], properties: roleProperties } as const;
const keyParams = { type: 'object', required: ['key'], properties: { key: { type: 'string', pattern: ROLE_KEY_PATTERN } } } as const;
const name = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } as const;
const description = { type: ['string', 'null'], maxLength: 1000 } as const;

const groupRolesSchema = {
  type: 'object',
  required: ['tenantId', 'groupId', 'roleKeys'],
  properties: { tenantId: { type: 'string' }, groupId: { type: 'string' }, roleKeys: { type: 'array', items: { type: 'string' } } },
} as const;
const groupParams = {
  type: 'object',
  required: ['tenantId', 'groupId'],
  properties: { tenantId: { type: 'string', pattern: TENANT_ID_PATTERN }, groupId: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

export const roleRoutes: FastifyPluginAsync<{ roles: RoleService; groupRoles: GroupRoleService }> = async (app, { roles, groupRoles }) => {
  const tags = ['roles'];
  const security = environmentSecurity;

  app.get('/api/v1/permissions', {
    schema: {
      tags,
      security,
      summary: 'The permissions Rollcall checks',
      response: {
        200: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', items: { type: 'object', required: ['key', 'description'], properties: { key: { type: 'string' }, description: { type: 'string' } } } } },
        },
        ...errorResponses(401),
      },
    },
  }, async () => ({ items: KNOWN_PERMISSIONS }));

  app.get('/api/v1/roles', {
    schema: { tags, security, summary: 'List roles', response: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: roleSchema } } }, ...errorResponses(401) } },
  }, async () => ({ items: await roles.list() }));

  app.post<{ Body: { key: string; name: string; description?: string | null; permissions: string[]; isDefault?: boolean } }>(
    '/api/v1/roles',
    {
      schema: {
        tags,
        security,
        summary: 'Create a role',
        body: {
          type: 'object',
          required: ['key', 'name', 'permissions'],
          additionalProperties: false,
          properties: { key: { type: 'string', pattern: ROLE_KEY_PATTERN }, name, description, permissions: permissionList, isDefault: { type: 'boolean' } },
        },
        response: { 201: roleSchema, ...errorResponses(400, 401, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await roles.create(actorOf(request), { ...request.body, name: request.body.name.trim() })),
  );

  app.get<{ Params: { key: string } }>('/api/v1/roles/:key', {
    schema: { tags, security, summary: 'Get a role', params: keyParams, response: { 200: roleSchema, ...errorResponses(400, 401, 404) } },
  }, async (request) => roles.get(request.params.key));

  app.patch<{ Params: { key: string }; Body: RoleChanges }>(
    '/api/v1/roles/:key',
    {
      schema: {
        tags,
        security,
        summary: 'Update a role',
        description: 'The key cannot change. Making a role the default takes the default away from the previous one.',
        params: keyParams,
        body: { type: 'object', minProperties: 1, additionalProperties: false, properties: { name, description, permissions: permissionList, isDefault: { type: 'boolean' } } },
        response: { 200: roleSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) => roles.update(actorOf(request), request.params.key, { ...request.body, name: request.body.name?.trim() }),
  );

  app.delete<{ Params: { key: string } }>(
    '/api/v1/roles/:key',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a role',
        description: 'Its group mappings go with it. Outstanding user tokens keep the permissions they were issued with until they expire.',
        params: keyParams,
        response: { 204: { type: 'null' }, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await roles.delete(actorOf(request), request.params.key);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { tenantId: string; groupId: string } }>('/api/v1/tenants/:tenantId/groups/:groupId/roles', {
    schema: { tags, security, summary: 'The roles mapped to a SCIM group', params: groupParams, response: { 200: groupRolesSchema, ...errorResponses(400, 401, 404) } },
  }, async (request) => groupRoles.get(request.params.tenantId, request.params.groupId));

  app.put<{ Params: { tenantId: string; groupId: string }; Body: { roleKeys: string[] } }>(
    '/api/v1/tenants/:tenantId/groups/:groupId/roles',
    {
      schema: {
        tags,
        security,
        summary: 'Set the roles of a SCIM group’s members',
        description:
          'Replaces the mapping; [] removes it. A user’s effective roles are the default role plus the roles of its direct groups (the directory API shows them). Members whose roles change get a user.updated event with `roles`.',
        params: groupParams,
        body: {
          type: 'object',
          required: ['roleKeys'],
          additionalProperties: false,
          properties: { roleKeys: { type: 'array', maxItems: 100, items: { type: 'string', pattern: ROLE_KEY_PATTERN } } },
        },
        response: { 200: groupRolesSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) => groupRoles.set(actorOf(request), request.params.tenantId, request.params.groupId, request.body.roleKeys),
  );
};
