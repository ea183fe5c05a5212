/**
 * Row locks on SQLite: there are none, but there is one writer. A statement that reads and claims
 * rows (an UPDATE … WHERE id IN (SELECT …)) runs whole before the next, so no row is claimed twice.
 * A transaction that reads a row to change it writes first: a read transaction that later tries to
 * write fails (SQLITE_BUSY) when another process wrote meanwhile, whereas one that writes first waits
 * for the lock (busy_timeout) and then reads the row as the other left it.
 */
import type { RowLocks } from '../row-locks.js';

export const sqliteRowLocks: RowLocks = {
  skipLocked: (query) => query,
  async lockRow(select, touch) {
    await touch.execute();
    return select.executeTakeFirst();
  },
};
