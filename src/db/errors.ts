/** Recognises database errors by what they mean — a client mistake, a conflict worth a retry, a database out of reach — the same way on both dialects. */

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

/** pg's messages for a connection that closed or never opened (they carry no code). */
const LOST_CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
  'Postgres connection has been discarded',
];

/** Node's socket errors for a server that is not there or went away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function isUnavailableCode(code: unknown): boolean {
  if (typeof code !== 'string') return false;
  // PostgreSQL class 08 (connection exception); 57P01–57P03: the server is shutting down, crashed or starting.
  if (/^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03') return true;
  return NETWORK_CODES.has(code) || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR');
}

/**
 * The database could not be reached or the connection to it was lost: a request may succeed if
 * retried later (503), unlike a bug (500). Looks through `cause` and an AggregateError's `errors`
 * (Node reports a refused connection to each address of a host name as one AggregateError).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (isUnavailableCode(code)) return true;
  if (typeof message === 'string' && LOST_CONNECTION_MESSAGES.some((known) => message.startsWith(known))) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

/** PostgreSQL gave up waiting for a lock (`lock_timeout`). */
export function isLockTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '55P03';
}
