/**
 * The request log on PostgreSQL: one statement with one array per column whatever the number of
 * rows, so one text, prepared once (src/db/postgres/column-arrays.ts), rather than a VALUES list of a dozen
 * parameters a row whose text, planned anew at each length, Kysely builds on the Node thread between
 * requests. It commits without waiting for the WAL flush: log rows are not SCIM data, and a crash
 * may lose the last flush of them anyway (src/monitoring/writer.ts).
 */
import type { RequestLogWrites } from '../request-log.js';
import { WriteBatch } from './write-batch.js';

export const postgresRequestLog: RequestLogWrites = {
  async insert(db, rows) {
    const batch = new WriteBatch();
    batch.add('request_logs', rows);
    batch.commitAsync();
    await batch.execute(db);
  },
};
