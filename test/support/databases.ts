/**
 * Real databases for tests: a fresh SQLite file, and a fresh PostgreSQL database created on the
 * server named by TEST_DATABASE_URL and dropped afterwards. No mocks.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase, type DialectName, type Db } from '../../src/db/open.js';

/**
 * The dialects this run covers: PostgreSQL too when TEST_DATABASE_URL is set. REQUIRE_POSTGRES
 * (.ci/run sets it) makes its absence an error; elsewhere test/support/notices.ts says it is skipped.
 */
export function dialectsUnderTest(): DialectName[] {
  if (process.env.TEST_DATABASE_URL) return ['sqlite', 'postgres'];
  if (process.env.REQUIRE_POSTGRES) throw new Error('TEST_DATABASE_URL is not set, but PostgreSQL is required here (REQUIRE_POSTGRES)');
  return ['sqlite'];
}

/** A database made for one test file. */
export interface TestDatabase {
  dialect: DialectName;
  url: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}

/** Creates an empty database of the dialect. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-test-'));
    return { dialect, url: `sqlite:${join(dir, 'rollcall.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `rollcall_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A migrated database of `dialect`, opened, with tenant `t` and its connections `connectionIds`, for
 * tests of the stores below the HTTP API. `close` closes and drops it.
 */
export async function storeTestDatabase(dialect: DialectName, connectionIds: readonly string[] = ['c']): Promise<{ database: TestDatabase; db: Db; close(): Promise<void> }> {
  const database = await createTestDatabase(dialect);
  const db = openDatabase(database.url);
  await migrateToLatest(db);
  const now = '2026-11-29T00:00:00.000Z';
  await db.kysely.insertInto('tenants').values({ id: 't', name: 'T', created_at: now, updated_at: now }).execute();
  for (const id of connectionIds) {
    await db.kysely.insertInto('connections').values({ id, tenant_id: 't', source: 'okta', connection_name: id, sync_to_user_management: 0, created_at: now, updated_at: now, last_sync_at: null }).execute();
  }
  return {
    database,
    db,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}
