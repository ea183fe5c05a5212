/**
 * Turns a client value into the stored form the attribute's schema asks for (RFC 7643 §2.3), tolerating
 * what Okta and Entra ID really send. `null` in a result means "make this unassigned" (RFC 7643 §2.5).
 */
import type { AttributeDef } from '../schema/types.js';
import { invalidPath, invalidValue } from '../errors.js';
import { isForbiddenKey, isObject, show } from './json.js';
import { dedupeElements } from './multi-valued.js';

/** xsd:dateTime as RFC 7643 §2.3.5 requires (offset optional, fractional seconds allowed). */
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/;
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}$/;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The sub-attribute of a complex attribute named `name` (case-insensitive, RFC 7643 §2.1). */
export function findSub(attr: AttributeDef, name: string): AttributeDef | undefined {
  const subs = attr.subAttributes;
  if (!subs) return undefined;
  const lower = name.toLowerCase();
  for (const sub of subs) if (sub.name.toLowerCase() === lower) return sub;
  return undefined;
}

/**
 * One single-element array around a single value is unwrapped: Entra ID sends
 * `"manager": [{"value": "id"}]` for the single-valued enterprise `manager` (idp-exchanges.json).
 */
function unwrapSingle(attr: AttributeDef, value: unknown, where: string): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length === 0) return null;
  if (value.length === 1) return value[0];
  throw invalidValue(`${where}: "${attr.name}" is single-valued but got ${value.length} values`);
}

/**
 * A simple-typed value (every type but complex). Empty strings become null: `pr` treats them as absent
 * (RFC 7644 §3.4.2.2) and IdPs send "" for a cleared source field.
 */
export function coerceSimple(attr: AttributeDef, raw: unknown, where: string): unknown {
  const value = unwrapSingle(attr, raw, where);
  if (value === null || value === undefined || value === '') return null;
  switch (attr.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      // Entra ID (without aadOptscim062020) sends "True"/"False" — RFC 7643 §2.3.2 says JSON boolean.
      if (typeof value === 'string') {
        const lower = value.trim().toLowerCase();
        if (lower === 'true') return true;
        if (lower === 'false') return false;
      }
      break;
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      // Stringified numbers are read like Entra's stringified booleans (RFC 7643 §2.3.4 says JSON number).
      if (typeof value === 'string' && INTEGER.test(value.trim())) {
        const n = Number(value.trim());
        if (Number.isSafeInteger(n)) return n;
      }
      break;
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && DECIMAL.test(value.trim())) {
        const n = Number(value.trim());
        if (Number.isFinite(n)) return n;
      }
      break;
    case 'dateTime':
      if (typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return value;
      break;
    case 'binary':
      if (typeof value === 'string' && BASE64.test(value)) return value;
      break;
    case 'complex':
      return coerceComplex(attr, value, where);
    default: // string, reference
      if (typeof value === 'string') return value;
  }
  throw invalidValue(`${where}: ${show(value)} is not a valid ${attr.type} for "${attr.name}"`);
}

/**
 * A complex value as an object of canonical sub-attribute names. Sub-attributes sent as null/"" stay
 * in the object as null so a merge (RFC 7644 §3.5.2.1/§3.5.2.3) can clear them; `finalize` drops them.
 * A bare string stands for `{ value }` when the attribute has a `value` sub-attribute: Entra ID sends
 * the enterprise `manager` as the manager's id (RFC 7643 §4.3 defines it as complex).
 */
export function coerceComplex(attr: AttributeDef, raw: unknown, where: string): Record<string, unknown> | null {
  const value = unwrapSingle(attr, raw, where);
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const valueSub = findSub(attr, 'value');
    if (!valueSub) throw invalidValue(`${where}: "${attr.name}" is complex; expected an object, got ${show(value)}`);
    const coerced = coerceSimple(valueSub, value, `${where}.value`);
    return coerced === null ? null : { [valueSub.name]: coerced };
  }
  if (!isObject(value)) throw invalidValue(`${where}: "${attr.name}" is complex; expected an object`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (isForbiddenKey(key)) throw invalidPath(`${where}: "${key}" is not a sub-attribute of "${attr.name}"`);
    const sub = findSub(attr, key);
    if (!sub) throw invalidPath(`${where}: "${key}" is not a sub-attribute of "${attr.name}"`);
    // A readOnly sub-attribute inside a writable value (manager.displayName) is ignored, as RFC 7644
    // §3.5.1 does for PUT. Inside a readOnly attribute (User `groups`) it is kept so commit refuses it.
    if (sub.mutability === 'readOnly' && attr.mutability !== 'readOnly') continue;
    out[sub.name] = sub.multiValued
      ? coerceMany(sub, value[key], `${where}.${sub.name}`)
      : coerceSimple(sub, value[key], `${where}.${sub.name}`);
  }
  return out;
}

/** Drop cleared (null) sub-attributes; an object left empty is itself unassigned → null. */
export function finalize(obj: Record<string, unknown> | null): Record<string, unknown> | null {
  if (obj === null) return null;
  let empty = true;
  for (const key of Object.keys(obj)) {
    if (obj[key] === null) delete obj[key];
    else empty = false;
  }
  return empty ? null : obj;
}

/** One value of `attr` (an element when multi-valued), finalized; null when unassigned. */
export function coerceElement(attr: AttributeDef, raw: unknown, where: string): unknown {
  if (attr.type === 'complex') return finalize(coerceComplex(attr, raw, where));
  return coerceSimple(attr, raw, where);
}

/**
 * All values of a multi-valued attribute: a lone value is taken as a one-element list, null elements
 * are dropped, identical elements collapse and at most one stays primary (RFC 7643 §2.4).
 * Returns null when nothing is left (unassigned, RFC 7643 §2.5).
 */
export function coerceMany(attr: AttributeDef, raw: unknown, where: string): unknown[] | null {
  if (raw === null || raw === undefined) return null;
  const list = Array.isArray(raw) ? raw : [raw];
  const out: unknown[] = [];
  for (let i = 0; i < list.length; i++) {
    const el = coerceElement(attr, list[i], `${where}[${i}]`);
    if (el !== null) out.push(el);
  }
  const unique = dedupeElements(attr, out);
  return unique.length === 0 ? null : unique;
}

/** The whole value of `attr` as stored: list when multi-valued; complex objects keep null clears. */
export function coerceAttribute(attr: AttributeDef, raw: unknown, where: string): unknown {
  if (attr.multiValued) return coerceMany(attr, raw, where);
  if (attr.type === 'complex') return coerceComplex(attr, raw, where);
  return coerceSimple(attr, raw, where);
}
