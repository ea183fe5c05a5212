/** The resource types this server serves (RFC 7643 §6) and the schemas each one uses. */
import { deepFreeze } from './attribute-builders.js';
import { enterpriseUserSchema } from './enterprise-user-schema.js';
import { groupSchema } from './group-schema.js';
import type { SchemaDef } from './types.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './urns.js';
import { userSchema } from './user-schema.js';

export const RESOURCE_TYPE_NAMES = ['User', 'Group'] as const;
/** The name of a resource type, as in `meta.resourceType`. */
export type ResourceTypeName = (typeof RESOURCE_TYPE_NAMES)[number];

/** An extension schema a resource type accepts (RFC 7643 §6 `schemaExtensions`). */
export interface SchemaExtensionDef {
  schema: string;
  required: boolean;
}

/** A resource type as RFC 7643 §6 describes it (served by /ResourceTypes as is). */
export interface ResourceTypeDef {
  id: ResourceTypeName;
  name: ResourceTypeName;
  endpoint: string;
  description: string;
  schema: string;
  schemaExtensions: SchemaExtensionDef[];
}

/** Every resource type, keyed by name. */
export const RESOURCE_TYPES: Readonly<Record<ResourceTypeName, ResourceTypeDef>> = deepFreeze({
  User: {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER_SCHEMA,
    // Optional: Okta and Entra ID only send the extension when an enterprise attribute is mapped.
    schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
  },
  Group: {
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Group',
    schema: GROUP_SCHEMA,
    schemaExtensions: [],
  },
});

/** Every schema, in the order /Schemas lists them. */
export const ALL_SCHEMAS: readonly SchemaDef[] = deepFreeze([userSchema, enterpriseUserSchema, groupSchema]);

const SCHEMAS_BY_URN = new Map(ALL_SCHEMAS.map((s) => [s.id.toLowerCase(), s]));

/** The schema with this URN, compared case-insensitively (RFC 8141 §3.1), or undefined. */
export function getSchema(urn: string): SchemaDef | undefined {
  return SCHEMAS_BY_URN.get(urn.toLowerCase());
}

/** True for a `ResourceTypeName`; use it to narrow untrusted strings. */
export function isResourceTypeName(name: string): name is ResourceTypeName {
  return (RESOURCE_TYPE_NAMES as readonly string[]).includes(name);
}

function schemasOfType(rt: ResourceTypeDef): readonly SchemaDef[] {
  const urns = [rt.schema, ...rt.schemaExtensions.map((e) => e.schema)];
  return deepFreeze(urns.map((urn) => getSchema(urn)).filter((s): s is SchemaDef => s !== undefined));
}

const SCHEMAS_OF: Readonly<Record<ResourceTypeName, readonly SchemaDef[]>> = {
  User: schemasOfType(RESOURCE_TYPES.User),
  Group: schemasOfType(RESOURCE_TYPES.Group),
};

/** The core schema then the extension schemas of a resource type, in resolution order. */
export function schemasOf(resourceType: ResourceTypeName): readonly SchemaDef[] {
  return SCHEMAS_OF[resourceType];
}

/**
 * True when `urn` is an extension schema (of `resourceType` if given): its attributes live under
 * the URN key of the resource (RFC 7643 §3.3), not at the top level.
 */
export function isExtensionSchema(urn: string, resourceType?: ResourceTypeName): boolean {
  const lower = urn.toLowerCase();
  const types = resourceType ? [RESOURCE_TYPES[resourceType]] : Object.values(RESOURCE_TYPES);
  return types.some((rt) => rt.schemaExtensions.some((e) => e.schema.toLowerCase() === lower));
}
