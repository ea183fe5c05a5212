/** Opens the configured database: SQLite (embedded default) or PostgreSQL (production, shared). */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PreparingClient } from './postgres/prepared-statements.js';
import { BACKSTOP_PAGES, startCheckpointer } from './sqlite/checkpointer.js';
import { ImmediateSqliteDialect } from './sqlite/immediate-transactions.js';
import { recordQueryTime } from './query-time.js';
import { withStatementCache } from './statement-cache.js';
import type { Dialect } from './dialect.js';
import { postgresDialect } from './postgres/dialect.js';
import { sqliteDialect } from './sqlite/dialect.js';
import type { Database } from './tables.js';

export { DIALECTS, type DialectName } from './dialect.js';

/** An open database: the Kysely handle and the engine behind it. */
export interface Db {
  readonly kysely: Kysely<Database>;
  /** What differs on this database, for the stores (src/db/dialect.ts). */
  readonly dialect: Dialect;
  /**
   * For statements whose best plan does not depend on their parameters' values — the pages of a list
   * in its default order — a handle whose PostgreSQL connections keep one generic plan per prepared
   * statement (`plan_cache_mode = force_generic_plan`) instead of planning each execution for its
   * values: a page of 100 users took 1.1 ms to plan and 0.03 ms with its generic plan, the same
   * index-only scan (PostgreSQL kept planning anew because the generic plan, not knowing the offset,
   * looked dearer). The setting is per connection, so these statements have a pool of their own;
   * queries whose plans follow their values (a filter's LIKE prefix) stay off it. The same handle
   * as `kysely` on SQLite and without prepared statements.
   */
  readonly genericPlans: Kysely<Database>;
  /**
   * Calls `listener` once for each connection the server dropped (PostgreSQL; a SQLite file has none
   * to lose) until the returned function is called.
   */
  onConnectionLost(listener: (lost: LostConnection) => void): () => void;
  /** How the main connection pool is used, for metrics (src/metrics); undefined on SQLite, which has no pool. */
  poolStats(): PoolStats | undefined;
  close(): Promise<void>;
}

/** Connections of a pool: open, idle among them, the most it opens, and queries waiting for one. */
export interface PoolStats {
  total: number;
  idle: number;
  max: number;
  waiting: number;
}

/** A database connection that was lost, as it may be logged: never the connection string. */
export interface LostConnection {
  /** SQLSTATE (57P01 when an administrator terminated the backend) or Node's socket error code. */
  code?: string;
  reason: string;
}

// COUNT(*) and other int8 values come back from pg as strings; our counts fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/** The file path of a `sqlite:` URL; `sqlite::memory:` is an in-process database (tests only). */
export function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
}

function openSqlite(url: string): Db {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (the CLI, a second server) may hold the write lock briefly: wait, don't fail.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // Checkpoints run on a worker thread; this connection's own is the backstop (src/db/sqlite/checkpointer.ts).
  const checkpointer = path === ':memory:' ? undefined : startCheckpointer(path);
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  // SQLite's built-in lower() folds ASCII only; SCIM compares strings case-insensitively in full
  // Unicode ("Élodie" = "élodie"), as JavaScript and PostgreSQL do. Nothing indexes lower().
  sqlite.function('lower', { deterministic: true }, (value: string | number | bigint | Buffer | null) => (value === null ? null : value.toString().toLowerCase()));
  // BEGIN IMMEDIATE: a second process on the same file waits for the write lock instead of failing (src/db/sqlite/immediate-transactions.ts).
  const kysely = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }), log: recordQueryTime });
  return {
    kysely,
    dialect: sqliteDialect,
    genericPlans: kysely,
    onConnectionLost: () => () => {},
    poolStats: () => undefined,
    async close() {
      await checkpointer?.stop();
      await kysely.destroy();
    },
  };
}

