/**
 * Resolves a PATCH path (or a path-less value key) to what it designates in the resource: a schema
 * attribute, an attribute of an unknown extension, or a whole extension object (RFC 7644 §3.5.2).
 */
import type { FilterNode } from '../filter/ast.js';
import { parsePatchPath } from '../filter/parser.js';
import { RESOURCE_TYPES, getSchema, resolveAttribute, schemasOf } from '../schema/index.js';
import type { AttributeDef, SchemaDef } from '../schema/index.js';
import { invalidPath } from '../errors.js';
import { isForbiddenKey } from './json.js';
import type { PatchResourceType } from './types.js';

/** A known attribute, possibly narrowed to a sub-attribute or to the elements a value filter selects. */
export interface AttrTarget {
  kind: 'attr';
  /** Extension URN whose object holds the attribute; undefined for core and common attributes. */
  urn?: string;
  attr: AttributeDef;
  /** `name.givenName`: a sub-attribute addressed without a filter. */
  sub?: AttributeDef;
  /** `emails[type eq "work"]`: the value filter selecting elements. */
  filter?: FilterNode;
  /** `emails[type eq "work"].value`: the sub-attribute of the selected elements. */
  subAfterFilter?: AttributeDef;
  /** Path text as the client sent it, for error details. */
  text: string;
}

/** An attribute of an extension schema this server has no definition of: kept as sent, never a 400. */
export interface UnknownTarget {
  kind: 'unknown';
  urn: string;
  name: string;
  sub?: string;
  text: string;
}

/** A whole extension object (`urn:…:enterprise:2.0:User`), or the core schema URN used as a key. */
export interface ExtensionTarget {
  kind: 'extension';
  urn: string;
  /** Undefined for an extension this server does not know. */
  schema?: SchemaDef;
  core: boolean;
  text: string;
}

/** What a path designates. */
export type Target = AttrTarget | UnknownTarget | ExtensionTarget;

/** What target resolution needs to know about the request. */
export interface ResolveScope {
  resourceType: PatchResourceType;
  /** The resource's `schemas`: an unknown URN listed there is an extension, not a qualified attribute. */
  declared: readonly string[];
}

/** Schema URIs: URNs (RFC 7643 §8.7) and the http URIs some vendors use for their extensions. */
const URI_PREFIX = /^(?:urn:|https?:\/\/)/i;
const HTTP_PREFIX = /^https?:\/\//i;

/** The core schema URN of a resource type. */
export function coreSchemaId(resourceType: PatchResourceType): string {
  return RESOURCE_TYPES[resourceType].schema;
}

/** A schema URN equal (ignoring case, RFC 8141 §3.1) to `text`, known or declared by the resource. */
export function matchSchemaUrn(scope: ResolveScope, text: string): ExtensionTarget | undefined {
  const known = getSchema(text);
  if (known) {
    if (!schemasOf(scope.resourceType).includes(known)) throw notThisType(scope, known.id, text);
    const core = known.id === coreSchemaId(scope.resourceType);
    return { kind: 'extension', urn: known.id, schema: known, core, text };
  }
  const lower = text.toLowerCase();
  const declared = scope.declared.find((d) => d.toLowerCase() === lower);
  if (declared !== undefined && !getSchema(declared)) return { kind: 'extension', urn: declared, core: false, text };
  return undefined;
}

/** A schema this server knows, used on a resource type it does not belong to (RFC 7643 §6). */
function notThisType(scope: ResolveScope, urn: string, text: string) {
  return invalidPath(`"${text}": schema ${urn} is not a schema of ${scope.resourceType} resources`);
}

/** The unknown extension declared in `schemas` that prefixes `text` (`urn:x:User:attr` → `urn:x:User`). */
function declaredPrefix(scope: ResolveScope, text: string): string | undefined {
  const lower = text.toLowerCase();
  let best: string | undefined;
  for (const d of scope.declared) {
    if (getSchema(d)) continue;
    if (lower.startsWith(`${d.toLowerCase()}:`) && (best === undefined || d.length > best.length)) best = d;
  }
  return best;
}

