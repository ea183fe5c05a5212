/**
 * Attributes every resource has whatever its schema (RFC 7643 §3.1): `id`, `externalId`, `meta`,
 * plus `schemas` (RFC 7643 §3). They belong to no schema, so /Schemas does not list them, but
 * filters (`id eq "…"`, `meta.lastModified gt "…"`) and PATCH need their characteristics.
 */
import { attribute, complexAttribute, deepFreeze } from './attribute-builders.js';
import type { AttributeDef } from './types.js';

/** RFC 7643 §3.1 `id`: assigned by the service provider, never by the client. */
export const ID_ATTRIBUTE: AttributeDef = attribute(
  'id',
  'A unique identifier for a SCIM resource as defined by the service provider.',
  { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' },
);

/** RFC 7643 §3.1 `externalId`: the client's own identifier, e.g. Entra ID's objectId. */
export const EXTERNAL_ID_ATTRIBUTE: AttributeDef = attribute(
  'externalId',
  'A String that is an identifier for the resource as defined by the provisioning client.',
  { caseExact: true },
);

const readOnly = { mutability: 'readOnly' } as const;

/** RFC 7643 §3.1 `meta`: set by the service provider, ignored when a client sends it. */
export const META_ATTRIBUTE: AttributeDef = complexAttribute(
  'meta',
  'A complex attribute containing resource metadata.',
  [
    attribute('resourceType', 'The name of the resource type of the resource.', { ...readOnly, caseExact: true }),
    attribute('created', 'The "DateTime" that the resource was added to the service provider.', {
      ...readOnly,
      type: 'dateTime',
    }),
    attribute('lastModified', 'The most recent DateTime that the details of this resource were updated at the service provider.', {
      ...readOnly,
      type: 'dateTime',
    }),
    attribute('location', 'The URI of the resource being returned.', {
      ...readOnly,
      type: 'reference',
      referenceTypes: ['uri'],
      caseExact: true,
    }),
    attribute('version', 'The version of the resource being returned (an entity tag, RFC 7232 §2.3).', {
      ...readOnly,
      caseExact: true,
    }),
  ],
  readOnly,
);

/**
 * RFC 7643 §3 `schemas`: not in §3.1's list, but RFC 7644 §3.4.2.2 filters on it
 * (`schemas eq "urn:…:enterprise:2.0:User"`). URNs compare case-insensitively (RFC 8141 §3.1).
 */
export const SCHEMAS_ATTRIBUTE: AttributeDef = attribute(
  'schemas',
  'The schema URIs used to indicate the attributes present in the resource.',
  { type: 'reference', referenceTypes: ['uri'], multiValued: true, required: true, returned: 'always' },
);

/** Every common attribute, in the order the resolver tries them. */
export const COMMON_ATTRIBUTES: readonly AttributeDef[] = deepFreeze([
  ID_ATTRIBUTE,
  EXTERNAL_ID_ATTRIBUTE,
  META_ATTRIBUTE,
  SCHEMAS_ATTRIBUTE,
]);
