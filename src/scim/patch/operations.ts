/**
 * add / replace / remove on one resolved target of the draft resource (RFC 7644 §3.5.2.1–3).
 * Each change is computed as a new attribute value, then checked (mutability, required) and written
 * in one place, `commit`, so every rule applies the same way whatever the path form.
 */
import { invalidPath, invalidValue, mutability } from '../errors.js';
import type { AttributeDef } from '../schema/index.js';
import { coerceComplex, coerceElement, coerceMany, coerceSimple } from './coerce.js';
import { copyJson, deleteCI, getCI, isObject, isUnassigned, jsonEqual, setCI } from './json.js';
import { isMembersTarget, memberOpFor, pushMemberOp } from './members.js';
import { appendUnique, elementContains } from './multi-valued.js';
import type { AttrTarget, ExtensionTarget, Target, UnknownTarget } from './target.js';
import type { MemberOp, OpName, PatchResourceType, ScimResource } from './types.js';
import { applyFiltered, mergeInto } from './value-filter.js';

/** A place a PATCH wrote to, for computing `changed`: a core attribute, an extension attribute, or a whole extension. */
export interface Touched {
  urn?: string;
  key?: string;
}

/** State of one PATCH: the draft (a clone, so in-place writes are safe), member ops, what was touched. */
export interface PatchContext {
  resourceType: PatchResourceType;
  draft: ScimResource;
  memberOps: MemberOp[];
  touched: Map<string, Touched>;
}

function touch(ctx: PatchContext, urn: string | undefined, key: string | undefined): void {
  const id = `${urn ?? ''}\u0000${key ?? ''}`;
  if (!ctx.touched.has(id)) ctx.touched.set(id, urn === undefined ? { key } : key === undefined ? { urn } : { urn, key });
}

/** The object holding attributes of `urn` (the resource itself for core), created on demand. */
function holderFor(ctx: PatchContext, urn: string | undefined, create: boolean): Record<string, unknown> | undefined {
  if (urn === undefined) return ctx.draft;
  const existing = getCI(ctx.draft, urn);
  if (isObject(existing)) {
    setCI(ctx.draft, urn, existing); // normalise the key's spelling to the schema's
    return existing;
  }
  if (!create) return undefined;
  const created: Record<string, unknown> = {};
  setCI(ctx.draft, urn, created);
  return created;
}

/** Applies one operation to one target. Throws a ScimError (status 400) when it cannot. */
export function applyToTarget(ctx: PatchContext, op: OpName, target: Target, value: unknown, hasValue: boolean): void {
  if (op !== 'remove' && !hasValue) {
    throw invalidValue(`"${target.text}": ${op} needs a "value" (RFC 7644 §3.5.2.1, §3.5.2.3)`);
  }
  if (target.kind === 'extension') applyExtension(ctx, op, target, value);
  else if (target.kind === 'unknown') applyUnknown(ctx, op, target, value, hasValue);
  else applyAttr(ctx, op, target, value, hasValue);
}

/** Only remove (or add/replace of null) reaches here: objects are expanded by path-less.ts. */
function applyExtension(ctx: PatchContext, op: OpName, target: ExtensionTarget, value: unknown): void {
  if (op !== 'remove' && value !== null) throw invalidValue(`"${target.text}": an extension's value is an object of its attributes`);
  if (target.core) throw invalidPath(`"${target.text}" is the core schema; remove its attributes one by one`);
  if (deleteCI(ctx.draft, target.urn)) touch(ctx, target.urn, undefined);
}

/**
 * An attribute of an extension we have no schema for: kept as sent (Okta `urn:okta:…` custom
 * attributes, Entra's ADSCIM extension), never a 400. Without a schema, add appends to a list and
 * merges into an object; replace overwrites; null or remove deletes.
 */
function applyUnknown(ctx: PatchContext, op: OpName, t: UnknownTarget, value: unknown, hasValue: boolean): void {
  const holder = holderFor(ctx, t.urn, op !== 'remove' && value !== null);
  if (!holder) return;
  touch(ctx, t.urn, t.name);
  const current = getCI(holder, t.name);
  const clear = op === 'remove' || value === null;
  if (t.sub !== undefined) {
    const obj = isObject(current) ? { ...current } : {};
    if (clear) deleteCI(obj, t.sub);
    else setCI(obj, t.sub, copyJson(value, t.text));
    if (Object.keys(obj).length) setCI(holder, t.name, obj);
    else deleteCI(holder, t.name);
    return;
  }
  if (clear) {
    if (op === 'remove' && hasValue && value !== null && Array.isArray(current)) {
      const drop = Array.isArray(value) ? value : [value];
      const left = current.filter((el) => !drop.some((d) => jsonEqual(el, d)));
      if (left.length) setCI(holder, t.name, left);
      else deleteCI(holder, t.name);
    } else deleteCI(holder, t.name);
    return;
  }
  const v = copyJson(value, t.text);
  let next: unknown = v;
  if (op === 'add' && Array.isArray(current)) {
    next = current.slice();
    for (const el of Array.isArray(v) ? v : [v]) if (!current.some((c) => jsonEqual(c, el))) (next as unknown[]).push(el);
  } else if (op === 'add' && isObject(current) && isObject(v)) {
    next = { ...current, ...v };
  }
  setCI(holder, t.name, next);
}