function unknownTarget(urn: string, name: string, sub: string | undefined, text: string): UnknownTarget {
  if (isForbiddenKey(name) || (sub !== undefined && isForbiddenKey(sub)) || name === '') {
    throw invalidPath(`"${text}" is not a valid attribute path`);
  }
  return sub === undefined ? { kind: 'unknown', urn, name, text } : { kind: 'unknown', urn, name, sub, text };
}

/** `attr` or `attr.sub` of an extension without a schema. */
function splitUnknown(urn: string, rest: string, text: string): UnknownTarget {
  const dot = rest.indexOf('.');
  return dot === -1 ? unknownTarget(urn, rest, undefined, text) : unknownTarget(urn, rest.slice(0, dot), rest.slice(dot + 1), text);
}

/**
 * Resolves `text`. `valueIsObject` settles one ambiguity: an unknown `urn:…` with an object value is
 * taken as a whole extension object (Okta and Entra send `"urn:…:User": {…}`), with any other value
 * as `urn` + `:attribute` split at the last colon (RFC 7644 §3.10 qualified attribute).
 */
export function resolveTarget(scope: ResolveScope, text: string, valueIsObject: boolean): Target {
  const whole = matchSchemaUrn(scope, text);
  if (whole) return whole;
  if (URI_PREFIX.test(text)) {
    const prefix = declaredPrefix(scope, text);
    if (prefix !== undefined) return splitUnknown(prefix, text.slice(prefix.length + 1), text);
    if (HTTP_PREFIX.test(text)) {
      // An undeclared http(s) schema URI (Entra's `http://schemas.microsoft.com/…/ADSCIM/2.0/Group`):
      // the filter grammar cannot parse it, so split it by hand — an object is the whole extension,
      // anything else an attribute after the last ":" (RFC 7644 §3.10).
      const colon = text.lastIndexOf(':');
      if (valueIsObject || colon <= text.indexOf(':')) return { kind: 'extension', urn: text, core: false, text };
      return splitUnknown(text.slice(0, colon), text.slice(colon + 1), text);
    }
  }
  const parsed = parsePatchPath(text);
  const { path } = parsed;
  if (path.uri !== undefined) {
    const schema = getSchema(path.uri);
    if (schema && !schemasOf(scope.resourceType).includes(schema)) throw notThisType(scope, schema.id, text);
    if (!schema) {
      if (valueIsObject && !parsed.filter && path.sub === undefined) {
        return { kind: 'extension', urn: text, core: false, text };
      }
      if (parsed.filter) throw invalidPath(`"${text}": value filters need a known schema; ${path.uri} is not one`);
      return unknownTarget(path.uri, path.attr, path.sub, text);
    }
  }
  const resolved = resolveAttribute(scope.resourceType, path);
  if (!resolved) {
    const where = path.uri ?? coreSchemaId(scope.resourceType);
    throw invalidPath(`"${text}" is not an attribute of ${where} (unknown attribute "${path.attr}${path.sub ? `.${path.sub}` : ''}")`);
  }
  const urn = resolved.schema === '' || resolved.schema === coreSchemaId(scope.resourceType) ? undefined : resolved.schema;
  const target: AttrTarget = { kind: 'attr', attr: resolved.attr, text };
  if (urn !== undefined) target.urn = urn;
  if (resolved.sub) target.sub = resolved.sub;
  if (parsed.filter) {
    if (resolved.sub) throw invalidPath(`"${text}": a value filter applies to a multi-valued attribute, not a sub-attribute`);
    if (!resolved.attr.multiValued || resolved.attr.type !== 'complex') {
      throw invalidPath(`"${text}": "${resolved.attr.name}" is not a multi-valued complex attribute, so it takes no value filter`);
    }
    target.filter = parsed.filter;
    if (parsed.subAfterFilter !== undefined) {
      const lower = parsed.subAfterFilter.toLowerCase();
      const sub = resolved.attr.subAttributes?.find((s) => s.name.toLowerCase() === lower);
      if (!sub) throw invalidPath(`"${text}": "${parsed.subAfterFilter}" is not a sub-attribute of "${resolved.attr.name}"`);
      target.subAfterFilter = sub;
    }
  }
  return target;
}
