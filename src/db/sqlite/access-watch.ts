/**
 * SQLite's ScimAccessWatch (./scim-access-watch.ts): reads the version row of migration 0014 on each
 * call, through a connection of its own. Reading one row of a hot page costs what `PRAGMA
 * data_version` costs (both ~1.5 µs: each opens a read transaction on the WAL index), and unlike that
 * pragma it also sees commits of this process's own connection, so direct writes are caught too. A
 * separate connection sees only committed data, never a change still in flight on the main one, and
 * is never queued behind a transaction there.
 */
import SqliteDatabase from 'better-sqlite3';
import type { ScimAccessWatch } from '../scim-access-watch.js';

export class SqliteAccessWatch implements ScimAccessWatch {
  private reader?: SqliteDatabase.Database;
  private read?: SqliteDatabase.Statement;
  private version?: number;
  private readonly listeners: (() => void)[] = [];

  /** `path` is the database file; `:memory:` has one connection in one process, whose changes clear caches directly. */
  constructor(private readonly path: string) {}

  fresh(): boolean {
    if (this.path === ':memory:') return true;
    let version: number;
    try {
      this.read ??= this.prepare();
      version = Number(this.read.get());
    } catch {
      // Not migrated yet, or the file is unreadable: remember nothing until it can be read.
      this.drop();
      this.changed();
      return false;
    }
    if (version !== this.version) {
      this.version = version;
      this.changed();
    }
    return true;
  }

  async settle(): Promise<void> {
    // Every process reads the committed version before each request: nothing to wait for.
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  reportTo(): void {
    // Nothing to report: a read that fails just turns the cache off until the next one succeeds.
  }

  async close(): Promise<void> {
    this.drop();
  }

  private prepare(): SqliteDatabase.Statement {
    this.reader = new SqliteDatabase(this.path, { fileMustExist: true });
    this.reader.pragma('busy_timeout = 1000');
    return this.reader.prepare('select version from scim_access_version where id = 1').pluck();
  }

  private drop(): void {
    this.version = undefined;
    this.read = undefined;
    this.reader?.close();
    this.reader = undefined;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
