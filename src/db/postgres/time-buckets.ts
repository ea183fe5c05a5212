/**
 * Time buckets on PostgreSQL: the text is cast to timestamptz, and its epoch (a double precision
 * number of seconds) rounded down to the width and cast to a whole bigint.
 */
import { sql } from 'kysely';
import type { TimeBuckets } from '../time-buckets.js';

export const postgresTimeBuckets: TimeBuckets = {
  start(instant, seconds) {
    const width = sql.lit(seconds);
    return sql<number>`cast(floor(extract(epoch from cast(${instant} as timestamptz)) / ${width}) * ${width} as bigint)`;
  },
};
