/** Time buckets on SQLite: strftime('%s') reads ISO-8601 text as seconds, and integer division rounds down. */
import { sql } from 'kysely';
import type { TimeBuckets } from '../time-buckets.js';

export const sqliteTimeBuckets: TimeBuckets = {
  start(instant, seconds) {
    const width = sql.lit(seconds);
    return sql<number>`(cast(strftime('%s', ${instant}) as integer) / ${width}) * ${width}`;
  },
};
