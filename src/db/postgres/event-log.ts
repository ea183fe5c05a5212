/**
 * The event log on PostgreSQL. Transactions write at once and commit in any order, so a sequence
 * taken early may commit after a later one, behind a reader that has moved on. An event stores its
 * transaction's id as tx_order, and a reader sees only the transactions older than every one still
 * running (the snapshot's xmin): nothing can commit behind those any more.
 */
import { sql } from 'kysely';
import type { EventLog } from '../event-log.js';

export const postgresEventLog: EventLog = {
  txOrder: 'pg_current_xact_id()::text::bigint',
  settled: (query) => query.where(sql<boolean>`tx_order < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`),
};
