/**
 * What differs between the databases, as one object per database (src/db/sqlite/, src/db/postgres/):
 * chosen once, by the URL a database is opened with (src/db/open.ts), and handed to the stores.
 * Code outside src/db asks the dialect to do something; it never asks which database it runs on.
 */
import type { EventLog } from './event-log.js';
import type { JsonSql } from './json-sql.js';
import type { RateBuckets } from './rate-buckets.js';
import type { RequestLogWrites } from './request-log.js';
import type { RowLocks } from './row-locks.js';
import type { ScimDialect } from './scim-dialect.js';
import type { SubstringSearch } from './substring-search.js';
import type { TextMatch } from './text-match.js';
import type { TimeBuckets } from './time-buckets.js';
import type { Upkeep } from './upkeep.js';

export const DIALECTS = ['sqlite', 'postgres'] as const;
/** Which database engine a store talks to. */
export type DialectName = (typeof DIALECTS)[number];

export interface Dialect {
  /** The engine's name, for what is reported (the health check, logs). */
  readonly name: DialectName;
  /** Reading and testing the resource JSON (src/db/json-sql.ts). */
  readonly json: JsonSql;
  /** Case-exact substring tests on text (src/db/text-match.ts). */
  readonly textMatch: TextMatch;
  /** Finding the rows of a substring test through trigram indexes (src/db/substring-search.ts). */
  readonly substringSearch: SubstringSearch;
  /** Time buckets of stored instants, for charts (src/db/time-buckets.ts). */
  readonly timeBuckets: TimeBuckets;
  /** The event log's order and what a feed reader may see of it (src/db/event-log.ts). */
  readonly eventLog: EventLog;
  /** The SCIM stores' writes, counts and pages (src/db/scim-dialect.ts). */
  readonly scim: ScimDialect;
  /** Handing rows to one of several workers at a time (src/db/row-locks.ts). */
  readonly rowLocks: RowLocks;
  /** Inserting flushes of the SCIM request log (src/db/request-log.ts). */
  readonly requestLog: RequestLogWrites;
  /** The periodic jobs the database needs of its own (src/db/upkeep.ts). */
  readonly upkeep: Upkeep;
  /** Taking tokens from the SCIM rate limit's shared buckets (src/db/rate-buckets.ts). */
  readonly rateBuckets: RateBuckets;
}
