/**
 * Attribute lookup by path, shared by the filter→SQL translator, the in-memory filter evaluator
 * and the PATCH engine. Names compare case-insensitively (RFC 7643 §2.1).
 */
import type { AttrPath } from '../filter/ast.js';
import { COMMON_ATTRIBUTES } from './common-attributes.js';
import { RESOURCE_TYPES, getSchema, isResourceTypeName, schemasOf, type ResourceTypeName } from './resource-types.js';
import type { AttributeDef, SchemaDef } from './types.js';

/** Where a path points: the schema (URN, `''` for common attributes), the attribute and sub-attribute. */
export interface ResolvedAttribute {
  schema: string;
  attr: AttributeDef;
  sub?: AttributeDef;
  /** The path in the schema's own spelling, without URN: `name.givenName`, `emails.value`, `department`. */
  canonicalPath: string;
}

/** Index of each schema's attributes by lower-cased name, built once. */
const byName = new WeakMap<SchemaDef | readonly AttributeDef[], Map<string, AttributeDef>>();

function indexOf(attrs: readonly AttributeDef[]): Map<string, AttributeDef> {
  return new Map(attrs.map((a) => [a.name.toLowerCase(), a]));
}

function findIn(owner: SchemaDef | readonly AttributeDef[], name: string): AttributeDef | undefined {
  let index = byName.get(owner);
  if (!index) {
    index = indexOf('attributes' in owner ? owner.attributes : owner);
    byName.set(owner, index);
  }
  return index.get(name.toLowerCase());
}

/** The sub-attribute `name` of a complex attribute, case-insensitively, or undefined. */
export function findSubAttribute(attr: AttributeDef, name: string): AttributeDef | undefined {
  if (!attr.subAttributes) return undefined;
  const lower = name.toLowerCase();
  return attr.subAttributes.find((s) => s.name.toLowerCase() === lower);
}

function complete(schema: string, attr: AttributeDef, subName: string | undefined): ResolvedAttribute | undefined {
  if (subName === undefined) return { schema, attr, canonicalPath: attr.name };
  const sub = findSubAttribute(attr, subName);
  if (!sub) return undefined;
  return { schema, attr, sub, canonicalPath: `${attr.name}.${sub.name}` };
}

function inCommon(path: AttrPath): ResolvedAttribute | undefined {
  const attr = findIn(COMMON_ATTRIBUTES, path.attr);
  return attr ? complete('', attr, path.sub) : undefined;
}

/**
 * Resolves `path` against a resource type's schemas, or returns undefined for an unknown path.
 * A URN-qualified path looks only in that schema (it must be one the resource type uses); an
 * unqualified one tries the core schema, then the extensions, then the common attributes
 * (RFC 7644 §3.10: unqualified names are in the core schema, but IdPs also send extension
 * attributes unqualified). An attribute found whose sub-attribute is unknown is undefined: the
 * search does not go on to the next schema.
 */
export function resolveAttribute(resourceType: ResourceTypeName, path: AttrPath): ResolvedAttribute | undefined {
  if (!isResourceTypeName(resourceType)) return undefined;
  const schemas = schemasOf(resourceType);
  if (path.uri !== undefined) {
    const schema = getSchema(path.uri);
    if (!schema || !schemas.includes(schema)) return undefined;
    const attr = findIn(schema, path.attr);
    if (attr) return complete(schema.id, attr, path.sub);
    // `urn:…:core:2.0:User:id`: common attributes are part of every resource (RFC 7643 §3.1),
    // so the core URN qualifies them too.
    return schema.id === RESOURCE_TYPES[resourceType].schema ? inCommon(path) : undefined;
  }
  for (const schema of schemas) {
    const attr = findIn(schema, path.attr);
    if (attr) return complete(schema.id, attr, path.sub);
  }
  return inCommon(path);
}

/** The full, URN-qualified spelling of a resolved path (common attributes stay unqualified). */
export function qualifiedPath(resolved: ResolvedAttribute): string {
  return resolved.schema ? `${resolved.schema}:${resolved.canonicalPath}` : resolved.canonicalPath;
}
