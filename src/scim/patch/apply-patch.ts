/**
 * The PATCH engine's entry point (RFC 7644 §3.5.2): validates the raw body, applies every operation
 * to one clone of the resource and either returns the result or throws — never half a PATCH
 * ("If a single operation encounters an error condition, the original SCIM resource MUST be restored").
 */
import { ScimError, invalidPath, invalidSyntax, tooMany } from '../errors.js';
import { findKey, getCI, isObject, jsonEqual, show } from './json.js';
import { isMembersTarget } from './members.js';
import { applyToTarget, type PatchContext } from './operations.js';
import { planOperation, type PlanScope } from './path-less.js';
import { coreSchemaId } from './target.js';
import type { OpName, PatchOptions, PatchResult, ScimResource } from './types.js';

/** RFC 7644 §3.5.2 message schema of a PATCH body. */
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Default cap on operations per body; the ServiceProviderConfig can advertise it. */
export const DEFAULT_MAX_OPERATIONS = 1000;
const OPS: ReadonlySet<string> = new Set(['add', 'replace', 'remove']);
/** A top-level key naming a schema (URN, or the http URIs some vendors use) holds an extension. */
const SCHEMA_URI = /^(?:urn:|https?:\/\/)/i;

/** One operation of the body, validated and normalised. */
export interface PatchOperation {
  op: OpName;
  path?: string;
  value: unknown;
  hasValue: boolean;
}

/**
 * Validates a raw PATCH body and returns its operations. Member names are matched ignoring case
 * (RFC 7643 §2.1 applies to message attributes too) and so are `op` values: Entra ID sends
 * `"Add"`/`"Replace"`/`"Remove"`. `schemas` must list the PatchOp URN (RFC 7644 §3.5.2): Okta and
 * Entra always send it, so there is no IdP to be lenient for.
 */
export function parsePatchBody(body: unknown, maxOperations = DEFAULT_MAX_OPERATIONS): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax('A PATCH body is a JSON object with "schemas" and "Operations" (RFC 7644 §3.5.2)');
  const schemas = getCI(body, 'schemas');
  const listsPatchOp = Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase());
  if (!listsPatchOp) throw invalidSyntax(`"schemas" must contain "${PATCH_OP_SCHEMA}" (RFC 7644 §3.5.2)`);
  const operations = getCI(body, 'Operations');
  if (!Array.isArray(operations)) throw invalidSyntax('"Operations" must be an array of operations (RFC 7644 §3.5.2)');
  if (operations.length === 0) throw invalidSyntax('"Operations" must contain at least one operation (RFC 7644 §3.5.2)');
  if (operations.length > maxOperations) {
    throw tooMany(`${operations.length} operations in one PATCH; at most ${maxOperations} are accepted`);
  }
  return operations.map((raw, i) => parseOperation(raw, i));
}

function parseOperation(raw: unknown, i: number): PatchOperation {
  const at = `Operations[${i}]`;
  if (!isObject(raw)) throw invalidSyntax(`${at} must be an object with "op", "path" and/or "value"`);
  const op = getCI(raw, 'op');
  if (typeof op !== 'string' || !OPS.has(op.toLowerCase())) {
    throw invalidSyntax(`${at}.op must be "add", "replace" or "remove" (any case), got ${op === undefined ? 'nothing' : show(op)}`);
  }
  const pathKey = findKey(raw, 'path');
  const path = pathKey === undefined ? undefined : raw[pathKey];
  // `"path": null` is read as no path; any other non-string is a malformed path.
  if (path !== undefined && path !== null && (typeof path !== 'string' || path.trim() === '')) {
    throw invalidPath(`${at}.path must be a non-empty string`);
  }
  const valueKey = findKey(raw, 'value');
  const parsed: PatchOperation = { op: op.toLowerCase() as OpName, value: valueKey === undefined ? undefined : raw[valueKey], hasValue: valueKey !== undefined };
  if (typeof path === 'string') parsed.path = path;
  return parsed;
}

