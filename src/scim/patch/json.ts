/** Small JSON helpers shared by the PATCH modules: type guards, case-insensitive keys, equality. */
import { invalidValue } from '../errors.js';

/** Nesting allowed in values we keep without a schema (unknown extensions); deeper → invalidValue. */
export const MAX_DEPTH = 32;

/** Keys that would reach Object.prototype if written with `obj[key] = …`. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Short JSON rendering of a client value for error details (never the whole body). */
export function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for keys that must never be written to a plain object (prototype pollution). */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/**
 * The key of `obj` that equals `name` ignoring case, or undefined. Attribute names are
 * case-insensitive (RFC 7643 §2.1); the exact spelling is tried first so the usual case costs one lookup.
 */
export function findKey(obj: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lower) return key;
  return undefined;
}

/** The value under `name` (case-insensitive), or undefined. */
export function getCI(obj: Record<string, unknown>, name: string): unknown {
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

/** Write `value` under the canonical `name`, dropping any other spelling of it first. */
export function setCI(obj: Record<string, unknown>, name: string, value: unknown): void {
  const key = findKey(obj, name);
  if (key !== undefined && key !== name) delete obj[key];
  obj[name] = value;
}

/** Delete `name` (case-insensitive). Returns whether something was there. */
export function deleteCI(obj: Record<string, unknown>, name: string): boolean {
  const key = findKey(obj, name);
  if (key === undefined) return false;
  delete obj[key];
  return true;
}

/**
 * "Unassigned" in the sense of RFC 7643 §2.5 (undefined, null, empty array), plus the empty string and the
 * empty object, which `pr` also treats as absent (RFC 7644 §3.4.2.2 "non-empty value").
 */
export function isUnassigned(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** Structural equality of JSON values; key order is irrelevant, unassigned values equal each other. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isUnassigned(a) && isUnassigned(b)) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (!Object.hasOwn(b, k) || !jsonEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/**
 * A deep copy of a schema-less JSON value (unknown extension data), refusing prototype keys and
 * nesting past MAX_DEPTH so a hostile body can neither pollute prototypes nor blow the stack.
 */
export function copyJson(value: unknown, where: string, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw invalidValue(`${where}: value nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((v) => copyJson(v, where, depth + 1));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (isForbiddenKey(k)) throw invalidValue(`${where}: "${k}" is not allowed as a key`);
      out[k] = copyJson(v, where, depth + 1);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw invalidValue(`${where}: number out of range`);
  return value;
}
