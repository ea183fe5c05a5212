/** The embedded database: one file, one writer at a time. */
import type { Dialect } from '../dialect.js';
import { sqliteEventLog } from './event-log.js';
import { sqliteJson } from './json-sql.js';
import { sqliteRateBuckets } from './rate-buckets.js';
import { sqliteRequestLog } from './request-log.js';
import { sqliteRowLocks } from './row-locks.js';
import { sqliteScim } from './scim-dialect.js';
import { sqliteSubstringSearch } from './substring-search.js';
import { sqliteTextMatch } from './text-match.js';
import { sqliteTimeBuckets } from './time-buckets.js';
import { sqliteUpkeep } from './upkeep.js';

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  json: sqliteJson,
  textMatch: sqliteTextMatch,
  substringSearch: sqliteSubstringSearch,
  timeBuckets: sqliteTimeBuckets,
  eventLog: sqliteEventLog,
  scim: sqliteScim,
  rowLocks: sqliteRowLocks,
  requestLog: sqliteRequestLog,
  upkeep: sqliteUpkeep,
  rateBuckets: sqliteRateBuckets,
};
