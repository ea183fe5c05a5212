/**
 * The feed under concurrent writers: two "processes" (two pools on one PostgreSQL database) create
 * users while a reader pages through the feed. Every committed event must be read exactly once,
 * in one order, with no gaps — even though transactions commit in a different order than they
 * started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices, type Services } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Db } from '../src/db/open.js';
import { dialectsUnderTest, type TestDatabase } from './support/databases.js';
import { openTestDb } from './support/test-app.js';
import { feedCaughtUp } from './webhooks/helpers.js';

const postgres = dialectsUnderTest().includes('postgres');

describe.runIf(postgres)('event feed with concurrent writers [postgres]', () => {
  let database: TestDatabase;
  let dbs: Db[] = [];
  let services: Services[] = [];

  beforeAll(async () => {
    const opened = await openTestDb('postgres');
    database = opened.database;
    dbs = [opened.db, openDatabase(database.url, { poolSize: 8 })];
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url });
    services = dbs.map((db) => buildServices({ config, db }));
  });
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.close()));
    await database?.drop();
  });

  it('pages deliver every event exactly once, in a stable order, while two processes write', async () => {
    await services[0].tenants.create({ tenantId: 'feed', name: 'Feed' });
    const connection = await services[0].connections.create({ type: 'credential', id: 'test', clientId: 'test' }, 'feed', { source: 'okta', connectionName: 'feed', syncToUserManagement: true });
    const scope = { tenantId: 'feed', connectionId: connection.id, emitEvents: true };
    const perWriter = 120;

    let writing = true;
    const seen: string[] = [];
    let cursor: string | undefined;
    const reader = (async () => {
      // Poll with small pages while the writers run, then drain what is left.
      for (let idle = 0; writing || idle < 3; ) {
        const page = await services[idle % 2].events.page({ after: cursor, limit: 7, tenantId: 'feed', types: ['user.created'] });
        seen.push(...page.items.map((e) => e.data.userName as string));
        idle = page.items.length === 0 && !writing ? idle + 1 : 0;
        cursor = page.nextCursor;
        if (page.items.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const writers = services.map(async (s, w) => {
      const lanes = Array.from({ length: 6 }, async (_, lane) => {
        for (let i = lane; i < perWriter; i += 6) await s.users.create(scope, 'http://x', { userName: `w${w}-${i}@feed.test` });
      });
      await Promise.all(lanes);
    });
    await Promise.all(writers);
    // The feed reads below the oldest running transaction of the whole server, which other test files
    // share: the reader stops only after the feed has caught up with every commit.
    await feedCaughtUp({ db: dbs[0] });
    writing = false;
    await reader;

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(perWriter * 2);
    const all = await services[0].events.page({ limit: 1000, tenantId: 'feed', types: ['user.created'] });
    expect(all.items.map((e) => e.data.userName)).toEqual(seen);
  });
});
