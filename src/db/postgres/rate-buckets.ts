/**
 * The shared rate buckets on PostgreSQL: one upsert. Its UPDATE reads the row it locks, so concurrent
 * takes from several processes queue on the row for the length of one statement and each sees the
 * bucket as the one before left it. The clock is the database server's (`clock_timestamp()`), so
 * processes on hosts whose clocks differ still refill by real time. The statement commits without
 * waiting for the WAL flush: a take lost in a crash only lets its tokens be handed out again.
 */
import { CompiledQuery } from 'kysely';
import { isForeignKeyViolation } from '../errors.js';
import type { BucketTake, RateBuckets } from '../rate-buckets.js';

/** $1 connection, $2 tenant, $3 want, $4 burst, $5 tokens per millisecond. */
const LEVEL = 'least($4::float8, b.tokens + greatest(0, excluded.refilled_at - b.refilled_at) * $5::float8)';
/** Whole tokens taken: as many as wanted, or as the bucket holds. */
const TOOK = `least($3::int, floor(${LEVEL})::int)`;

/**
 * The connection's row, made full on its first take (less what that take got). The tenant is checked
 * against the connection itself, so a connection of another tenant takes nothing.
 */
const TAKE = `
  with asynchronous as (select set_config('synchronous_commit', 'off', true))
  insert into scim_rate_buckets as b (connection_id, tenant_id, tokens, refilled_at, granted)
  select c.id, c.tenant_id, $4::float8 - least($3::int, $4::int), extract(epoch from clock_timestamp()) * 1000, least($3::int, $4::int)
  from connections c, asynchronous
  where c.id = $1 and c.tenant_id = $2
  on conflict (connection_id) do update set
    tenant_id = excluded.tenant_id,
    granted = ${TOOK},
    tokens = ${LEVEL} - ${TOOK},
    refilled_at = greatest(b.refilled_at, excluded.refilled_at)
  returning granted, tokens as remaining`;

export const postgresRateBuckets: RateBuckets = {
  async take(db, { tenantId, connectionId }, want, { ratePerSecond, burst }) {
    try {
      const { rows } = await db.executeQuery<BucketTake>(CompiledQuery.raw(TAKE, [connectionId, tenantId, want, burst, ratePerSecond / 1000]));
      return rows[0];
    } catch (error) {
      // The connection was deleted between this statement's read of it and its insert.
      if (isForeignKeyViolation(error)) return undefined;
      throw error;
    }
  },
};
