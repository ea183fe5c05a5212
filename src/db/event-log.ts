/**
 * The event log (src/events/store.ts) in SQL. The feed reads events in (tx_order, seq) order, and a
 * reader's position is such a pair: each database says what tx_order an appended event gets and
 * which events a reader may see without one appearing behind its position later
 * (src/db/sqlite/event-log.ts, src/db/postgres/event-log.ts).
 */
import type { SelectQueryBuilder } from 'kysely';
import type { FixedColumn } from './prepared-insert.js';
import { postgresEventLog } from './postgres/event-log.js';
import { sqliteEventLog } from './sqlite/event-log.js';
import type { Database } from './tables.js';

/** How a database orders the events of its transactions in the feed. */
export interface EventLog {
  /** The SQL expression an event appended in the current transaction stores as its tx_order. */
  readonly txOrder: string;
  /** `query` of the events table narrowed to the events no transaction still running can precede. */
  settled<O>(query: SelectQueryBuilder<Database, 'events', O>): SelectQueryBuilder<Database, 'events', O>;
}

/** The tx_order column of an appended event, written into the INSERT's text (src/db/prepared-insert.ts, src/db/postgres/write-batch.ts). */
export const TX_ORDER: FixedColumn<'tx_order'> = { name: 'tx_order', sql: { sqlite: sqliteEventLog.txOrder, postgres: postgresEventLog.txOrder } };
