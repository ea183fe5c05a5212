/** Recognises the database errors that mean a client mistake, the same way on both dialects. */

/** A UNIQUE or PRIMARY KEY violation (SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY, PostgreSQL 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** A FOREIGN KEY violation: the parent row vanished (e.g. its tenant was deleted concurrently). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/**
 * A conflict with a concurrent transaction that a retry of the whole transaction resolves:
 * PostgreSQL serialization failure (40001) or deadlock (40P01); SQLite SQLITE_BUSY (the busy timeout
 * ran out while another process held the write lock) and SQLITE_BUSY_SNAPSHOT (another process
 * committed after this transaction's first read, so in WAL mode it may not write on that snapshot).
 */
export function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY'));
}
