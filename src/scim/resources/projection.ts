/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which attributes a response
 * carries. Decided before loading, so that Entra's `excludedAttributes=members` never reads a
 * membership row.
 */
import type { AttrPath } from '../filter/ast.js';
import { parseAttributeList } from '../filter/attr-path.js';
import { resolveAttribute, type ResourceTypeName } from '../schema/index.js';

/** A parsed projection; `include` undefined means "the default set". */
export interface Projection {
  include?: AttrPath[];
  exclude: AttrPath[];
}

/** Parses the two query parameters (either may be absent). */
export function parseProjection(attributes?: string, excludedAttributes?: string): Projection {
  const include = attributes ? parseAttributeList(attributes) : [];
  return { include: include.length > 0 ? include : undefined, exclude: excludedAttributes ? parseAttributeList(excludedAttributes) : [] };
}

/** A path as keys into the output JSON: `[urn?, attr, sub?]`, with the schema's spelling when known. */
function keysOf(resourceType: ResourceTypeName, path: AttrPath): string[] {
  // A whole extension: `urn:…:enterprise:2.0:User` parses as uri `urn:…:2.0`, attr `User`.
  if (path.uri !== undefined && path.sub === undefined && !resolveAttribute(resourceType, path)) return [`${path.uri}:${path.attr}`];
  const resolved = resolveAttribute(resourceType, path);
  const core = `urn:ietf:params:scim:schemas:core:2.0:${resourceType}`;
  if (!resolved) return [...(path.uri ? [path.uri] : []), path.attr, ...(path.sub ? [path.sub] : [])];
  const [attr, sub] = resolved.canonicalPath.split('.');
  return [...(resolved.schema && resolved.schema !== core ? [resolved.schema] : []), attr, ...(sub ? [sub] : [])];
}

const ALWAYS = new Set(['id', 'schemas']);

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** True when the response needs the top-level attribute `name` (e.g. `members`, `groups`). */
export function wants(projection: Projection, resourceType: ResourceTypeName, name: string): boolean {
  if (projection.include) return projection.include.some((p) => same(keysOf(resourceType, p)[0], name));
  return !projection.exclude.some((p) => {
    const keys = keysOf(resourceType, p);
    return keys.length === 1 && same(keys[0], name);
  });
}

function pick(source: Record<string, unknown>, keys: string[], target: Record<string, unknown>): void {
  const [head, ...rest] = keys;
  const key = Object.keys(source).find((k) => same(k, head));
  if (key === undefined) return;
  const value = source[key];
  if (rest.length === 0) {
    target[key] = value;
    return;
  }
  if (Array.isArray(value)) {
    // `emails.value`: keep that sub-attribute of every element.
    const existing = Array.isArray(target[key]) ? (target[key] as Record<string, unknown>[]) : value.map(() => ({}));
    value.forEach((el, i) => {
      if (el && typeof el === 'object') pick(el as Record<string, unknown>, rest, existing[i]);
    });
    target[key] = existing;
    return;
  }
  if (value && typeof value === 'object') {
    const nested = (target[key] as Record<string, unknown> | undefined) ?? {};
    pick(value as Record<string, unknown>, rest, nested);
    target[key] = nested;
  }
}

function drop(target: Record<string, unknown>, keys: string[]): void {
  const [head, ...rest] = keys;
  const key = Object.keys(target).find((k) => same(k, head));
  if (key === undefined || ALWAYS.has(key)) return;
  if (rest.length === 0) {
    delete target[key];
    return;
  }
  const value = target[key];
  if (Array.isArray(value)) {
    target[key] = (value as unknown[]).map((el) => {
      if (!el || typeof el !== 'object') return el;
      const copy = { ...(el as Record<string, unknown>) };
      drop(copy, rest);
      return copy;
    });
  } else if (value && typeof value === 'object') {
    const copy = { ...(value as Record<string, unknown>) };
    drop(copy, rest);
    target[key] = copy;
  }
}

/** Applies a projection to a full SCIM resource; `id` and `schemas` are always returned (RFC 7643 §3.1). */
export function project(resource: Record<string, unknown>, resourceType: ResourceTypeName, projection: Projection): Record<string, unknown> {
  if (projection.include) {
    const out: Record<string, unknown> = { schemas: resource.schemas, id: resource.id };
    for (const path of projection.include) pick(resource, keysOf(resourceType, path), out);
    return out;
  }
  if (projection.exclude.length === 0) return resource;
  const out = { ...resource };
  for (const path of projection.exclude) drop(out, keysOf(resourceType, path));
  return out;
}
