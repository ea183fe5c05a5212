/**
 * Row locks on PostgreSQL: FOR UPDATE SKIP LOCKED holds the rows a worker selects until its
 * transaction ends, and another worker's select passes over them instead of waiting, so any number
 * of processes share the work without queueing behind each other.
 */
import type { RowLocks } from '../row-locks.js';

export const postgresRowLocks: RowLocks = {
  skipLocked: (query, of) => query.forUpdate(of).skipLocked(),
  lockRow: (select) => postgresRowLocks.skipLocked(select).executeTakeFirst(),
};
