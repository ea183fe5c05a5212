/** Schema definitions (RFC 7643) and lookups; import the schema folder through this file. */
export { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './urns.js';
export { userSchema } from './user-schema.js';
export { enterpriseUserSchema } from './enterprise-user-schema.js';
export { groupSchema } from './group-schema.js';
export {
  COMMON_ATTRIBUTES,
  EXTERNAL_ID_ATTRIBUTE,
  ID_ATTRIBUTE,
  META_ATTRIBUTE,
  SCHEMAS_ATTRIBUTE,
} from './common-attributes.js';
export {
  ALL_SCHEMAS,
  RESOURCE_TYPES,
  RESOURCE_TYPE_NAMES,
  getSchema,
  isExtensionSchema,
  isResourceTypeName,
  schemasOf,
  type ResourceTypeDef,
  type ResourceTypeName,
  type SchemaExtensionDef,
} from './resource-types.js';
export { findSubAttribute, qualifiedPath, resolveAttribute, type ResolvedAttribute } from './resolve-attribute.js';
export type { AttributeDef, AttributeType, Mutability, Returned, SchemaDef } from './types.js';
