/**
 * Turns a POST or PUT body into the stored resource: attribute names in the schema's spelling,
 * values coerced to their types (Entra's "True"/"False" included), readOnly attributes and
 * passwords dropped, unknown extension schemas kept as sent (Okta custom attributes, Entra's
 * ADSCIM group extension), members split off for the membership rows.
 */
import { invalidSyntax, invalidValue } from '../errors.js';
import { coerceAttribute, coerceMany, finalize } from '../patch/coerce.js';
import { copyJson, isForbiddenKey, isObject } from '../patch/json.js';
import type { MemberRef } from '../patch/types.js';
import { RESOURCE_TYPES, getSchema, isExtensionSchema, schemasOf, type ResourceTypeName } from '../schema/index.js';
import type { AttributeDef, SchemaDef } from '../schema/types.js';

/** A declared schema is a URN, or an http(s) URI as Entra's ADSCIM extension is. */
const SCHEMA_URI = /^(?:urn:|https?:\/\/)/i;

/** A stored resource: the JSON kept in the `resource` column (no id, meta, groups or members). */
export type StoredResource = Record<string, unknown>;

/** A normalised body, with the group members apart. */
export interface Normalized {
  resource: StoredResource;
  members?: MemberRef[];
}

function attributeOf(schema: SchemaDef, key: string): AttributeDef | undefined {
  const lower = key.toLowerCase();
  return schema.attributes.find((a) => a.name.toLowerCase() === lower);
}

/** Coerces `raw` into `out[attr.name]` unless it is readOnly, writeOnly-secret or empty. */
function put(out: Record<string, unknown>, attr: AttributeDef, raw: unknown, where: string): void {
  // RFC 7644 §3.3/§3.5.1: readOnly values a client sends are ignored. `password` is never stored.
  if (attr.mutability === 'readOnly' || attr.name === 'password') return;
  let value = coerceAttribute(attr, raw, where);
  if (attr.type === 'complex' && !attr.multiValued) value = finalize(value as Record<string, unknown> | null);
  if (value !== null && value !== undefined) out[attr.name] = value;
}

function extensionObject(schema: SchemaDef, raw: unknown, where: string): Record<string, unknown> | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (!isObject(raw)) throw invalidValue(`${where} must be an object of ${schema.name} attributes`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const attr = attributeOf(schema, key);
    if (attr) put(out, attr, value, `${where}.${attr.name}`);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Normalises a POST/PUT body for `resourceType`. Unknown attributes of the core schema are
 * ignored (an IdP mapping a field we do not model must not fail the whole user); unknown
 * URN-keyed extensions are kept verbatim.
 */
export function normalizeResource(resourceType: ResourceTypeName, body: unknown): Normalized {
  if (!isObject(body)) throw invalidSyntax('The request body must be a JSON object');
  const [core] = schemasOf(resourceType);
  const coreUrn = RESOURCE_TYPES[resourceType].schema;
  const declared = body.schemas;
  if (declared !== undefined && (!Array.isArray(declared) || declared.some((s) => typeof s !== 'string'))) {
    throw invalidSyntax('"schemas" must be an array of schema URNs');
  }
  const resource: StoredResource = {};
  const extensions: string[] = [];
  let members: MemberRef[] | undefined;

  for (const [key, value] of Object.entries(body)) {
    if (isForbiddenKey(key)) throw invalidValue(`"${key}" is not allowed as an attribute name`);
    const lower = key.toLowerCase();
    if (lower === 'schemas' || lower === 'id' || lower === 'meta') continue;
    if (lower === 'externalid') {
      if (value !== null && value !== undefined && value !== '') {
        if (typeof value !== 'string') throw invalidValue('"externalId" must be a string');
        resource.externalId = value;
      }
      continue;
    }
    if (key.includes(':')) {
      if (lower === coreUrn.toLowerCase()) continue;
      const known = getSchema(key);
      if (known && isExtensionSchema(known.id, resourceType)) {
        const ext = extensionObject(known, value, key);
        if (ext) {
          resource[known.id] = ext;
          extensions.push(known.id);
        }
      } else if (value !== null && value !== undefined) {
        resource[key] = copyJson(value, key);
        extensions.push(key);
      }
      continue;
    }
    const attr = attributeOf(core, key);
    if (!attr) continue;
    if (resourceType === 'Group' && attr.name === 'members') {
      members = (coerceMany(attr, value, 'members') ?? []).map((m) => m as MemberRef);
      continue;
    }
    put(resource, attr, value, attr.name);
  }

  // Entra ID declares its ADSCIM group schema without sending attributes under it: a schema URI the
  // server does not know is kept as declared, so the resource comes back as the client described it.
  for (const urn of (declared ?? []) as string[]) {
    if (SCHEMA_URI.test(urn) && !getSchema(urn) && !extensions.some((e) => e.toLowerCase() === urn.toLowerCase())) extensions.push(urn);
  }

  const required = resourceType === 'User' ? 'userName' : 'displayName';
  if (typeof resource[required] !== 'string' || (resource[required]).trim() === '') {
    throw invalidValue(`"${required}" is required and must be a non-empty string`);
  }
  if (resourceType === 'User' && resource.active === undefined) resource.active = true;
  return { resource: { schemas: [coreUrn, ...extensions], ...resource }, members };
}

/** Recomputes `schemas` after a change: the core URN plus every extension key present. */
export function withSchemas(resourceType: ResourceTypeName, resource: StoredResource): StoredResource {
  const coreUrn = RESOURCE_TYPES[resourceType].schema;
  const extensions = Object.keys(resource).filter((k) => k.includes(':') && k !== 'schemas');
  return { ...resource, schemas: [coreUrn, ...extensions] };
}
