/** The production database: shared by every process, many writers at once. */
import type { Dialect } from '../dialect.js';
import { postgresEventLog } from './event-log.js';
import { postgresJson } from './json-sql.js';
import { postgresRateBuckets } from './rate-buckets.js';
import { postgresRequestLog } from './request-log.js';
import { postgresRowLocks } from './row-locks.js';
import { postgresScim } from './scim-dialect.js';
import { postgresSubstringSearch } from './substring-search.js';
import { postgresTextMatch } from './text-match.js';
import { postgresTimeBuckets } from './time-buckets.js';
import { postgresUpkeep } from './upkeep.js';

export const postgresDialect: Dialect = {
  name: 'postgres',
  json: postgresJson,
  textMatch: postgresTextMatch,
  substringSearch: postgresSubstringSearch,
  timeBuckets: postgresTimeBuckets,
  eventLog: postgresEventLog,
  scim: postgresScim,
  rowLocks: postgresRowLocks,
  requestLog: postgresRequestLog,
  upkeep: postgresUpkeep,
  rateBuckets: postgresRateBuckets,
};
