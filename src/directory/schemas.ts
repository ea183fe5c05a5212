/** JSON schemas of the directory API (validation, serialisation and the OpenAPI document). */
import { TENANT_ID_PATTERN } from '../tenants/routes.js';
import { MAX_SEARCH_LENGTH } from './search.js';

const nullableString = { type: ['string', 'null'] } as const;
/** The full SCIM resource: kept as is, whatever attributes and extensions the IdP sent. */
const scimResource = { type: 'object', additionalProperties: true, description: 'The full SCIM resource as provisioned' } as const;

const groupRef = { type: 'object', required: ['id', 'displayName'], properties: { id: { type: 'string' }, displayName: { type: 'string' } } } as const;

const userProperties = {
  id: { type: 'string' },
  tenantId: { type: 'string' },
  connectionId: { type: 'string', description: 'The connection that provisioned it (its former connection when detached)' },
  userName: { type: 'string' },
  email: nullableString,
  firstName: nullableString,
  lastName: nullableString,
  displayName: nullableString,
  active: { type: 'boolean' },
  detached: { type: 'boolean', description: 'Left behind by a connection deleted with removeUsersAndGroups=false' },
  groups: { type: 'array', items: groupRef, description: 'Groups the user is a direct member of' },
  roles: { type: 'array', items: { type: 'string' }, description: 'Effective role keys: the default role plus the roles mapped to the user’s direct groups' },
  attributes: {
    type: 'object',
    additionalProperties: true,
    description:
      'The mapped attributes (docs/attributes.md): each attribute of the catalogue that is on, with its typed value or null; `manager` as {id, userName, displayName, value}',
  },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  scim: scimResource,
} as const;

const groupProperties = {
  id: { type: 'string' },
  tenantId: { type: 'string' },
  connectionId: { type: 'string', description: 'The connection that provisioned it (its former connection when detached)' },
  displayName: { type: 'string' },
  externalId: nullableString,
  detached: { type: 'boolean', description: 'Left behind by a connection deleted with removeUsersAndGroups=false' },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  scim: scimResource,
} as const;

// Every field is always sent: the directory API adds groups and roles to each user it answers with.
const userRequired = Object.keys(userProperties) as (keyof typeof userProperties)[];
const groupRequired = Object.keys(groupProperties) as (keyof typeof groupProperties)[];

export const userSchema = { type: 'object', required: userRequired, properties: userProperties } as const;
export const groupSchema = { type: 'object', required: groupRequired, properties: groupProperties } as const;
/** A group with its direct member count: the group lists and GET /api/v1/groups/{id}. */
export const groupDetailSchema = {
  type: 'object',
  required: [...groupRequired, 'memberCount'],
  properties: { ...groupProperties, memberCount: { type: 'integer', description: 'Direct members: users and nested groups' } },
} as const;

/** A member is a user or a nested group; `type` says which, and the other fields follow that shape. */
export const memberSchema = {
  type: 'object',
  properties: { type: { type: 'string', enum: ['user', 'group'] }, ...userProperties, ...groupProperties },
} as const;

/** `{items, nextCursor}`: pass nextCursor as `cursor` for the next page; null on the last one. */
export function pageSchema(items: object) {
  return {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items }, nextCursor: { type: ['string', 'null'], description: 'Cursor of the next page; null on the last page' } },
  } as const;
}

export const pagingQuery = {
  cursor: { type: 'string', minLength: 1, maxLength: 600, description: 'nextCursor of the previous page' },
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
} as const;

const updatedSince = { type: 'string', format: 'date-time', description: 'Only resources updated at or after this instant (RFC 3339)' } as const;
const connectionIdFilter = { type: 'string', minLength: 1, maxLength: 64, description: 'Only this connection’s (or former connection’s) resources' } as const;
const search = (fields: string) =>
  ({
    type: 'string',
    minLength: 1,
    maxLength: MAX_SEARCH_LENGTH,
    description: `Text search: case-insensitive, anywhere in ${fields}. % and _ match themselves. Scans the listed scope's rows (no index): for interactive search.`,
  }) as const;
const ids = {
  type: 'string',
  minLength: 1,
  // 100 ids of up to 64 characters, with their commas.
  maxLength: 6499,
  description: 'Only these resources: their ids, comma-separated (at most 100). Unknown ids are left out of the answer.',
} as const;
const userSearch = search('userName, displayName, given and family name, externalId or primary email');
const groupSearch = search('displayName or externalId');
/** `attributes.<key>=<value>`: users whose mapped attribute has that value (docs/attributes.md). */
const attributeFilters = {
  '^attributes\\.[A-Za-z][A-Za-z0-9_]{0,63}$': { type: 'string', minLength: 1, maxLength: 256 },
} as const;
const userFilters = {
  active: { type: 'boolean' },
  q: userSearch,
  email: { type: 'string', minLength: 1, maxLength: 320, description: 'The primary email, case-insensitive' },
  updatedSince,
  ids,
} as const;

export const tenantUsersQuery = { type: 'object', properties: { ...pagingQuery, connectionId: connectionIdFilter, ...userFilters }, patternProperties: attributeFilters } as const;
export const tenantGroupsQuery = { type: 'object', properties: { ...pagingQuery, connectionId: connectionIdFilter, updatedSince, q: groupSearch, ids } } as const;
export const connectionUsersQuery = { type: 'object', properties: { ...pagingQuery, ...userFilters }, patternProperties: attributeFilters } as const;
export const connectionGroupsQuery = { type: 'object', properties: { ...pagingQuery, updatedSince, q: groupSearch, ids } } as const;
export const membersQuery = { type: 'object', properties: { ...pagingQuery } } as const;

export const tenantParams = {
  type: 'object',
  required: ['tenantId'],
  properties: { tenantId: { type: 'string', pattern: TENANT_ID_PATTERN } },
} as const;

export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

export const purgeBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { connectionId: { type: 'string', minLength: 1, maxLength: 64, description: 'Only the detached resources of this former connection' } },
} as const;

export const purgeResultSchema = {
  type: 'object',
  properties: { deletedUsers: { type: 'integer' }, deletedGroups: { type: 'integer' } },
} as const;
