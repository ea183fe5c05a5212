/**
 * Time buckets in SQL: the start of the fixed-width bucket a stored instant falls in, for charts
 * grouped in the database (src/monitoring/timeseries.ts). Instants are ISO-8601 UTC text on both
 * databases (migration 0002), so each parses them with its own date functions
 * (src/db/sqlite/time-buckets.ts, src/db/postgres/time-buckets.ts).
 */
import type { RawBuilder } from 'kysely';

/** How a database puts stored instants into buckets. */
export interface TimeBuckets {
  /**
   * Seconds since the epoch of the start of the `seconds`-wide bucket holding `instant` (ISO-8601
   * UTC text). The width is written into the SQL as a literal, not bound, so that the same
   * expression in SELECT and GROUP BY is one expression to PostgreSQL.
   */
  start(instant: RawBuilder<unknown>, seconds: number): RawBuilder<number>;
}
