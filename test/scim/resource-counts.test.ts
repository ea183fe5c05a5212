/**
 * The per-connection counts kept beside the rows (migrations 0008 and 0010) against count(*), after every way a
 * user or group comes or goes: SCIM create and delete, Bulk, concurrent
 * writers, a failed request rolled back, connection deletion (removing or detaching), purge of
 * detached data, tenant deletion — and the backfill of rows that existed before the migration.
 */
import { sql } from 'kysely';
import { Migrator } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { countResources } from '../../src/scim/store/resource-counts.js';
import { createTestDatabase, dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { GROUP_URN, USER_URN, scimClient, type ScimClient } from '../support/scim-requests.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

async function actual(t: TestApp, tenantId: string, connectionId: string) {
  const count = async (table: 'scim_users' | 'scim_groups') =>
    Number((await t.db.kysely.selectFrom(table).select(sql<number>`count(*)`.as('n')).where('tenant_id', '=', tenantId).where('connection_id', '=', connectionId).executeTakeFirstOrThrow()).n);
  return { users: await count('scim_users'), groups: await count('scim_groups') };
}

async function kept(t: TestApp, tenantId: string, connectionId: string) {
  const scope = { tenantId, connectionId };
  return { users: await countResources(t.db.kysely, scope, 'User'), groups: await countResources(t.db.kysely, scope, 'Group') };
}

describe.each(dialectsUnderTest())('kept resource counts (%s)', (dialect) => {
  const t = useTestApp(dialect);
  let client: ScimClient;
  let conn: { id: string; token: string };
  const tenant = 'counted';

  const expectCounts = async (users: number, groups: number, c = conn, tenantId = tenant) => {
    expect(await actual(t, tenantId, c.id)).toEqual({ users, groups });
    expect(await kept(t, tenantId, c.id)).toEqual({ users, groups });
  };

  beforeAll(async () => {
    await createTenant(t, tenant);
    conn = await createConnection(t, tenant);
    client = scimClient(t, conn);
  });

  it('follows SCIM creates, deletes, Bulk and the directory API, and shows in totalResults', async () => {
    await expectCounts(0, 0);
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => client.createUser({ schemas: [USER_URN], userName: `u${i}@counted.test` })));
    const group = await client.createGroup({ schemas: [GROUP_URN], displayName: 'G', members: [{ value: users[0].id }] });
    await expectCounts(12, 1);
    expect((await client.delete(`/Users/${users[1].id}`)).statusCode).toBe(204);
    const bulk = await client.post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [USER_URN], userName: 'bulk.a@counted.test' } },
        { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP_URN], displayName: 'Bulk group' } },
        { method: 'DELETE', path: `/Users/${users[2].id}` },
      ],
    });
    expect(bulk.statusCode).toBe(200);
    await expectCounts(11, 2);
    expect((await client.delete(`/Groups/${group.id}`)).statusCode).toBe(204);
    await expectCounts(11, 1);
    const list = (await client.get('/Users?count=3')).json();
    expect(list.totalResults).toBe(11);
    expect(list.Resources).toHaveLength(3);
    expect((await client.get('/Groups?count=0')).json().totalResults).toBe(1);
  });

  it('does not count a request that failed (a duplicate userName rolls back)', async () => {
    const before = await kept(t, tenant, conn.id);
    const duplicate = await client.post('/Users', { schemas: [USER_URN], userName: 'u0@counted.test' });
    expect(duplicate.statusCode).toBe(409);
    expect(await kept(t, tenant, conn.id)).toEqual(before);
  });

  it('stays exact under concurrent creates and deletes on one connection', async () => {
    const created = await Promise.all(Array.from({ length: 40 }, (_, i) => client.post('/Users', { schemas: [USER_URN], userName: `race${i}@counted.test` })));
    expect(created.every((r) => r.statusCode === 201)).toBe(true);
    await Promise.all(created.slice(0, 25).map((r) => client.delete(`/Users/${r.json().id}`)));
    const { users, groups } = await actual(t, tenant, conn.id);
    await expectCounts(users, groups);
    expect(users).toBe(11 + 15);
  });

  it('drops to zero when a connection is deleted with its users, keeps detached rows counted until purged', async () => {
    const removed = await createConnection(t, tenant);
    const kept1 = await createConnection(t, tenant);
    for (const c of [removed, kept1]) {
      const other = scimClient(t, c);
      await other.createUser({ schemas: [USER_URN], userName: 'a@counted.test' });
      await other.createGroup({ schemas: [GROUP_URN], displayName: 'A' });
    }
    await expectCounts(1, 1, removed);
    const del = (c: { id: string }, remove: boolean) =>
      t.app.inject({ method: 'DELETE', url: `/directory/resources/v1/configurations/scim2/${c.id}?removeUsersAndGroups=${remove}`, headers: { authorization: t.auth } });
    expect((await del(removed, true)).statusCode).toBeLessThan(300);
    await expectCounts(0, 0, removed);
    expect((await del(kept1, false)).statusCode).toBeLessThan(300);
    await expectCounts(1, 1, kept1);
    const purge = await t.app.inject({ method: 'POST', url: `/api/v1/tenants/${tenant}/detached/purge`, headers: { authorization: t.auth }, payload: { connectionId: kept1.id } });
    expect(purge.statusCode).toBeLessThan(300);
    await expectCounts(0, 0, kept1);
  });

  it('follows a tenant deletion (cascade) to zero', async () => {
    await createTenant(t, 'short-lived');
    const c = await createConnection(t, 'short-lived');
    const other = scimClient(t, c);
    await other.createUser({ schemas: [USER_URN], userName: 'gone@counted.test' });
    await expectCounts(1, 0, c, 'short-lived');
    expect((await t.app.inject({ method: 'DELETE', url: '/tenants/resources/tenants/v1/short-lived', headers: { authorization: t.auth } })).statusCode).toBeLessThan(300);
    expect(await kept(t, 'short-lived', c.id)).toEqual({ users: 0, groups: 0 });
  });
});

