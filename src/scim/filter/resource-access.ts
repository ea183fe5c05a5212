/**
 * Reading SCIM resources held as plain JSON, the way RFC 7643 §2.1 asks: attribute names match
 * case-insensitively, a single value and a one-element array read alike. Shared by the filter
 * evaluator and the PATCH engine.
 */

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The own property of `obj` named `key`, matched case-insensitively (RFC 7643 §2.1), or undefined.
 * Own properties only: a filter on `constructor` or `__proto__` must not reach the prototype.
 */
export function getCaseInsensitive(obj: unknown, key: string): unknown {
  if (!isPlainObject(obj)) return undefined;
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) {
    if (k.toLowerCase() === lower) return obj[k];
  }
  return undefined;
}

/** The elements of a multi-valued value; a single value is one element, absent/null is none. */
export function asArray(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * RFC 7644 §3.4.2.2 `pr`: the value is there and not empty — not null, not "", not [] and not
 * an object whose every sub-attribute is empty (`"name": {}`).
 */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.some(isPresent);
  if (isPlainObject(value)) return Object.values(value).some(isPresent);
  return true;
}
