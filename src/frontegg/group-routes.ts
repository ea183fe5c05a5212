/**
 * /identity/resources/groups/v1 — the subset of Frontegg's groups API that maps onto a tenant's
 * provisioned SCIM groups and their roles (src/frontegg/groups.ts). The tenant is the user token's,
 * or with an environment token the one `frontegg-tenant-id` names, as on the configuration routes.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { actorOf } from '../audit/actor.js';
import { tenantHeader } from '../connections/routes.js';
import { environmentSecurity, errorResponses } from '../http/schemas.js';
import { GROUP_PERMISSIONS } from '../roles/permissions.js';
import '../self-service/caller.js';
import { GROUP_RELATIONS, type FronteggGroupService, type GroupRelations } from './groups.js';

export const GROUPS_PATH = '/identity/resources/groups/v1';

const roleSchema = {
  type: 'object',
  required: ['id', 'key', 'name', 'description', 'isDefault', 'permissions', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string', description: 'The role key (Rollcall roles have no other id)' },
    key: { type: 'string' },
    name: { type: 'string' },
    description: { type: ['string', 'null'] },
    isDefault: { type: 'boolean' },
    permissions: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const userSchema = {
  type: 'object',
  required: ['id', 'email', 'name'],
  properties: {
    id: { type: 'string', description: 'The directory user id' },
    email: { type: ['string', 'null'], description: 'The primary email the identity provider sent' },
    name: { type: 'string', description: 'displayName, else userName' },
  },
} as const;

const groupSchema = {
  type: 'object',
  required: ['id', 'name', 'description', 'metadata', 'managedBy'],
  properties: {
    id: { type: 'string', description: 'The directory (SCIM) group id' },
    name: { type: 'string', description: 'The SCIM displayName' },
    description: { type: ['string', 'null'], description: 'Always null: SCIM groups have none' },
    metadata: { type: ['string', 'null'], description: 'Always null: SCIM groups have none' },
    managedBy: { type: 'string', enum: ['scim2'] },
    roles: { type: 'array', items: roleSchema, description: 'With _groupsRelations=roles or rolesAndUsers' },
    users: { type: 'array', items: userSchema, description: 'Direct user members, with _groupsRelations=users or rolesAndUsers' },
  },
} as const;

const relationsQuery = {
  type: 'object',
  properties: { _groupsRelations: { type: 'string', enum: [...GROUP_RELATIONS], description: 'Adds the groups’ roles, users, or both' } },
} as const;
const groupParams = { type: 'object', required: ['groupId'], properties: { groupId: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const roleIdsBody = {
  type: 'object',
  required: ['roleIds'],
  properties: { roleIds: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 64 }, description: 'Role keys' } },
} as const;
const tenantHeaders = { type: 'object', properties: { 'frontegg-tenant-id': { type: 'string' }, 'x-tenant-id': { type: 'string' } } } as const;

const selfServiceNote = (permission: string) =>
  `With an environment token, frontegg-tenant-id names the tenant. Also accepts a user token carrying ${permission} while the builder setting selfService.scimProvisioning is on: the tenant is the token's, and naming another tenant is a 403.`;

type Relations = { Querystring: { _groupsRelations?: GroupRelations } };
type RoleChange = { Params: { groupId: string }; Body: { roleIds: string[] } };

export const fronteggGroupRoutes: FastifyPluginAsync<{ groups: FronteggGroupService }> = async (app, { groups }) => {
  const tags = ['groups'];
  const tenantOf = (request: FastifyRequest) => request.selfService?.tenantId ?? tenantHeader(request);

  app.get<Relations>(
    GROUPS_PATH,
    {
      schema: {
        tags,
        summary: 'List the tenant’s provisioned groups',
        description: `The groups of the tenant directory (connections that sync to user management, and detached groups), all at once. ${selfServiceNote(GROUP_PERMISSIONS.read)}`,
        security: environmentSecurity,
        headers: tenantHeaders,
        querystring: relationsQuery,
        response: { 200: { type: 'object', required: ['groups'], properties: { groups: { type: 'array', items: groupSchema } } }, ...errorResponses(400, 401, 403) },
      },
      config: { selfService: GROUP_PERMISSIONS.read },
    },
    async (request) => ({ groups: await groups.list(tenantOf(request), request.query._groupsRelations) }),
  );

  app.get<Relations & { Params: { groupId: string } }>(
    `${GROUPS_PATH}/:groupId`,
    {
      schema: {
        tags,
        summary: 'Get a provisioned group',
        description: `Another tenant's group, or a staging connection's, is a 404. ${selfServiceNote(GROUP_PERMISSIONS.read)}`,
        security: environmentSecurity,
        headers: tenantHeaders,
        params: groupParams,
        querystring: relationsQuery,
        response: { 200: groupSchema, ...errorResponses(400, 401, 403, 404) },
      },
      config: { selfService: GROUP_PERMISSIONS.read },
    },
    async (request) => groups.get(tenantOf(request), request.params.groupId, request.query._groupsRelations),
  );

  app.post<RoleChange>(
    `${GROUPS_PATH}/:groupId/roles`,
    {
      schema: {
        tags,
        summary: 'Add roles to a provisioned group',
        description: `Its user members get these roles. Roles the group has already stay; an unknown role id is a 400 naming it. Answers with the group and its roles. ${selfServiceNote(GROUP_PERMISSIONS.writeRoles)}`,
        security: environmentSecurity,
        headers: tenantHeaders,
        params: groupParams,
        body: roleIdsBody,
        response: { 201: groupSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
      config: { selfService: GROUP_PERMISSIONS.writeRoles },
    },
    async (request, reply) => reply.code(201).send(await groups.addRoles(actorOf(request), tenantOf(request), request.params.groupId, request.body.roleIds)),
  );

  app.delete<RoleChange>(
    `${GROUPS_PATH}/:groupId/roles`,
    {
      schema: {
        tags,
        summary: 'Remove roles from a provisioned group',
        description: `The body names the roles, as for adding them. Roles the group does not have are no change; an unknown role id is a 400 naming it. Answers with the group and the roles it keeps. ${selfServiceNote(GROUP_PERMISSIONS.writeRoles)}`,
        security: environmentSecurity,
        headers: tenantHeaders,
        params: groupParams,
        body: roleIdsBody,
        response: { 200: groupSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
      config: { selfService: GROUP_PERMISSIONS.writeRoles },
    },
    async (request) => groups.removeRoles(actorOf(request), tenantOf(request), request.params.groupId, request.body.roleIds),
  );
};