/** Tenant `old` and `n` users of its connection `c1`, inserted as rows (not through the stores); returns their time. */
async function insertRawUsers(db: Db, n: number): Promise<string> {
  const now = new Date().toISOString();
  await db.kysely.insertInto('tenants').values({ id: 'old', name: 'Old', created_at: now, updated_at: now }).execute();
  for (let i = 0; i < n; i++) {
    await db.kysely
      .insertInto('scim_users')
      .values({ id: `u${i}`, tenant_id: 'old', connection_id: 'c1', user_name: `u${i}`, user_name_norm: `u${i}`, active: 1, detached: 0, resource: '{}', version: 1, created_at: now, updated_at: now })
      .execute();
  }
  return now;
}

describe.each(dialectsUnderTest())('kept resource counts: backfill (%s)', (dialect) => {
  it('counts the rows that existed before the migration', async () => {
    const database = await createTestDatabase(dialect);
    const db = openDatabase(database.url);
    try {
      const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
      const { error } = await migrator.migrateTo('0007-ui-sessions');
      expect(error).toBeUndefined();
      await insertRawUsers(db, 3);
      await migrateToLatest(db);
      expect(await countResources(db.kysely, { tenantId: 'old', connectionId: 'c1' }, 'User')).toBe(3);
      expect(await countResources(db.kysely, { tenantId: 'old', connectionId: 'c1' }, 'Group')).toBe(0);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});

describe.each(dialectsUnderTest())('kept resource counts: migration 0010 (%s)', (dialect) => {
  it('rolled back, the database counts inserts made outside the stores again', async () => {
    const database = await createTestDatabase(dialect);
    const db = openDatabase(database.url);
    try {
      await migrateToLatest(db);
      const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo('0009-scim-order-blocks')).error).toBeUndefined();
      const now = await insertRawUsers(db, 3);
      await db.kysely.insertInto('scim_groups').values({ id: 'g', tenant_id: 'old', connection_id: 'c1', display_name: 'G', display_name_norm: 'g', detached: 0, resource: '{}', version: 1, created_at: now, updated_at: now }).execute();
      const scope = { tenantId: 'old', connectionId: 'c1' };
      expect(await countResources(db.kysely, scope, 'User')).toBe(3);
      expect(await countResources(db.kysely, scope, 'Group')).toBe(1);
      const blocks = await db.kysely.selectFrom('scim_order_blocks').select(['resource_type', sql<number>`sum(n)`.as('n')]).where('tenant_id', '=', 'old').groupBy('resource_type').orderBy('resource_type').execute();
      expect(blocks.map((b) => [b.resource_type, Number(b.n)])).toEqual([['Group', 1], ['User', 3]]);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
