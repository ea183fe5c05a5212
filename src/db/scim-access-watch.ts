/**
 * Whether what a process remembers about SCIM access — resolved tokens, src/connections/scim-auth-cache.ts
 * — is still what the database says, whichever process changed it. Migration 0014 moves one version
 * with every such change, in the change's own transaction; each database is watched its own way
 * (sqlite-access-watch.ts, postgres-access-watch.ts), and callers only ask `fresh()`.
 */
import { sqlitePath, urlOf, type Db } from './open.js';
import { PostgresAccessWatch } from './postgres/access-watch.js';
import { SqliteAccessWatch } from './sqlite/access-watch.js';

/** Tells a process-local cache of SCIM access when to forget, and when not to trust itself at all. */
export interface ScimAccessWatch {
  /**
   * True when what this process remembers may be used. When it has learnt of a change since the last
   * call, it calls the change listeners first. False while a change could go unseen (PostgreSQL: the
   * listening connection is down): then nothing may be used or remembered. Synchronous and cheap: it
   * runs on every SCIM request.
   */
  fresh(): boolean;
  /**
   * Resolves once every other process has acted on the changes committed before the call, so that the
   * caller may answer: its client's next request, wherever it goes, is judged by them (PostgreSQL waits
   * for their acknowledgements, at most a few seconds; SQLite has nothing to wait for). Called after a
   * change to SCIM access; never fails.
   */
  settle(): Promise<void>;
  /** Calls `listener` on every change it learns of (made by any process), and when trust is lost or regained. */
  onChange(listener: () => void): void;
  /** Where to report that the watch cannot work as meant (a warning, once per episode). */
  reportTo(warn: (message: string) => void): void;
  close(): Promise<void>;
}

/** The watch of `db`, through connections of its own to the same database. */
export function watchScimAccess(db: Db): ScimAccessWatch {
  const url = urlOf(db);
  if (url === undefined) return blind;
  if (db.dialect.name === 'sqlite') return new SqliteAccessWatch(sqlitePath(url));
  return new PostgresAccessWatch(url, db.kysely);
}

/** For a Db not opened by openDatabase (its URL unknown): never fresh, so nothing is cached. */
const blind: ScimAccessWatch = {
  fresh: () => false,
  settle: async () => {},
  onChange: () => {},
  reportTo: () => {},
  close: async () => {},
};
