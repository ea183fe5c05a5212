/** Opens the configured database: SQLite (embedded default) or PostgreSQL (production, shared). */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PreparingClient } from './pg-prepared.js';
import { BACKSTOP_PAGES, startCheckpointer } from './sqlite-checkpointer.js';
import { ImmediateSqliteDialect } from './sqlite-immediate.js';
import { withStatementCache } from './statement-cache.js';
import type { Database } from './tables.js';

export const DIALECTS = ['sqlite', 'postgres'] as const;
/** Which database engine a store talks to. */
export type DialectName = (typeof DIALECTS)[number];

/** An open database: the Kysely handle and the engine behind it. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
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
  close(): Promise<void>;
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
  // Checkpoints run on a worker thread; this connection's own is the backstop (src/db/sqlite-checkpointer.ts).
  const checkpointer = path === ':memory:' ? undefined : startCheckpointer(path);
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  // SQLite's built-in lower() folds ASCII only; SCIM compares strings case-insensitively in full
  // Unicode ("Élodie" = "élodie"), as JavaScript and PostgreSQL do. Nothing indexes lower().
  sqlite.function('lower', { deterministic: true }, (value: unknown) => (value === null ? null : String(value).toLowerCase()));
  // BEGIN IMMEDIATE: a second process on the same file waits for the write lock instead of failing (src/db/sqlite-immediate.ts).
  const kysely = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    kysely,
    dialect: 'sqlite',
    genericPlans: kysely,
    async close() {
      await checkpointer?.stop();
      await kysely.destroy();
    },
  };
}

function openPostgres(url: string, poolSize: number, preparedStatements: boolean): Db {
  // Repeated queries as named prepared statements: parsed and planned once per connection (src/db/pg-prepared.ts).
  const config: pg.PoolConfig = { connectionString: url, max: poolSize, ...(preparedStatements ? { Client: PreparingClient } : {}) };
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: postgresPool(config) }) });
  if (!preparedStatements) return { kysely, dialect: 'postgres', genericPlans: kysely, close: () => kysely.destroy() };
  const genericPlans = new Kysely<Database>({ dialect: new PostgresDialect({ pool: () => genericPlansPool({ ...config, max: Math.ceil(poolSize / 2) }) }) });
  return {
    kysely,
    dialect: 'postgres',
    genericPlans,
    async close() {
      await Promise.all([kysely.destroy(), genericPlans.destroy()]);
    },
  };
}

function postgresPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/** A pooler that refuses a setting in the startup packet (PgBouncer, Neon's and Supabase's poolers). */
export function refusesStartupOption(error: unknown): boolean {
  return /unsupported startup parameter/i.test(String((error as { message?: unknown } | null)?.message ?? ''));
}

/**
 * The pool of `genericPlans`, made at its first use: connections that start with
 * `plan_cache_mode = force_generic_plan`. A pooler that refuses the setting gets a pool of plain
 * connections instead (custom plans, as on the other pool), rather than failing every list.
 */
export async function genericPlansPool(config: pg.PoolConfig): Promise<pg.Pool> {
  const pool = postgresPool({ ...config, options: '-c plan_cache_mode=force_generic_plan' });
  try {
    (await pool.connect()).release();
    return pool;
  } catch (error) {
    await pool.end();
    if (!refusesStartupOption(error)) throw error;
    return postgresPool(config);
  }
}

/** Opens a database from a `sqlite:` or `postgres://` URL. */
export function openDatabase(url: string, options: { poolSize?: number; preparedStatements?: boolean } = {}): Db {
  if (url.startsWith('sqlite:')) return openSqlite(url);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options.poolSize ?? 10, options.preparedStatements ?? true);
  throw new Error(`Unsupported database URL: ${url.split(':')[0]}:`);
}
