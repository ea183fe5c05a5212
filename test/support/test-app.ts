/** A migrated database and a built (not listening) app per test file, for each dialect. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase, type DialectName, type Db } from '../../src/db/open.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export const PUBLIC_URL = 'https://rollcall.test';

/** What a test gets: the app, its database, and a ready environment token. */
export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  database: TestDatabase;
  /** `Authorization` header value with a live environment token. */
  auth: string;
}

/** Opens and migrates a fresh database. */
export async function openTestDb(dialect: DialectName, poolSize = 5): Promise<{ db: Db; database: TestDatabase }> {
  const database = await createTestDatabase(dialect);
  const db = openDatabase(database.url, { poolSize });
  await migrateToLatest(db);
  return { db, database };
}

/** Registers hooks that build the app before the file's tests and tear it down after. */
export function useTestApp(dialect: DialectName, env: Record<string, string> = {}, poolSize?: number): TestApp {
  const ctx = {} as TestApp;
  beforeAll(async () => {
    const { db, database } = await openTestDb(dialect, poolSize);
    // Behaviour tests send bursts and bad tokens from one address on purpose: the abuse limits are
    // off here unless a test turns them on (test/security/abuse-limits.test.ts does).
    const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL, DATABASE_URL: database.url, SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0', AUTH_FAILURE_LIMIT: '0', ...env });
    const app = await buildApp({ config, db });
    await app.ready();
    const credential = await app.services.auth.createCredential('test');
    const exchanged = await app.services.auth.exchange(credential.clientId, credential.secret);
    Object.assign(ctx, { app, db, config, database, auth: `Bearer ${exchanged!.token}` });
  });
  afterAll(async () => {
    await ctx.app?.close();
    await ctx.db?.close();
    await ctx.database?.drop();
  });
  return ctx;
}