/** Applies a PATCH body to `resource` (which is not modified) and returns the new resource and the membership changes. */
export function applyPatch(resource: ScimResource, body: unknown, options: PatchOptions): PatchResult {
  const operations = parsePatchBody(body, options.maxOperations ?? DEFAULT_MAX_OPERATIONS);
  const draft = structuredClone(resource);
  const ctx: PatchContext = { resourceType: options.resourceType, draft, memberOps: [], touched: new Map() };
  const scope = planScope(resource, options);
  let membersOnly = true;
  for (let i = 0; i < operations.length; i++) {
    const { op, path, value, hasValue } = operations[i];
    try {
      for (const step of planOperation(scope, op, path, value, hasValue)) {
        if (step.target.kind !== 'attr' || !isMembersTarget(step.target, options.resourceType)) membersOnly = false;
        applyToTarget(ctx, op, step.target, step.value, step.hasValue);
      }
    } catch (err) {
      if (!(err instanceof ScimError)) throw err;
      const label = path === undefined ? op : `${op} ${path.length > 80 ? `${path.slice(0, 77)}...` : path}`;
      throw new ScimError(err.status, `Operations[${i}] (${label}): ${err.message}`, err.scimType, err.headers);
    }
  }
  reconcileSchemas(ctx, options);
  const changed = changedAttributes(resource, ctx);
  if (ctx.memberOps.length) changed.push('members');
  return { resource: draft, memberOps: ctx.memberOps, changed, membersOnly };
}

function planScope(resource: ScimResource, options: PatchOptions): PlanScope {
  const declared: string[] = [];
  const schemas = resource.schemas;
  if (Array.isArray(schemas)) for (const s of schemas) if (typeof s === 'string') declared.push(s);
  // Extension objects present but missing from `schemas` still count as extensions.
  for (const key of Object.keys(resource)) if (SCHEMA_URI.test(key) && isObject(resource[key])) declared.push(key);
  const id = options.id ?? (typeof resource.id === 'string' ? resource.id : undefined);
  return id === undefined ? { resourceType: options.resourceType, declared } : { resourceType: options.resourceType, declared, id };
}

/**
 * Keeps `schemas` in step with the extension objects touched: an extension given attributes is
 * listed, one left empty is deleted and unlisted (RFC 7643 §3: `schemas` names the schemas "used
 * to indicate the attributes present"). Extensions the PATCH did not touch are left as they were.
 */
function reconcileSchemas(ctx: PatchContext, options: PatchOptions): void {
  const urns = new Set<string>();
  for (const t of ctx.touched.values()) if (t.urn !== undefined) urns.add(t.urn);
  if (urns.size === 0) return;
  const { draft } = ctx;
  const schemas: unknown[] = Array.isArray(draft.schemas) ? draft.schemas.slice() : [coreSchemaId(options.resourceType)];
  for (const urn of urns) {
    const key = findKey(draft, urn);
    const obj = key === undefined ? undefined : draft[key];
    const listed = schemas.findIndex((s) => typeof s === 'string' && s.toLowerCase() === urn.toLowerCase());
    if (isObject(obj) && Object.keys(obj).length > 0) {
      if (listed === -1) schemas.push(urn);
    } else {
      if (key !== undefined) delete draft[key];
      if (listed !== -1) schemas.splice(listed, 1);
    }
  }
  draft.schemas = schemas;
}

/** The attributes whose value differs between `before` and the draft, in the order they were touched. */
function changedAttributes(before: ScimResource, ctx: PatchContext): string[] {
  const out = new Set<string>();
  for (const { urn, key } of ctx.touched.values()) {
    if (urn === undefined) {
      if (key !== undefined && !jsonEqual(getCI(before, key), getCI(ctx.draft, key))) out.add(key);
      continue;
    }
    const was = getCI(before, urn);
    const now = getCI(ctx.draft, urn);
    const wasObj = isObject(was) ? was : {};
    const nowObj = isObject(now) ? now : {};
    const keys = key !== undefined ? [key] : [...Object.keys(wasObj), ...Object.keys(nowObj)];
    for (const k of keys) if (!jsonEqual(getCI(wasObj, k), getCI(nowObj, k))) out.add(`${urn}:${k}`);
  }
  return [...out];
}
