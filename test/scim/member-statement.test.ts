/**
 * PostgreSQL: a PATCH that only adds or only removes members, as one statement
 * (src/db/postgres/member-change.ts): what it writes, what it refuses without writing, and how
 * it meets concurrent writers of the same group; and that GroupService sends Okta's and Entra ID's
 * membership PATCHes that way, one query each, and everything else another way.
 */
import { postgresDialect } from '../../src/db/postgres/dialect.js';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/open.js';
import { RoleStore } from '../../src/roles/store.js';
import { GroupService } from '../../src/scim/service/group-service.js';
import { postgresScimStorage, type PostgresScimStorage } from '../../src/db/postgres/scim-storage.js';
import { GroupStore } from '../../src/scim/store/group-store.js';
import { changeMembers, type MemberChange, type MemberStatement } from '../../src/db/postgres/member-change.js';
import { UserStore } from '../../src/scim/store/user-store.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';
import { QueryCounter } from '../support/query-counter.js';

const postgres = dialectsUnderTest().includes('postgres');
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe.runIf(postgres)('membership PATCH as one statement (postgres)', () => {
  let store: Awaited<ReturnType<typeof storeTestDatabase>>;
  let db: Db;
  const scope = { tenantId: 't', connectionId: 'c', emitEvents: true };
  const now = '2026-11-29T00:00:00.000Z';
  const later = '2026-11-29T00:00:05.000Z';
  let groups: GroupStore;

  beforeAll(async () => {
    store = await storeTestDatabase('postgres', ['c', 'other']);
    db = store.db;
    const users = new UserStore(db.kysely, postgresDialect);
    for (const id of ['u1', 'u2', 'u3', 'u4']) await users.insert(scope, id, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: id }, now);
    await users.insert({ ...scope, connectionId: 'other' }, 'elsewhere', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'elsewhere' }, now);
    groups = new GroupStore(db.kysely, postgresDialect);
    for (const id of ['g', 'nested', 'mapped']) await groups.insert(scope, id, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: id }, now);
    const roles = new RoleStore(db.kysely);
    await roles.insert({ key: 'admin', name: 'Admin', description: null, permissions: '[]', is_default: 0, created_at: now, updated_at: now });
    await roles.replaceGroupRoles('t', 'mapped', ['admin'], now);
  });

  afterAll(async () => {
    await store?.close();
  });

  beforeEach(async () => {
    await db.kysely.deleteFrom('scim_group_members').execute();
    await db.kysely.deleteFrom('events').execute();
    await db.kysely.updateTable('connections').set({ last_sync_at: null }).execute();
  });

  const run = (groupId: string, change: MemberChange, options: Partial<MemberStatement> = {}) =>
    changeMembers(db.kysely, { scope, groupId, change, now: later, events: true, asynchronous: false, ...options });

  const state = async (groupId = 'g') => {
    const group = await db.kysely.selectFrom('scim_groups').select(['version', 'updated_at']).where('id', '=', groupId).executeTakeFirstOrThrow();
    const members = await db.kysely.selectFrom('scim_group_members').select(['member_id', 'member_type', 'tenant_id', 'connection_id']).where('group_id', '=', groupId).orderBy('member_id').execute();
    const events = await db.kysely.selectFrom('events').select(['type', 'resource_id', 'data', 'connection_id', 'tenant_id', 'occurred_at']).orderBy('seq').execute();
    const sync = await db.kysely.selectFrom('connections').select('last_sync_at').where('id', '=', 'c').executeTakeFirstOrThrow();
    return { ...group, members, events: events.map((e) => ({ ...e, data: JSON.parse(e.data) })), lastSync: sync.last_sync_at };
  };
  const lastSync = (parameter: (value: unknown) => string) => `update connections set last_sync_at = ${parameter(later)} where id = ${parameter('c')}`;

  it('adds one member and several, users and groups, with one version step and an event per user in the order named', async () => {
    const before = await state();
    const one = await run('g', { kind: 'add', ids: ['u2'] }, { lastSync });
    expect(one).toMatchObject({ kind: 'applied', row: { id: 'g', version: before.version + 1, updated_at: later } });
    const several = await run('g', { kind: 'add', ids: ['u4', 'nested', 'u1'] });
    expect(several).toMatchObject({ kind: 'applied', row: { version: before.version + 2 } });
    const after = await state();
    expect(after.members).toEqual([
      { member_id: 'nested', member_type: 'Group', tenant_id: 't', connection_id: 'c' },
      { member_id: 'u1', member_type: 'User', tenant_id: 't', connection_id: 'c' },
      { member_id: 'u2', member_type: 'User', tenant_id: 't', connection_id: 'c' },
      { member_id: 'u4', member_type: 'User', tenant_id: 't', connection_id: 'c' },
    ]);
    // The same events the other ways record: users only, in the PATCH's order.
    expect(after.events).toEqual(
      ['u2', 'u4', 'u1'].map((userId) => ({ type: 'group.user_added', resource_id: 'g', data: { groupId: 'g', userId }, connection_id: 'c', tenant_id: 't', occurred_at: later })),
    );
    expect(after.lastSync).toBe(later);
  });

  it('changes nothing, version included, for members already there; adds only the new ones of a mix', async () => {
    await run('g', { kind: 'add', ids: ['u1', 'u2'] });
    const before = await state();
    const same = await run('g', { kind: 'add', ids: ['u2', 'u1'] }, { lastSync });
    expect(same).toMatchObject({ kind: 'applied', row: { version: before.version } });
    expect(await state()).toEqual({ ...before, lastSync: later });
    await run('g', { kind: 'add', ids: ['u1', 'u3'] });
    const after = await state();
    expect(after.version).toBe(before.version + 1);
    expect(after.events.slice(before.events.length).map((e) => e.data.userId)).toEqual(['u3']);
  });

  it('refuses a member that is not in this connection, naming the first, and writes nothing', async () => {
    const before = await state();
    expect(await run('g', { kind: 'add', ids: ['u1', 'nobody', 'elsewhere'] }, { lastSync })).toEqual({ kind: 'missing', id: 'nobody' });
    expect(await run('g', { kind: 'add', ids: ['elsewhere'] }, { lastSync })).toEqual({ kind: 'missing', id: 'elsewhere' });
    expect(await state()).toEqual(before);
  });

  it('answers not found for a group of another connection or tenant, or detached, and writes nothing', async () => {
    const before = await state();
    expect(await run('g', { kind: 'add', ids: ['u1'] }, { scope: { ...scope, connectionId: 'other' } })).toEqual({ kind: 'notFound' });
    expect(await run('g', { kind: 'remove', ids: ['u1'] }, { scope: { ...scope, tenantId: 'x' } })).toEqual({ kind: 'notFound' });
    expect(await run('absent', { kind: 'add', ids: ['u1'] })).toEqual({ kind: 'notFound' });
    await db.kysely.updateTable('scim_groups').set({ detached: 1 }).where('id', '=', 'nested').execute();
    try {
      expect(await run('nested', { kind: 'add', ids: ['u1'] })).toEqual({ kind: 'notFound' });
      // A detached group is no member either.
      expect(await run('g', { kind: 'add', ids: ['nested'] })).toEqual({ kind: 'missing', id: 'nested' });
    } finally {
      await db.kysely.updateTable('scim_groups').set({ detached: 0 }).where('id', '=', 'nested').execute();
    }
    expect(await state()).toEqual(before);
  });

  it('declines a group with mapped roles when events are recorded (their changes need more reads), and takes it when not', async () => {
    const before = await state('mapped');
    expect(await run('mapped', { kind: 'add', ids: ['u1'] }, { lastSync })).toEqual({ kind: 'declined' });
    expect(await run('mapped', { kind: 'remove', ids: ['u1'] })).toEqual({ kind: 'declined' });
    expect(await state('mapped')).toEqual(before);
    // A missing member is still the client's error.
    expect(await run('mapped', { kind: 'add', ids: ['nobody'] })).toEqual({ kind: 'missing', id: 'nobody' });
    expect(await run('mapped', { kind: 'add', ids: ['u1'] }, { events: false })).toMatchObject({ kind: 'applied', row: { version: before.version + 1 } });
    expect((await state('mapped')).events).toEqual([]);
  });

  it('removes one member and several, with events for users only; ids that are not members change nothing', async () => {
    await run('g', { kind: 'add', ids: ['u1', 'u2', 'u3', 'nested'] });
    await db.kysely.deleteFrom('events').execute();
    const before = await state();
    expect(await run('g', { kind: 'remove', ids: ['u2'] }, { lastSync })).toMatchObject({ kind: 'applied', row: { version: before.version + 1 } });
    expect(await run('g', { kind: 'remove', ids: ['nested', 'u3', 'nobody'] })).toMatchObject({ kind: 'applied', row: { version: before.version + 2 } });
    expect(await run('g', { kind: 'remove', ids: ['u2', 'nobody'] })).toMatchObject({ kind: 'applied', row: { version: before.version + 2 } });
    const after = await state();
    expect(after.members.map((m) => m.member_id)).toEqual(['u1']);
    expect(after.events.map((e) => [e.type, e.data.userId])).toEqual([
      ['group.user_removed', 'u2'],
      ['group.user_removed', 'u3'],
    ]);
    expect(after.lastSync).toBe(later);
  });

  describe('beside another transaction on the same group', () => {
    let other: pg.Client;
    beforeEach(async () => {
      other = new pg.Client(store.database.url);
      await other.connect();
    });
    afterAll(async () => {
      await other?.end().catch(() => undefined);
    });
    const waiting = async () => {
      // The statement is queued on the group's row lock.
      for (let i = 0; i < 200; i++) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`.execute(db.kysely);
        if (rows[0].n > 0) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('the statement never waited for the lock');
    };

    it('waits for it, then writes on its result: the version after both, no second event for a member it added', async () => {
      const before = await state();
      await other.query('begin');
      await other.query(`update scim_groups set version = version + 1 where id = 'g'`);
      await other.query(`insert into scim_group_members (group_id, member_id, member_type, tenant_id, connection_id, created_at) values ('g', 'u1', 'User', 't', 'c', '${now}')`);
      const pending = run('g', { kind: 'add', ids: ['u1', 'u2'] });
      await waiting();
      await other.query('commit');
      expect(await pending).toMatchObject({ kind: 'applied', row: { version: before.version + 2 } });
      const after = await state();
      expect(after.members.map((m) => m.member_id)).toEqual(['u1', 'u2']);
      expect(after.events.map((e) => e.data.userId)).toEqual(['u2']);
      await other.end();
    });

    it('changes nothing when that transaction added every member named; the answer has its version', async () => {
      const before = await state();
      await other.query('begin');
      await other.query(`update scim_groups set version = version + 1 where id = 'g'`);
      await other.query(`insert into scim_group_members (group_id, member_id, member_type, tenant_id, connection_id, created_at) values ('g', 'u3', 'User', 't', 'c', '${now}')`);
      const pending = run('g', { kind: 'add', ids: ['u3'] });
      await waiting();
      await other.query('commit');
      expect(await pending).toMatchObject({ kind: 'applied', row: { version: before.version + 1 } });
      expect((await state()).events).toEqual([]);
      await other.end();
    });

    it('writes nothing when that transaction deleted the group', async () => {
      await groups.insert(scope, 'doomed', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'doomed' }, now);
      await other.query('begin');
      await other.query(`delete from scim_groups where id = 'doomed'`);
      const pending = run('doomed', { kind: 'add', ids: ['u1'] }, { lastSync });
      await waiting();
      await other.query('commit');
      expect(await pending).toEqual({ kind: 'declined' });
      const members = await db.kysely.selectFrom('scim_group_members').select('member_id').where('group_id', '=', 'doomed').execute();
      expect(members).toEqual([]);
      expect((await state()).events).toEqual([]);
      expect((await state()).lastSync).toBeNull();
      await other.end();
    });
  });

  describe('GroupService', () => {
    const counter = new QueryCounter();
    let tx: PostgresScimStorage;
    let service: GroupService;
    beforeAll(async () => {
      tx = postgresScimStorage({ ...db, kysely: db.kysely.withPlugin(counter) });
      service = new GroupService(tx);
      // The first write starts the statistics check (src/db/postgres/statistics.ts); its queries are not the PATCH's.
      await service.patch(scope, 'http://x/scim/v2', 'nested', { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'nested' }] });
      await tx.statistics.idle();
    });
    afterAll(() => tx.statistics.stop());
    const patch = async (groupId: string, operations: unknown[]) => {
      counter.count = 0;
      await service.patch(scope, 'http://x/scim/v2', groupId, { schemas: [PATCH], Operations: operations }, undefined, { exclude: [{ attr: 'members' }] });
      return counter.count;
    };

    it("sends Okta's and Entra ID's membership PATCHes as one query", async () => {
      expect(await patch('g', [{ op: 'add', path: 'members', value: [{ value: 'u1', display: 'u1' }] }])).toBe(1);
      expect(await patch('g', [{ op: 'Add', path: 'members', value: [{ value: 'u2' }, { value: 'u3' }] }])).toBe(1);
      expect(await patch('g', [{ op: 'remove', path: 'members[value eq "u1"]' }])).toBe(1);
      expect(await patch('g', [{ op: 'Remove', path: 'members', value: [{ value: 'u2' }] }])).toBe(1);
      expect(await patch('g', [{ op: 'add', value: { members: [{ value: 'u4' }] } }])).toBe(1);
      expect((await state()).members.map((m) => m.member_id)).toEqual(['u3', 'u4']);
    });

    it('sends anything else another way, with the same answers', async () => {
      expect(await patch('g', [{ op: 'replace', path: 'displayName', value: 'G' }])).toBeGreaterThan(1);
      expect(await patch('g', [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }, { op: 'remove', path: 'members[value eq "u3"]' }])).toBeGreaterThan(1);
      expect((await state()).members.map((m) => m.member_id)).toEqual(['u1']);
      expect(await patch('mapped', [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }])).toBeGreaterThan(1);
      await expect(patch('g', [{ op: 'add', path: 'members', value: [{ value: 'g' }] }])).rejects.toMatchObject({ status: 400, message: 'A group cannot be a member of itself' });
      await expect(patch('g', [{ op: 'add', path: 'members', value: [{ value: 'nobody' }] }])).rejects.toMatchObject({ status: 400, message: 'Member "nobody" is not a User or Group of this connection' });
      await expect(patch('absent', [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }])).rejects.toMatchObject({ status: 404 });
      // Roles mapped to the group: its members' roles changed, which only the transaction works out.
      const events = (await state('mapped')).events.filter((e) => e.resource_id === 'mapped' || e.type === 'user.updated');
      expect(events.map((e) => [e.type, e.data.roles])).toEqual([
        ['group.user_added', undefined],
        ['user.updated', ['admin']],
      ]);
    });
  });
});
