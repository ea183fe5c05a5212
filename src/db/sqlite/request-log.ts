/**
 * The request log on SQLite: a VALUES list per 200 rows, each its own statement, run in the
 * process; a list's parameters stay well under SQLite's cap on those of one statement.
 */
import type { RequestLogWrites } from '../request-log.js';

const ROWS_PER_STATEMENT = 200;

export const sqliteRequestLog: RequestLogWrites = {
  async insert(db, rows) {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await db.insertInto('request_logs').values(rows.slice(i, i + ROWS_PER_STATEMENT)).execute();
  },
};