function openPostgres(url: string, poolSize: number, preparedStatements: boolean): Db {
  // Repeated queries as named prepared statements: parsed and planned once per connection (src/db/postgres/prepared-statements.ts).
  const config: pg.PoolConfig = { connectionString: url, max: poolSize, ...(preparedStatements ? { Client: PreparingClient } : {}) };
  const listeners = new Set<(lost: LostConnection) => void>();
  const onConnectionLost = (listener: (lost: LostConnection) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  const report = (error: Error & { code?: unknown }) => {
    const lost: LostConnection = { ...(typeof error.code === 'string' ? { code: error.code } : {}), reason: error.message };
    for (const listener of listeners) listener(lost);
  };
  const pool = postgresPool(config, report);
  const poolStats = (): PoolStats => ({ total: pool.totalCount, idle: pool.idleCount, max: pool.options.max ?? poolSize, waiting: pool.waitingCount });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: recordQueryTime });
  if (!preparedStatements) return { kysely, dialect: postgresDialect, genericPlans: kysely, onConnectionLost, poolStats, close: () => kysely.destroy() };
  const genericPlans = new Kysely<Database>({ dialect: new PostgresDialect({ pool: () => genericPlansPool({ ...config, max: Math.ceil(poolSize / 2) }, report) }), log: recordQueryTime });
  return {
    kysely,
    dialect: postgresDialect,
    genericPlans,
    onConnectionLost,
    poolStats,
    async close() {
      await Promise.all([kysely.destroy(), genericPlans.destroy()]);
    },
  };
}

/** How long opening a PostgreSQL connection may take before the query waiting for it fails. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A pool whose clients never crash the process. A client whose server goes away (a failover, a
 * restart, pg_terminate_backend) emits 'error', and an 'error' event nobody listens to ends the
 * process; pg-pool listens only while a client sits idle in the pool, not while it is checked out
 * between two queries (inside a transaction, in a background job). So each client gets a listener
 * of its own as it connects, for its whole life: the query under way fails by itself (503, see
 * src/http/error-handler.ts), the broken client is no longer queryable and the pool drops it when it
 * is released, and the next query opens a new connection. `lost` hears of each client once.
 */
function postgresPool(config: pg.PoolConfig, lost: (error: Error) => void): pg.Pool {
  // A server that drops packets rather than refusing them answers 503 after this, not after the
  // operating system's TCP timeout (minutes).
  const pool = new pg.Pool({ connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...config });
  pool.on('connect', (client) => {
    let reported = false;
    client.on('error', (error) => {
      if (reported) return;
      reported = true;
      lost(error);
    });
  });
  // pg-pool passes an idle client's error on to the pool too: reported above already.
  pool.on('error', () => {});
  return pool;
}

/** A pooler that refuses a setting in the startup packet (PgBouncer, Neon's and Supabase's poolers). */
export function refusesStartupOption(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /unsupported startup parameter/i.test(message);
}

/**
 * The pool of `genericPlans`, made at its first use: connections that start with
 * `plan_cache_mode = force_generic_plan`. A pooler that refuses the setting gets a pool of plain
 * connections instead (custom plans, as on the other pool), rather than failing every list.
 */
export async function genericPlansPool(config: pg.PoolConfig, lost: (error: Error) => void = () => {}): Promise<pg.Pool> {
  const pool = postgresPool({ ...config, options: '-c plan_cache_mode=force_generic_plan' }, lost);
  try {
    (await pool.connect()).release();
    return pool;
  } catch (error) {
    await pool.end();
    if (!refusesStartupOption(error)) throw error;
    return postgresPool(config, lost);
  }
}

/** Opens a database from a `sqlite:` or `postgres://` URL. */
export function openDatabase(url: string, options: { poolSize?: number; preparedStatements?: boolean } = {}): Db {
  let db: Db;
  if (url.startsWith('sqlite:')) db = openSqlite(url);
  else if (/^postgres(ql)?:\/\//.test(url)) db = openPostgres(url, options.poolSize ?? 10, options.preparedStatements ?? true);
  else throw new Error(`Unsupported database URL: ${url.split(':')[0]}:`);
  openedAt.set(db, url);
  return db;
}

/** The URL each database was opened with, for connections of its own (src/db/scim-access-watch.ts). */
const openedAt = new WeakMap<Db, string>();

/** The URL `db` was opened with; undefined for a Db not made by openDatabase. */
export function urlOf(db: Db): string | undefined {
  return openedAt.get(db);
}
