/**
 * The event log on SQLite. One transaction writes at a time, so events commit in the order of their
 * sequence: tx_order is always 0, the sequence alone orders the feed, and every committed event is
 * settled.
 */
import type { EventLog } from '../event-log.js';

export const sqliteEventLog: EventLog = {
  txOrder: '0',
  settled: (query) => query,
};
