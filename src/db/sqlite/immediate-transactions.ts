/**
 * SQLite transactions that take the write lock when they begin (BEGIN IMMEDIATE) instead of at
 * their first write. In WAL mode a deferred transaction that has read and then writes while another
 * process holds, or has just released, the write lock fails at once with SQLITE_BUSY: the busy
 * timeout cannot help, because its snapshot is already stale. Taken up front, the lock is waited
 * for (busy_timeout) and the snapshot is always current. Every transaction in Rollcall writes, so
 * nothing is lost by it; reads outside transactions are unaffected.
 */
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Kysely's SQLite dialect, with BEGIN IMMEDIATE transactions. */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
