/**
 * The SCIM rate limit's shared token buckets (migration 0015): one row per connection, from which
 * every process takes tokens in chunks (src/limits/shared-rate-limit.ts). A take is one statement —
 * refill by the time elapsed, take what there is up to the chunk, say what is left — so processes
 * never read a bucket and write it back apart. Each database writes it its own way
 * (src/db/sqlite/rate-buckets.ts, src/db/postgres/rate-buckets.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from './tables.js';

/** Row type of `scim_rate_buckets` (the takes are SQL of their own; readers use `kysely.withTables<RateBucketTables>()`). */
export interface ScimRateBucketsTable {
  connection_id: string;
  tenant_id: string;
  tokens: number;
  /** Milliseconds since 1970, on the database's clock. */
  refilled_at: number;
  granted: number;
}

/** The table of the shared buckets. */
export type RateBucketTables = { scim_rate_buckets: ScimRateBucketsTable };

/** The bucket a take refills: tokens per second, and the most it holds (SCIM_RATE_LIMIT, SCIM_RATE_BURST). */
export interface BucketShape {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** What a take got: whole tokens, and the (fractional) tokens left in the bucket after it. */
export interface BucketTake {
  granted: number;
  remaining: number;
}

/** Whose bucket: the connection, within its tenant. */
export interface BucketOwner {
  readonly tenantId: string;
  readonly connectionId: string;
}

/** How a database takes tokens from a shared bucket. */
export interface RateBuckets {
  /**
   * Refills `owner`'s bucket for the time since its last take, measured on the database's clock (so
   * that processes on several hosts agree), up to `shape.burst`; takes up to `want` (≥ 1) whole
   * tokens from it; and returns what it took and what is left. A connection's first take finds its
   * bucket full. Undefined when the tenant has no such connection (it was deleted).
   */
  take(db: Kysely<Database>, owner: BucketOwner, want: number, shape: BucketShape): Promise<BucketTake | undefined>;
}
