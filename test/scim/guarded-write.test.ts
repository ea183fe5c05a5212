/**
 * PostgreSQL: a group change read without a lock and written as one guarded statement
 * (src/db/postgres/group-change.ts, src/db/postgres/write-batch.ts): applied whole when the group is
 * still at the version read, not at all when another write got there first.
 */
import { postgresDialect } from '../../src/db/postgres/dialect.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/open.js';
import { WriteBatch } from '../../src/db/postgres/write-batch.js';
import { EventStore } from '../../src/events/store.js';
import { queueGroupChange, readGroupChange } from '../../src/db/postgres/group-change.js';
import { GroupStore } from '../../src/scim/store/group-store.js';
import { UserStore } from '../../src/scim/store/user-store.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';

const postgres = dialectsUnderTest().includes('postgres');

describe.runIf(postgres)('guarded group change (postgres)', () => {
  let store: Awaited<ReturnType<typeof storeTestDatabase>>;
  let db: Db;
  const scope = { tenantId: 't', connectionId: 'c' };
  const now = '2026-11-29T00:00:00.000Z';

  beforeAll(async () => {
    store = await storeTestDatabase('postgres');
    db = store.db;
    const users = new UserStore(db.kysely, postgresDialect);
    for (const id of ['u1', 'u2', 'u3']) await users.insert(scope, id, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: id }, now);
    const groups = new GroupStore(db.kysely, postgresDialect);
    await groups.insert(scope, 'g', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'G' }, now);
    await groups.addMembers(scope, 'g', [{ value: 'u1', type: 'User' }], now);
  });

  afterAll(async () => {
    await store?.close();
  });

  const state = async () => ({
    version: (await db.kysely.selectFrom('scim_groups').select('version').where('id', '=', 'g').executeTakeFirstOrThrow()).version,
    members: (await db.kysely.selectFrom('scim_group_members').select('member_id').where('group_id', '=', 'g').orderBy('member_id').execute()).map((m) => m.member_id),
    events: Number((await sql<{ n: string }>`select count(*) as n from events`.execute(db.kysely)).rows[0].n),
  });

  it('reads the group and the named members in one query', async () => {
    const read = await readGroupChange(db.kysely, scope, 'g', ['u1', 'u2', 'nobody']);
    expect(read?.row.id).toBe('g');
    expect([...read!.found]).toEqual(expect.arrayContaining([['u1', 'User'], ['u2', 'User']]));
    expect(read!.found.has('nobody')).toBe(false);
    expect([...read!.current]).toEqual([['u1', 'User']]);
    expect(read!.mapped).toBe(false);
    expect(await readGroupChange(db.kysely, { tenantId: 't', connectionId: 'other' }, 'g', [])).toBeUndefined();
  });

  it('reads one named id (a scalar parameter) as it reads several', async () => {
    const one = await readGroupChange(db.kysely, scope, 'g', ['u1']);
    expect([...one!.found]).toEqual([['u1', 'User']]);
    expect([...one!.current]).toEqual([['u1', 'User']]);
    const absent = await readGroupChange(db.kysely, scope, 'g', ['nobody']);
    expect(absent!.found.size + absent!.current.size).toBe(0);
  });

  it('applies members, version and events together when the version is still the one read', async () => {
    const before = await state();
    const read = (await readGroupChange(db.kysely, scope, 'g', ['u1', 'u2']))!;
    const batch = new WriteBatch();
    const written = queueGroupChange(batch, scope, read.row, JSON.parse(read.row.resource), { added: [{ value: 'u2', type: 'User' }], removed: [{ value: 'u1', type: 'User' }] }, now);
    await new EventStore(db.kysely, postgresDialect, batch).append(scope, [{ type: 'group.user_added', resourceId: 'g', data: { groupId: 'g', userId: 'u2' } }], now);
    expect(await batch.execute(db.kysely)).toBe(true);
    expect(written.version).toBe(before.version + 1);
    expect(await state()).toEqual({ version: before.version + 1, members: ['u2'], events: before.events + 1 });
  });

  it('applies nothing when another write changed the group after the read', async () => {
    const read = (await readGroupChange(db.kysely, scope, 'g', ['u3']))!;
    // Another writer bumps the version in between.
    await db.kysely.updateTable('scim_groups').set({ version: read.row.version + 1 }).where('id', '=', 'g').execute();
    const before = await state();
    const batch = new WriteBatch();
    queueGroupChange(batch, scope, read.row, JSON.parse(read.row.resource), { added: [{ value: 'u3', type: 'User' }], removed: [{ value: 'u2', type: 'User' }] }, now);
    await new EventStore(db.kysely, postgresDialect, batch).append(scope, [{ type: 'group.user_added', resourceId: 'g', data: { groupId: 'g', userId: 'u3' } }], now);
    expect(await batch.execute(db.kysely)).toBe(false);
    expect(await state()).toEqual(before);
  });

  it('removes several members at once (an array parameter) and one alone (a scalar)', async () => {
    const groups = new GroupStore(db.kysely, postgresDialect);
    await groups.addMembers(scope, 'g', [{ value: 'u1', type: 'User' }, { value: 'u3', type: 'User' }], now);
    const two = (await readGroupChange(db.kysely, scope, 'g', ['u1', 'u3']))!;
    const batch = new WriteBatch();
    queueGroupChange(batch, scope, two.row, JSON.parse(two.row.resource), { added: [], removed: [{ value: 'u1', type: 'User' }, { value: 'u3', type: 'User' }] }, now);
    expect(await batch.execute(db.kysely)).toBe(true);
    expect((await state()).members).toEqual(['u2']);
    const one = (await readGroupChange(db.kysely, scope, 'g', ['u2']))!;
    const single = new WriteBatch();
    queueGroupChange(single, scope, one.row, JSON.parse(one.row.resource), { added: [], removed: [{ value: 'u2', type: 'User' }] }, now);
    expect(await single.execute(db.kysely)).toBe(true);
    expect((await state()).members).toEqual([]);
  });
});
