/**
 * Writing the SCIM request log (src/monitoring/store.ts): flushes of many rows, off the request
 * path, whose loss in a crash is accepted (src/monitoring/writer.ts). Each database writes them its
 * cheapest way (src/db/sqlite/request-log.ts, src/db/postgres/request-log.ts).
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database, RequestLogsTable } from './tables.js';

/** How a database inserts a flush of request-log rows. */
export interface RequestLogWrites {
  /** Inserts `rows` (at least one), outside any transaction of the caller's. */
  insert(db: Kysely<Database>, rows: readonly Insertable<RequestLogsTable>[]): Promise<void>;
}
