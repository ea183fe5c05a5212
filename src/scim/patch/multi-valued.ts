/**
 * Element-level rules for multi-valued attributes: equality that honours `caseExact`, "already
 * contains this value" for add (RFC 7644 §3.5.2.1), and one `primary` at most (RFC 7643 §2.4).
 */
import type { AttributeDef } from '../schema/types.js';
import { findKey, isObject, jsonEqual } from './json.js';

/** The sub-attribute definition of `attr` named `name`, case-insensitively. */
function subDef(attr: AttributeDef, name: string): AttributeDef | undefined {
  const lower = name.toLowerCase();
  return attr.subAttributes?.find((s) => s.name.toLowerCase() === lower);
}

/** Equal as SCIM compares them: strings ignore case unless the attribute is caseExact (RFC 7643 §2.2). */
export function sameSimple(def: AttributeDef | undefined, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && def && !def.caseExact && def.type !== 'binary') {
    return a.toLowerCase() === b.toLowerCase();
  }
  return jsonEqual(a, b);
}

/**
 * Does stored element `el` already hold every sub-attribute of `candidate` (or, for simple types,
 * equal it)? `skip` names one sub-attribute to leave out of the comparison (`primary`).
 */
export function elementContains(attr: AttributeDef, el: unknown, candidate: unknown, skip?: string): boolean {
  if (attr.type !== 'complex' || !isObject(candidate) || !isObject(el)) return sameSimple(attr, el, candidate);
  for (const key of Object.keys(candidate)) {
    if (key === skip) continue;
    const stored = findKey(el, key);
    if (stored === undefined || !sameSimple(subDef(attr, key), el[stored], candidate[key])) return false;
  }
  return true;
}

/** Whether `attr` has a boolean `primary` sub-attribute (emails, phoneNumbers, addresses, …). */
export function hasPrimary(attr: AttributeDef): boolean {
  return attr.type === 'complex' && subDef(attr, 'primary') !== undefined;
}

function isPrimary(el: unknown): boolean {
  if (!isObject(el)) return false;
  const key = findKey(el, 'primary');
  return key !== undefined && el[key] === true;
}

/**
 * Keep `primary: true` on one element only (RFC 7643 §2.4 "MUST appear no more than once"): the last
 * element of `preferred` that is primary wins — the value the client just sent. Losers get `false`,
 * copied, so stored elements shared with the input are never written.
 */
export function enforceSinglePrimary(attr: AttributeDef, list: unknown[], preferred: readonly unknown[]): void {
  if (!hasPrimary(attr)) return;
  let winner: unknown;
  for (let i = preferred.length - 1; i >= 0 && winner === undefined; i--) if (isPrimary(preferred[i])) winner = preferred[i];
  if (winner === undefined) return;
  for (let i = 0; i < list.length; i++) {
    const el = list[i];
    if (el !== winner && isObject(el) && isPrimary(el)) {
      const copy = { ...el };
      delete copy[findKey(copy, 'primary')!];
      copy.primary = false;
      list[i] = copy;
    }
  }
}

/** Collapse identical elements (first kept) and keep one primary, the last one sent. */
export function dedupeElements(attr: AttributeDef, list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const el of list) {
    if (!out.some((kept) => elementContains(attr, kept, el) && elementContains(attr, el, kept))) out.push(el);
  }
  enforceSinglePrimary(attr, out, out);
  return out;
}

/**
 * RFC 7644 §3.5.2.1 add to a multi-valued attribute: append each new value unless the attribute
 * "already contains the value specified". A value equal but for `primary: true` promotes the stored
 * element instead of adding a twin. Returns the new list; `list` itself is not modified.
 */
export function appendUnique(attr: AttributeDef, list: readonly unknown[], items: readonly unknown[]): unknown[] {
  const out = list.slice();
  const touched: unknown[] = [];
  for (const item of items) {
    const at = out.findIndex((el) => elementContains(attr, el, item, 'primary'));
    if (at === -1) {
      out.push(item);
      touched.push(item);
    } else if (isPrimary(item) && !isPrimary(out[at])) {
      const promoted = { ...(out[at] as Record<string, unknown>) };
      const key = findKey(promoted, 'primary');
      if (key !== undefined) delete promoted[key];
      promoted.primary = true;
      out[at] = promoted;
      touched.push(promoted);
    }
  }
  enforceSinglePrimary(attr, out, touched);
  return out;
}
