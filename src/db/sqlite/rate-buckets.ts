/**
 * The shared rate buckets on SQLite: one upsert, atomic because SQLite runs one writing statement
 * at a time across every process on the file. It is a write like any other: while another process
 * holds the write lock it waits for it (busy timeout), on the main thread. The clock is SQLite's
 * (`unixepoch('subsec')`, the host's clock, which every process on one file shares).
 */
import { CompiledQuery } from 'kysely';
import type { BucketTake, RateBuckets } from '../rate-buckets.js';

/** The bucket refilled for the time since its last take (`excluded.refilled_at` is now), up to the burst. */
const LEVEL = 'min(:burst, b.tokens + max(0, excluded.refilled_at - b.refilled_at) * :perMs)';
/** Whole tokens taken: as many as wanted, or as the bucket holds. */
const TOOK = `min(:want, cast(${LEVEL} as integer))`;

/**
 * The connection's row, made full on its first take (less what that take got). The tenant is checked
 * against the connection itself, so a connection of another tenant takes nothing.
 */
const TAKE = positional(`
  insert into scim_rate_buckets as b (connection_id, tenant_id, tokens, refilled_at, granted)
  select id, tenant_id, :burst - min(:want, :burst), unixepoch('subsec') * 1000.0, min(:want, :burst)
  from connections where id = :connectionId and tenant_id = :tenantId
  on conflict (connection_id) do update set
    tenant_id = excluded.tenant_id,
    granted = ${TOOK},
    tokens = ${LEVEL} - ${TOOK},
    refilled_at = max(b.refilled_at, excluded.refilled_at)
  returning granted, tokens as remaining`);

export const sqliteRateBuckets: RateBuckets = {
  async take(db, { tenantId, connectionId }, want, { ratePerSecond, burst }) {
    const values: Record<string, unknown> = { burst, want, perMs: ratePerSecond / 1000, connectionId, tenantId };
    const { rows } = await db.executeQuery<BucketTake>(CompiledQuery.raw(TAKE.text, TAKE.names.map((name) => values[name])));
    return rows[0];
  },
};

/** `:name` placeholders as SQLite's `?`, with the names in the order their values go. */
function positional(text: string): { text: string; names: string[] } {
  const names: string[] = [];
  return { text: text.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '?')), names };
}
