import type { ConnectionAttributes } from '../../attributes/mappings.js';
import { invalidValue } from '../errors.js';

/**
 * The connection a SCIM store call works in. The stores' queries filter by both ids on every table
 * that has them; `scim_user_emails` has no tenant column and is reached through its user's row.
 */
export interface ConnectionScope {
  readonly tenantId: string;
  readonly connectionId: string;
  /** Whether changes emit events (connections with syncToUserManagement); stores ignore it. */
  readonly emitEvents?: boolean;
  /**
   * The writes belong to a request that makes them durable together before it answers (a Bulk,
   * `UnitOfWork.flush`): PostgreSQL commits each without waiting for its WAL flush. Stores ignore it.
   */
  readonly flushAtEnd?: boolean;
  /** How the request's writes read what RFC 7644 leaves open (the connection's compatibility switches); stores ignore it. */
  readonly writePolicy?: WritePolicy;
  /** The connection's attribute mappings: a user row's attribute columns are derived with them (src/attributes/). */
  readonly attributes?: ConnectionAttributes;
  /** The SCIM request's id (request_logs.request_id), named by the changes it has held (src/deprovisioning/); stores ignore it. */
  readonly requestId?: string;
}

/** Write behaviour a connection chooses (src/connections/compatibility.ts); absent, the defaults below. */
export interface WritePolicy {
  /** What `active` becomes when a PATCH removes it; default `inactive`. */
  readonly removedActive?: 'inactive' | 'active';
  /**
   * Set: member ids that are no user or group of the connection are left out of a group write and
   * reported here, instead of failing it with 400 invalidValue.
   */
  readonly ignoreUnknownMembers?: (ids: readonly string[]) => void;
}

/**
 * Whether a string can reach the database: PostgreSQL text and jsonb cannot hold U+0000, and a
 * parameter carrying it fails the whole statement (a 500). An id with it names nothing.
 */
export function storable(text: string): boolean {
  return !text.includes('\u0000');
}

/** Refuses a resource with U+0000 in any key or string (400 invalidValue), on every database alike. */
export function assertStorable(value: unknown): void {
  const bad = (v: unknown): boolean => {
    if (typeof v === 'string') return !storable(v);
    if (Array.isArray(v)) return v.some(bad);
    if (v !== null && typeof v === 'object') return Object.entries(v).some(([k, x]) => !storable(k) || bad(x));
    return false;
  };
  if (bad(value)) throw invalidValue('Values cannot contain the NUL character (U+0000)');
}

/** Splits a list for batched statements (SQLite caps bound parameters per statement). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
