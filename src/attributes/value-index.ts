/**
 * The rows that let the directory API list users by a mapped value (`?attributes.department=R%26D`):
 * one per scalar value, one per element of a list, normalised so that the filter matches case-insensitively.
 * Addresses are not indexed; a value longer than MAX_INDEXED_LENGTH cannot be filtered by.
 */
import type { ScimUserAttributeValuesTable } from '../db/tables.js';
import type { AttributeType, AttributeValues } from './types.js';

/** Longer values are not indexed: an index entry stays far below PostgreSQL's B-tree limit. */
export const MAX_INDEXED_LENGTH = 256;

/** Whether an attribute of this type can be filtered by. */
export function filterable(type: AttributeType): boolean {
  return type !== 'address';
}

/** A stored value as the index holds it, or undefined when it is not indexed. */
export function normalizeValue(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value.trim().toLowerCase();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else return undefined;
  return text.length <= MAX_INDEXED_LENGTH ? text : undefined;
}

/**
 * The filter value of `?attributes.<key>=<text>` as the index holds it; undefined when no value of
 * that type could equal it (a number attribute and "abc").
 */
export function normalizeFilterValue(type: AttributeType, text: string): string | undefined {
  switch (type) {
    case 'number': {
      const n = Number(text.trim());
      return text.trim() !== '' && Number.isFinite(n) ? String(n) : undefined;
    }
    case 'boolean':
      return /^(true|false)$/i.test(text.trim()) ? text.trim().toLowerCase() : undefined;
    default:
      return normalizeValue(text);
  }
}

/** The index rows of one user's values. */
export function valueRows(
  user: { id: string; tenantId: string; connectionId: string; createdAt: string },
  values: AttributeValues,
  types: ReadonlyMap<string, AttributeType>,
): ScimUserAttributeValuesTable[] {
  const rows: ScimUserAttributeValuesTable[] = [];
  for (const [key, value] of Object.entries(values)) {
    const type = types.get(key);
    if (type === undefined || !filterable(type) || value === null) continue;
    const seen = new Set<string>();
    for (const element of Array.isArray(value) ? value : [value]) {
      const norm = normalizeValue(element);
      if (norm === undefined || seen.has(norm)) continue;
      seen.add(norm);
      rows.push({ user_id: user.id, attr_key: key, value_norm: norm, tenant_id: user.tenantId, connection_id: user.connectionId, created_at: user.createdAt });
    }
  }
  return rows;
}