function applyAttr(ctx: PatchContext, op: OpName, t: AttrTarget, value: unknown, hasValue: boolean): void {
  if (isMembersTarget(t, ctx.resourceType)) {
    const memberOp = memberOpFor(op, t, value, hasValue);
    if (memberOp) pushMemberOp(ctx.memberOps, memberOp);
    return;
  }
  // `schemas` is derived from the extension objects present (apply-patch.ts), whatever the client says.
  if (t.urn === undefined && t.attr.name === 'schemas') return;
  const holder = holderFor(ctx, t.urn, op !== 'remove');
  if (!holder) return;
  const current = getCI(holder, t.attr.name);
  const next = t.filter
    ? applyFiltered(op, t, current, value)
    : t.sub
      ? applySub(op, t, t.sub, current, value)
      : applyWhole(op, t, current, value, hasValue);
  const readOnlySub = (t.sub ?? t.subAfterFilter)?.mutability === 'readOnly';
  if (commit(holder, t, current, next, readOnlySub)) touch(ctx, t.urn, t.attr.name);
}

/**
 * Writes `next` over `current` after the checks of RFC 7644 §3.5.2: a client "MUST NOT modify" a
 * readOnly attribute, nor an immutable one that has a value (mutability); removing a required one
 * is a missing required value (invalidValue, RFC 7644 §3.12). Writing what is already there is not a
 * modification ("no changes should be made", RFC 7644 §3.5.2.1), which is how Okta's path-less
 * `{"id": "<same id>", "displayName": …}` passes. Returns whether anything changed.
 */
function commit(holder: Record<string, unknown>, t: AttrTarget, current: unknown, next: unknown, readOnlySub: boolean): boolean {
  if (jsonEqual(current, next)) return false;
  const { attr } = t;
  if (attr.mutability === 'readOnly' || readOnlySub) {
    throw mutability(`"${t.text}" is readOnly (RFC 7643 §7) and cannot be modified`);
  }
  if (attr.mutability === 'immutable' && !isUnassigned(current)) {
    throw mutability(`"${t.text}" is immutable (RFC 7643 §7) and already has a value`);
  }
  if (isUnassigned(next)) {
    if (attr.required) throw invalidValue(`"${t.text}": "${attr.name}" is required (RFC 7643 §7) and cannot be removed or emptied`);
    deleteCI(holder, attr.name);
  } else {
    setCI(holder, attr.name, next);
  }
  return true;
}

/** Operation on the attribute as a whole (no sub-attribute, no filter). */
function applyWhole(op: OpName, t: AttrTarget, current: unknown, value: unknown, hasValue: boolean): unknown {
  const { attr, text } = t;
  if (op === 'remove') {
    // Plain remove (RFC 7644 §3.5.2.2). With a value — Entra's `Remove manager [{value: id}]` — only
    // values equal to the ones given are removed; a value not there is nothing to do.
    if (!hasValue || value === null) return undefined;
    return removeValues(attr, current, value, text);
  }
  if (attr.multiValued) {
    const items = coerceMany(attr, value, text);
    if (items === null) return undefined; // null / [] — unassigned (RFC 7643 §2.5)
    // add appends, skipping values already there (RFC 7644 §3.5.2.1); replace replaces all (§3.5.2.3).
    return op === 'add' ? appendUnique(attr, Array.isArray(current) ? current : [], items) : items;
  }
  if (attr.type === 'complex') {
    const v = coerceComplex(attr, value, text);
    if (v === null) return undefined;
    // Both add and replace merge: "Sub-attributes that are not specified in the value parameter are
    // left unchanged" (RFC 7644 §3.5.2.3).
    return mergeInto(current, v) ?? undefined;
  }
  return coerceSimple(attr, value, text) ?? undefined;
}

/** Remove only the given values of an attribute (remove with a value, an Entra ID habit). */
function removeValues(attr: AttributeDef, current: unknown, value: unknown, text: string): unknown {
  if (attr.multiValued) {
    if (!Array.isArray(current)) return current;
    const drop = coerceMany(attr, value, text);
    if (drop === null) return current;
    const left = current.filter((el) => !drop.some((d) => elementContains(attr, el, d)));
    return left.length ? left : undefined;
  }
  const drop = coerceElement(attr, value, text);
  if (drop === null) return undefined;
  return elementContains(attr, current, drop) ? undefined : current;
}

/** `name.givenName` (single complex) or `emails.value` (every element of a multi-valued one). */
function applySub(op: OpName, t: AttrTarget, sub: AttributeDef, current: unknown, value: unknown): unknown {
  const v = op === 'remove' ? null : sub.multiValued ? coerceMany(sub, value, t.text) : coerceSimple(sub, value, t.text);
  if (!t.attr.multiValued) {
    return mergeInto(current, { [sub.name]: v }) ?? undefined;
  }
  // RFC 7644 gives no rule for `attr.sub` on a multi-valued attribute without a filter: we apply it to
  // every value, and on add/replace of an attribute with no values we create one.
  const list = Array.isArray(current) ? current : [];
  if (list.length === 0) return v === null ? undefined : [{ [sub.name]: v }];
  if (sub.name === 'primary' && v === true && list.length > 1) {
    throw invalidValue(`"${t.text}" would make ${list.length} values primary; at most one may be (RFC 7643 §2.4)`);
  }
  const out: unknown[] = [];
  for (const el of list) {
    const next = mergeInto(el, { [sub.name]: v });
    if (next) out.push(next);
  }
  return out.length ? out : undefined;
}
