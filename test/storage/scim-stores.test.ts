/**
 * The SCIM storage contract (Ory Kratos's model: one suite, a function per contract, run against
 * every database): what `db.dialect.scim.storage(db)` and the services over it promise, whichever
 * database is under them — create and get, filters, deep pages, members, counts, deletes, events
 * written in the change's own transaction, and that another tenant or another connection sees
 * nothing. Each contract works in connections of its own, so the contracts do not see each other.
 * A case that branches on the database says so in its name.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName, Db } from '../../src/db/open.js';
import { userCreated } from '../../src/events/scim-events.js';
import { EventStore } from '../../src/events/store.js';
import { FEED_START } from '../../src/events/cursor.js';
import { parseFilter } from '../../src/scim/filter/index.js';
import type { ListQuery } from '../../src/scim/store/list-query.js';
import type { ConnectionScope } from '../../src/scim/store/scope.js';
import { newId } from '../../src/security/ids.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';
import { prng } from '../support/prng.js';
import { settledFeed } from './settled-feed.js';
import {
  addConnection,
  addTenant,
  BASE,
  BULK,
  closeStorage,
  counted,
  eventsOf,
  exactly,
  GROUP,
  PATCH_OP,
  scimError,
  services,
  USER,
  type Services,
} from './scim-world.js';

/** Order blocks of 10 rows: a few thousand users make hundreds of blocks. */
const BLOCK_ROWS = 10;
const DEEP_USERS = 2_500;

interface World extends Services {
  dialect: DialectName;
  db: Db;
  /** A new connection of tenant `t` (or of `tenantId`). */
  connection(tenantId?: string): Promise<ConnectionScope>;
}

/** The database of one run of the contract, with tenants `t` and `t2`. */
function useWorld(dialect: DialectName): () => World {
  let opened: Awaited<ReturnType<typeof storeTestDatabase>> | undefined;
  let world: World | undefined;
  beforeAll(async () => {
    opened = await storeTestDatabase(dialect, []);
    const { db } = opened;
    await addTenant(db, 't2');
    // Blocks kept on PostgreSQL are read again as soon as a page finds them out of date.
    world = { dialect, db, ...services(db, { orderBlockRows: BLOCK_ROWS, blockReadIntervalMs: 0 }), connection: (tenantId = 't') => addConnection(db, tenantId) };
  });
  afterAll(async () => {
    if (world) await closeStorage(world.storage);
    await opened?.close();
  });
  return () => world!;
}

const list = (filter?: string, extra: Partial<ListQuery> = {}): ListQuery => ({ offset: 0, limit: 1000, sortOrder: 'ascending', ...(filter ? { filter: parseFilter(filter) } : {}), ...extra });
const ALL = { exclude: [] };
const idOf = (rendered: { resource: Record<string, unknown> }) => rendered.resource.id as string;
const patchBody = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/** Users named `name`, in a connection; returns their ids by name. */
async function createUsers(w: World, scope: ConnectionScope, bodies: Record<string, unknown>[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const body of bodies) ids.set(body.userName as string, idOf(await w.users.create(scope, BASE, { schemas: [USER], ...body })));
  return ids;
}

function createAndGetContract(world: () => World): void {
  it('creates a user and a group and gets them back as created; a userName or displayName is taken once per connection, in any case', async () => {
    const w = world();
    const scope = await w.connection();
    const body = { schemas: [USER], userName: 'Ada@Example.com', externalId: 'ext-ada', displayName: 'Ada L', name: { givenName: 'Ada', familyName: 'L' }, emails: [{ value: 'ada@work.test', type: 'work', primary: true }], active: true };
    const created = await w.users.create(scope, BASE, body);
    const id = idOf(created);
    expect(created.version).toBe(1);
    expect(created.resource).toMatchObject({ id, userName: 'Ada@Example.com', externalId: 'ext-ada', emails: [{ value: 'ada@work.test', type: 'work', primary: true }], meta: { resourceType: 'User', location: `${BASE}/Users/${id}`, version: 'W/"1"' } });
    const got = await w.users.get(scope, BASE, id);
    expect(got).toEqual({ resource: created.resource, version: 1 });
    // The row mirrors the resource in the columns filters and sorts use.
    const row = await w.storage.writes.reads().users.get(scope, id);
    expect(row).toMatchObject({ id, tenant_id: scope.tenantId, connection_id: scope.connectionId, user_name: 'Ada@Example.com', user_name_norm: 'ada@example.com', external_id: 'ext-ada', display_name: 'Ada L', email_norm: 'ada@work.test', active: 1, version: 1 });

    expect(await scimError(w.users.create(scope, BASE, { schemas: [USER], userName: 'ada@example.COM' }))).toMatchObject({ status: 409, scimType: 'uniqueness' });
    expect(await scimError(w.users.get(scope, BASE, 'no-such-user'))).toMatchObject({ status: 404 });

    const group = await w.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Engineers', externalId: 'g-ext', members: [{ value: id }] });
    const groupId = idOf(group);
    expect(group.resource).toMatchObject({ id: groupId, displayName: 'Engineers', externalId: 'g-ext', members: [{ value: id, type: 'User', display: 'Ada L' }], meta: { resourceType: 'Group', version: 'W/"1"' } });
    expect(await w.groups.get(scope, BASE, groupId)).toEqual(group);
    expect((await w.users.get(scope, BASE, id)).resource.groups).toEqual([{ value: groupId, $ref: `${BASE}/Groups/${groupId}`, display: 'Engineers', type: 'direct' }]);
    expect(await scimError(w.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'ENGINEERS' }))).toMatchObject({ status: 409, scimType: 'uniqueness' });
    expect(await counted(w.db, scope)).toEqual(exactly(1, 1));
  });
}

function filterContract(world: () => World): void {
  const people = [
    { userName: 'alice@example.com', displayName: 'Alice Able', externalId: 'ext-1', emails: [{ value: 'Alice@Work.example', type: 'work', primary: true }], active: true },
    { userName: 'bob@example.com', displayName: 'Bob Baker', externalId: 'ext-2', emails: [{ value: 'bob@home.example', type: 'home' }], active: false },
    { userName: 'Carol@Example.org', active: true },
    { userName: 'dave@example.org', displayName: 'David Able', externalId: 'EXT-3', emails: [{ value: 'dave@work.example', type: 'work' }, { value: 'd@home.example', type: 'home' }], active: true },
    { userName: 'erin@example.net', displayName: 'Erin', externalId: 'ext-4', emails: [{ value: 'erin@work.example', type: 'work' }], active: false },
  ];
  const cases: [string, string[]][] = [
    ['userName eq "alice@example.com"', ['alice@example.com']],
    // userName is caseExact false (RFC 7643 §4.1.1): any case finds it.
    ['userName eq "CAROL@example.ORG"', ['Carol@Example.org']],
    ['userName co "example.org"', ['Carol@Example.org', 'dave@example.org']],
    ['userName sw "b"', ['bob@example.com']],
    ['userName sw "CAR"', ['Carol@Example.org']],
    ['userName pr', people.map((p) => p.userName)],
    ['displayName eq "alice able"', ['alice@example.com']],
    ['displayName co "Able"', ['alice@example.com', 'dave@example.org']],
    ['displayName sw "Bo"', ['bob@example.com']],
    ['displayName pr', ['alice@example.com', 'bob@example.com', 'dave@example.org', 'erin@example.net']],
    // externalId is caseExact (RFC 7643 §3.1): "EXT-3" and "ext-3" differ.
    ['externalId eq "ext-1"', ['alice@example.com']],
    ['externalId eq "ext-3"', []],
    ['externalId eq "EXT-3"', ['dave@example.org']],
    ['externalId sw "ext-"', ['alice@example.com', 'bob@example.com', 'erin@example.net']],
    ['externalId co "XT"', ['dave@example.org']],
    ['externalId pr', ['alice@example.com', 'bob@example.com', 'dave@example.org', 'erin@example.net']],
    ['emails eq "alice@work.example"', ['alice@example.com']],
    ['emails.value eq "d@home.example"', ['dave@example.org']],
    ['emails co "work.example"', ['alice@example.com', 'dave@example.org', 'erin@example.net']],
    ['emails.value sw "bob@"', ['bob@example.com']],
    ['emails[type eq "work"]', ['alice@example.com', 'dave@example.org', 'erin@example.net']],
    ['emails[type eq "home" and value co "home"]', ['bob@example.com', 'dave@example.org']],
    ['emails pr', ['alice@example.com', 'bob@example.com', 'dave@example.org', 'erin@example.net']],
    ['active eq true', ['alice@example.com', 'Carol@Example.org', 'dave@example.org']],
    ['active eq false', ['bob@example.com', 'erin@example.net']],
    ['userName co "example" and active eq false', ['bob@example.com', 'erin@example.net']],
    ['displayName co "able" or active eq false', ['alice@example.com', 'bob@example.com', 'dave@example.org', 'erin@example.net']],
    ['(userName sw "c" or userName sw "d") and emails pr', ['dave@example.org']],
    ['externalId pr and not (active eq true)', ['bob@example.com', 'erin@example.net']],
    ['userName eq "nobody@example.com" or externalId eq "nobody"', []],
  ];

  it('filters users with eq, co, sw, pr, and, or on userName, displayName, externalId, emails and active; count and totalResults agree', async () => {
    const w = world();
    const scope = await w.connection();
    await createUsers(w, scope, people);
    // The same people in a connection of another tenant: no filter may find them.
    await createUsers(w, await w.connection('t2'), people);
    const reads = w.storage.writes.reads();
    for (const [filter, expected] of cases) {
      const listed = await w.users.list(scope, BASE, list(filter), ALL);
      const names = listed.resources.map((r) => r.userName as string);
      expect([...names].sort(), filter).toEqual([...expected].sort());
      expect(listed.total, filter).toBe(expected.length);
      expect(await reads.users.count(scope, { filter: parseFilter(filter) }), filter).toBe(expected.length);
    }
  });

  it('filters groups on displayName and externalId', async () => {
    const w = world();
    const scope = await w.connection();
    for (const [displayName, externalId] of [['Sales EU', 'G-1'], ['Sales US', 'g-2'], ['Support', undefined]] as const) {
      await w.groups.create(scope, BASE, { schemas: [GROUP], displayName, ...(externalId ? { externalId } : {}) });
    }
    await w.groups.create(await w.connection('t2'), BASE, { schemas: [GROUP], displayName: 'Sales EU', externalId: 'G-1' });
    const groupCases: [string, string[]][] = [
      ['displayName eq "sales eu"', ['Sales EU']],
      ['displayName sw "Sales"', ['Sales EU', 'Sales US']],
      ['displayName co "u"', ['Sales EU', 'Sales US', 'Support']],
      ['externalId eq "G-1"', ['Sales EU']],
      ['externalId eq "g-1"', []],
      ['externalId pr', ['Sales EU', 'Sales US']],
      ['displayName sw "S" and not (externalId pr)', ['Support']],
      ['externalId eq "g-2" or displayName eq "Support"', ['Sales US', 'Support']],
    ];
    for (const [filter, expected] of groupCases) {
      const listed = await w.groups.list(scope, BASE, list(filter), ALL);
      expect(listed.resources.map((r) => r.displayName as string).sort(), filter).toEqual([...expected].sort());
      expect(listed.total, filter).toBe(expected.length);
    }
  });
}

function deepPageContract(world: () => World): void {
  it(`pages ${DEEP_USERS} users in blocks of ${BLOCK_ROWS}: every page is the slice OFFSET reads, with the right total`, async () => {
    const w = world();
    const scope = await w.connection();
    // Another connection's users are created in between, interleaved in the order.
    const other = await w.connection();
    for (let i = 0; i < DEEP_USERS; i += 250) {
      await Promise.all(Array.from({ length: 250 }, (_, j) => w.users.create(scope, BASE, { schemas: [USER], userName: `deep${i + j}@pages.test` })));
      await w.users.create(other, BASE, { schemas: [USER], userName: `between${i}@pages.test` });
    }
    const target = { ...scope, resourceType: 'User' as const };
    await w.storage.blocks.settle(target);
    const blocks = await w.db.kysely.selectFrom('scim_order_blocks').select(['start_at', 'start_id']).where('connection_id', '=', scope.connectionId).where('resource_type', '=', 'User').distinct().execute();
    expect(blocks.length).toBeGreaterThan(DEEP_USERS / (2 * BLOCK_ROWS));
    expect(await counted(w.db, scope)).toEqual(exactly(DEEP_USERS, 0));

    /** The slice read by OFFSET, straight from the table. */
    const byOffset = async (offset: number, limit: number) =>
      (
        await w.db.kysely
          .selectFrom('scim_users')
          .select('id')
          .where('tenant_id', '=', scope.tenantId)
          .where('connection_id', '=', scope.connectionId)
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit)
          .offset(offset)
          .execute()
      ).map((r) => r.id);
    const page = async (offset: number, limit: number) => {
      const { rows, total } = await w.storage.paging.page(({ users }) => users, scope, 'User', list(undefined, { offset, limit }));
      return { ids: rows.map((r) => r.id), total };
    };
    const located = w.storage.paging.pages.stats.located;
    // Forwards, every page in turn (an IdP's full sync)…
    for (let offset = 0; offset < DEEP_USERS + 97; offset += 97) {
      expect(await page(offset, 97), `forwards, offset ${offset}`).toEqual({ ids: await byOffset(offset, 97), total: DEEP_USERS });
    }
    // … backwards, where no page follows on from the one before and each starts from its block …
    for (let offset = DEEP_USERS - 50; offset >= 0; offset -= 50) {
      expect(await page(offset, 50), `backwards, offset ${offset}`).toEqual({ ids: await byOffset(offset, 50), total: DEEP_USERS });
    }
    // … and at random depths and sizes.
    const random = prng(11);
    for (let i = 0; i < 60; i++) {
      const offset = random.int(DEEP_USERS + 5);
      const limit = 1 + random.int(40);
      expect(await page(offset, limit), `offset ${offset}, limit ${limit}`).toEqual({ ids: await byOffset(offset, limit), total: DEEP_USERS });
    }
    expect(w.storage.paging.pages.stats.located - located).toBeGreaterThan(50);

    // Deleting users from the middle moves every page after them, and the total, at once.
    const doomed = await byOffset(1_000, 7);
    for (const id of doomed) await w.users.delete(scope, id);
    for (const offset of [0, 995, 1_000, 2_000, DEEP_USERS - 20]) {
      expect(await page(offset, 13), `after deletes, offset ${offset}`).toEqual({ ids: await byOffset(offset, 13), total: DEEP_USERS - 7 });
    }
    const listed = await w.users.list(scope, BASE, list(undefined, { offset: 1_990, limit: 5 }), ALL);
    expect(listed.total).toBe(DEEP_USERS - 7);
    expect(listed.resources.map((r) => r.id)).toEqual(await byOffset(1_990, 5));
  });
}

function memberContract(world: () => World): void {
  it('adds and removes members by PATCH and PUT: member rows, group version, User groups and events follow', async () => {
    const w = world();
    const scope = await w.connection();
    const ids = await createUsers(w, scope, [{ userName: 'm1' }, { userName: 'm2', displayName: 'Member Two' }, { userName: 'm3' }]);
    const [m1, m2, m3] = ['m1', 'm2', 'm3'].map((name) => ids.get(name)!);
    const nested = idOf(await w.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Nested' }));
    const groupId = idOf(await w.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Team' }));
    const foreign = idOf(await w.users.create(await w.connection(), BASE, { schemas: [USER], userName: 'm1' }));
    const memberRows = async () =>
      (await w.db.kysely.selectFrom('scim_group_members').select(['member_id', 'member_type', 'tenant_id', 'connection_id']).where('group_id', '=', groupId).orderBy('member_id').execute()).map((r) => ({ ...r }));
    const eventCount = (await eventsOf(w.db, scope)).length;
    const newEvents = async () => (await eventsOf(w.db, scope)).slice(eventCount).map((e) => [e.type, e.data.userId ?? e.resourceId]);

    const added = await w.groups.patch(scope, BASE, groupId, patchBody({ op: 'add', path: 'members', value: [{ value: m1 }, { value: m2 }] }));
    expect(added.version).toBe(2);
    expect(added.resource.members).toEqual([m1, m2].sort().map((id) => expect.objectContaining({ value: id, type: 'User' })));
    expect(await memberRows()).toEqual([m1, m2].sort().map((id) => ({ member_id: id, member_type: 'User', tenant_id: scope.tenantId, connection_id: scope.connectionId })));

    // A member already there and a group: only the group is new; no event for a group member.
    const again = await w.groups.patch(scope, BASE, groupId, patchBody({ op: 'add', path: 'members', value: [{ value: m1 }, { value: nested }] }));
    expect(again.version).toBe(3);
    // Nothing new: the version stays.
    expect((await w.groups.patch(scope, BASE, groupId, patchBody({ op: 'add', path: 'members', value: [{ value: m2 }] }))).version).toBe(3);

    const removed = await w.groups.patch(scope, BASE, groupId, patchBody({ op: 'remove', path: `members[value eq "${m2}"]` }));
    expect(removed.version).toBe(4);
    expect((removed.resource.members as { value: string }[]).map((m) => m.value).sort()).toEqual([m1, nested].sort());
    expect((await w.users.get(scope, BASE, m1)).resource.groups).toEqual([expect.objectContaining({ value: groupId, display: 'Team' })]);
    expect((await w.users.get(scope, BASE, m2)).resource.groups).toBeUndefined();

    // A member that is no User or Group of this connection — unknown, or another connection's — is a 400, and nothing changes.
    for (const missing of ['no-such-id', foreign]) {
      const before = await memberRows();
      expect(await scimError(w.groups.patch(scope, BASE, groupId, patchBody({ op: 'add', path: 'members', value: [{ value: m3 }, { value: missing }] })))).toMatchObject({ status: 400, scimType: 'invalidValue' });
      expect(await memberRows()).toEqual(before);
    }
    expect(await scimError(w.groups.patch(scope, BASE, groupId, patchBody({ op: 'add', path: 'members', value: [{ value: groupId }] })))).toMatchObject({ status: 400 });

    const replaced = await w.groups.replace(scope, BASE, groupId, { schemas: [GROUP], displayName: 'Team', members: [{ value: m3 }] });
    expect(replaced.version).toBe(5);
    expect((await memberRows()).map((r) => r.member_id)).toEqual([m3]);
    expect(await newEvents()).toEqual([
      ['group.user_added', m1],
      ['group.user_added', m2],
      ['group.user_removed', m2],
      ['group.user_added', m3],
      ['group.user_removed', m1],
    ]);
    expect(await scimError(w.groups.patch(scope, BASE, 'no-such-group', patchBody({ op: 'add', path: 'members', value: [{ value: m1 }] })))).toMatchObject({ status: 404 });
  });
}

function countContract(world: () => World): void {
  it('keeps count() and totalResults equal to the rows through creates, concurrent creates with duplicates, Bulk and deletes', async () => {
    const w = world();
    const scope = await w.connection();
    const reads = w.storage.writes.reads();
    const expectCounts = async (users: number, groups: number) => {
      expect(await counted(w.db, scope)).toEqual(exactly(users, groups));
      expect(await reads.users.count(scope, {})).toBe(users);
      expect(await reads.groups.count(scope, {})).toBe(groups);
      expect((await w.users.list(scope, BASE, list(undefined, { limit: 1 }), ALL)).total).toBe(users);
      expect((await w.groups.list(scope, BASE, list(undefined, { limit: 1 }), ALL)).total).toBe(groups);
      // A page past the end still has the total.
      expect((await w.users.list(scope, BASE, list(undefined, { offset: users + 5, limit: 10 }), ALL)).total).toBe(users);
    };
    await expectCounts(0, 0);
    const first = await createUsers(w, scope, [{ userName: 'c0' }, { userName: 'c1' }, { userName: 'c2' }]);
    await w.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Counted', members: [{ value: first.get('c0') }] });
    await expectCounts(3, 1);

    // 30 at once: 20 new names, 5 names taken already, 5 names twice in the same burst.
    const names = [...Array.from({ length: 20 }, (_, i) => `burst${i}`), 'c0', 'C1', 'c2', 'c0', 'c1', ...Array.from({ length: 5 }, (_, i) => `burst${i * 3}`)];
    const settled = await Promise.allSettled(names.map((userName) => w.users.create(scope, BASE, { schemas: [USER], userName })));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(20);
    for (const s of settled) if (s.status === 'rejected') expect(s.reason).toMatchObject({ status: 409 });
    await expectCounts(23, 1);

    const bulk = await w.bulk.execute(
      scope,
      BASE,
      {
        schemas: [BULK],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [USER], userName: 'bulk-a' } },
          { method: 'POST', path: '/Users', bulkId: 'b', data: { schemas: [USER], userName: 'bulk-b' } },
          { method: 'POST', path: '/Users', bulkId: 'dup', data: { schemas: [USER], userName: 'burst1' } },
          { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP], displayName: 'Bulk group', members: [{ value: 'bulkId:a' }] } },
          { method: 'DELETE', path: `/Users/${first.get('c2')}` },
        ],
      },
      100,
    );
    expect(bulk.map((r) => r.status)).toEqual(['201', '201', '409', '201', '204']);
    await expectCounts(24, 2);

    for (const userName of ['burst0', 'burst1', 'burst2']) {
      const [id] = (await w.users.list(scope, BASE, list(`userName eq "${userName}"`), ALL)).resources.map((r) => r.id as string);
      await w.users.delete(scope, id);
    }
    const groupIds = (await w.groups.list(scope, BASE, list(), ALL)).resources.map((r) => r.id as string);
    await w.groups.delete(scope, groupIds[0]);
    await expectCounts(21, 1);
    // A delete of what is gone changes nothing.
    expect(await scimError(w.groups.delete(scope, groupIds[0]))).toMatchObject({ status: 404 });
    await expectCounts(21, 1);
  });
}

function deleteContract(world: () => World): void {
  it('deletes a user with its memberships (group.user_removed then user.deleted), and a group with its member rows and its own memberships', async () => {
    const w = world();
    const scope = await w.connection();
    const ids = await createUsers(w, scope, [{ userName: 'stays' }, { userName: 'leaves' }]);
    const [stays, leaves] = [ids.get('stays')!, ids.get('leaves')!];
    const inner = idOf(await w.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Inner', members: [{ value: leaves }] }));
    const outer = idOf(await w.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Outer', members: [{ value: stays }, { value: leaves }, { value: inner }] }));
    const before = (await eventsOf(w.db, scope)).length;
    const rowsOf = async (column: 'member_id' | 'group_id', id: string) => (await w.db.kysely.selectFrom('scim_group_members').select(['group_id', 'member_id']).where(column, '=', id).execute()).length;

    await w.users.delete(scope, leaves);
    expect(await rowsOf('member_id', leaves)).toBe(0);
    expect(await scimError(w.users.get(scope, BASE, leaves))).toMatchObject({ status: 404 });
    expect((await w.groups.get(scope, BASE, outer)).resource.members).toEqual([stays, inner].sort().map((value) => expect.objectContaining({ value })));
    expect((await w.groups.get(scope, BASE, inner)).resource.members).toEqual([]);
    const events = (await eventsOf(w.db, scope)).slice(before);
    expect(events.map((e) => e.type)).toEqual(['group.user_removed', 'group.user_removed', 'user.deleted']);
    expect(events.slice(0, 2).map((e) => e.data).sort((a, b) => String(a.groupId).localeCompare(String(b.groupId)))).toEqual(
      [inner, outer].sort().map((groupId) => ({ groupId, userId: leaves })),
    );
    expect(await scimError(w.users.delete(scope, leaves))).toMatchObject({ status: 404 });

    await w.groups.delete(scope, inner);
    expect(await rowsOf('group_id', inner)).toBe(0);
    expect(await rowsOf('member_id', inner)).toBe(0);
    expect((await w.groups.get(scope, BASE, outer)).resource.members).toEqual([expect.objectContaining({ value: stays })]);
    expect((await w.users.get(scope, BASE, stays)).resource.groups).toEqual([expect.objectContaining({ value: outer })]);
    expect(await counted(w.db, scope)).toEqual(exactly(1, 1));
  });
}

function transactionContract(world: () => World, dialect: DialectName): void {
  it('writes events in the change’s transaction: a write that fails after its change leaves neither its rows nor its events', async () => {
    const w = world();
    const scope = await w.connection();
    const { writes } = w.storage;
    const failing = (userName: string) =>
      writes.write(scope, '', async (stores, now) => {
        const row = await stores.users.insert(scope, newId(), { schemas: [USER], userName }, now);
        userCreated(stores.events, row);
        // Events appended in the transaction too, as the unit of work does before it commits.
        await new EventStore(stores.trx, w.db.dialect).append(scope, [{ type: 'user.created', resourceId: row.id, data: { userName } }], now);
        throw new Error(`failed after writing ${userName}`);
      });
    await expect(failing('ghost')).rejects.toThrow('failed after writing ghost');
    expect(await counted(w.db, scope)).toEqual(exactly(0, 0));
    expect(await eventsOf(w.db, scope)).toEqual([]);

    // Among concurrent writes: the failed one takes nothing of the others with it, nor leaves anything of itself.
    const outcomes = await Promise.allSettled([
      ...['ok1', 'ok2', 'ok3'].map((userName) => w.users.create(scope, BASE, { schemas: [USER], userName })),
      failing('ghost2'),
      ...['ok4', 'ok5'].map((userName) => w.users.create(scope, BASE, { schemas: [USER], userName })),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const names = (await w.users.list(scope, BASE, list(), ALL)).resources.map((r) => r.userName).sort();
    expect(names).toEqual(['ok1', 'ok2', 'ok3', 'ok4', 'ok5']);
    const events = await eventsOf(w.db, scope);
    expect(events.map((e) => [e.type, e.data.userName]).sort()).toEqual(names.map((n) => ['user.created', n]));
    expect(await counted(w.db, scope)).toEqual(exactly(5, 0));

    // Real failures of the services after their first write: a group whose member does not exist, a rename onto a taken userName.
    expect(await scimError(w.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Half', members: [{ value: 'no-such-member' }] }))).toMatchObject({ status: 400 });
    const [ok1, ok2] = await Promise.all(['ok1', 'ok2'].map(async (n) => (await w.users.list(scope, BASE, list(`userName eq "${n}"`), ALL)).resources[0]));
    expect(await scimError(w.users.replace(scope, BASE, ok1.id as string, { schemas: [USER], userName: 'OK2' }))).toMatchObject({ status: 409 });
    expect(await scimError(w.users.patch(scope, BASE, ok2.id as string, patchBody({ op: 'replace', path: 'userName', value: 'ok1' })))).toMatchObject({ status: 409 });
    expect(await w.users.get(scope, BASE, ok1.id as string)).toMatchObject({ version: 1 });
    expect(await counted(w.db, scope)).toEqual(exactly(5, 0));
    expect(await eventsOf(w.db, scope)).toEqual(events);

    // A write that succeeds: its row and its event, together.
    const user = await w.users.patch(scope, BASE, ok1.id as string, patchBody({ op: 'replace', path: 'displayName', value: 'One' }));
    expect(user.version).toBe(2);
    expect((await eventsOf(w.db, scope)).slice(events.length)).toEqual([{ type: 'user.updated', resourceId: ok1.id, data: expect.objectContaining({ changedAttributes: ['displayName'] }) }]);
  });

  // PostgreSQL only: its fast paths write a change as one statement, not a transaction, and its
  // rows tell which transaction wrote them last (xmin); SQLite has one writer and no such id.
  it.runIf(dialect === 'postgres')('postgres: every way of writing puts a change’s events in the transaction that changed its row', async () => {
    const w = world();
    const scope = await w.connection();
    /** The transaction ids (32 bits, as xmin holds them) of the row and of the events about it written since `after`. */
    const writers = async (table: 'scim_users' | 'scim_groups', id: string, after: number) => {
      const row = await sql<{ x: string }>`select xmin::text as x from ${sql.table(table)} where id = ${id}`.execute(w.db.kysely);
      const events = await w.db.kysely.selectFrom('events').select(['tx_order', 'seq']).where('connection_id', '=', scope.connectionId).where('seq', '>', after).execute();
      return { row: Number(row.rows[0].x), events: [...new Set(events.map((e) => Number(BigInt(e.tx_order) % 2n ** 32n)))] };
    };
    const lastSeq = async () => Number((await w.db.kysely.selectFrom('events').select((eb) => eb.fn.max('seq').as('n')).executeTakeFirst())?.n ?? 0);
    const expectOneWriter = async (table: 'scim_users' | 'scim_groups', id: string, change: () => Promise<unknown>) => {
      const after = await lastSeq();
      await change();
      const found = await writers(table, id, after);
      expect(found.events).toEqual([found.row]);
    };
    // A create (a coalesced statement), at once with others.
    const created = await Promise.all(['x1', 'x2', 'x3'].map((userName) => w.users.create(scope, BASE, { schemas: [USER], userName })));
    const [u1, u2] = created.map(idOf);
    const events = await w.db.kysely.selectFrom('events').select(['resource_id', 'tx_order']).where('connection_id', '=', scope.connectionId).execute();
    for (const id of created.map(idOf)) {
      const row = await sql<{ x: string }>`select xmin::text as x from scim_users where id = ${id}`.execute(w.db.kysely);
      expect(events.filter((e) => e.resource_id === id).map((e) => Number(BigInt(e.tx_order) % 2n ** 32n))).toEqual([Number(row.rows[0].x)]);
    }
    // A user PATCH (a transaction), a group create, a members-only PATCH (one statement), a PATCH of attributes and members (a guarded statement).
    await expectOneWriter('scim_users', u1, () => w.users.patch(scope, BASE, u1, patchBody({ op: 'replace', path: 'displayName', value: 'X' })));
    const before = await lastSeq();
    const groupId = idOf(await w.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Xs' }));
    const made = await writers('scim_groups', groupId, before);
    expect(made.events).toEqual([made.row]);
    await expectOneWriter('scim_groups', groupId, () => w.groups.patch(scope, BASE, groupId, patchBody({ op: 'add', path: 'members', value: [{ value: u1 }] })));
    await expectOneWriter('scim_groups', groupId, () => w.groups.patch(scope, BASE, groupId, patchBody({ op: 'replace', path: 'displayName', value: 'Ys' }, { op: 'add', path: 'members', value: [{ value: u2 }] })));
  });

  it('records no events for a connection that emits none, and still writes its changes', async () => {
    const w = world();
    const scope = { ...(await w.connection()), emitEvents: false };
    // A staging connection: its writes read the flag again in their transaction (UnitOfWork.liveNow).
    await w.db.kysely.updateTable('connections').set({ sync_to_user_management: 0 }).where('id', '=', scope.connectionId).execute();
    const id = idOf(await w.users.create(scope, BASE, { schemas: [USER], userName: 'quiet' }));
    const groupId = idOf(await w.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Quiet', members: [{ value: id }] }));
    await w.groups.patch(scope, BASE, groupId, patchBody({ op: 'remove', path: 'members' }));
    await w.users.delete(scope, id);
    expect(await eventsOf(w.db, scope)).toEqual([]);
    expect(await counted(w.db, scope)).toEqual(exactly(0, 1));
  });
}

function isolationContract(world: () => World): void {
  it('another connection of the tenant, and a connection of another tenant, see nothing of a connection: rows, members, counts, events', async () => {
    const w = world();
    const mine = await w.connection();
    const neighbour = await w.connection();
    const stranger = await w.connection('t2');
    /** The same names in every connection: uniqueness is per connection. */
    const seed = async (scope: ConnectionScope) => {
      const ids = await createUsers(w, scope, [{ userName: 'same@x.test', externalId: 'same', emails: [{ value: 'same@x.test' }] }, { userName: 'second@x.test' }]);
      const group = idOf(await w.groups.create(scope, BASE, { schemas: [GROUP], displayName: 'Same', members: [{ value: ids.get('same@x.test') }] }));
      return { user: ids.get('same@x.test')!, second: ids.get('second@x.test')!, group };
    };
    const a = await seed(mine);
    const others = [await seed(neighbour), await seed(stranger)];
    const otherScopes = [neighbour, stranger];
    const snapshot = async () => Promise.all(otherScopes.map(async (scope) => ({ counts: await counted(w.db, scope), events: await eventsOf(w.db, scope) })));
    const untouched = await snapshot();

    const reads = w.storage.writes.reads();
    const mineIds = [a.user, a.second];
    for (const filter of [undefined, 'userName eq "same@x.test"', 'externalId eq "same"', 'emails co "x.test"', 'userName pr']) {
      const listed = await w.users.list(mine, BASE, list(filter), ALL);
      expect(listed.resources.every((r) => mineIds.includes(r.id as string)), String(filter)).toBe(true);
      expect(await reads.users.count(mine, filter ? { filter: parseFilter(filter) } : {})).toBe(listed.total);
    }
    expect((await w.users.list(mine, BASE, list(), ALL)).total).toBe(2);
    expect((await w.groups.list(mine, BASE, list('displayName eq "Same"'), ALL)).resources.map((r) => r.id)).toEqual([a.group]);
    expect(await counted(w.db, mine)).toEqual(exactly(2, 1));

    for (const other of others) {
      expect(await scimError(w.users.get(mine, BASE, other.user))).toMatchObject({ status: 404 });
      expect(await scimError(w.groups.get(mine, BASE, other.group))).toMatchObject({ status: 404 });
      expect(await reads.users.get(mine, other.user)).toBeUndefined();
      expect(await reads.groups.members(mine, other.group)).toEqual([]);
      expect((await reads.groups.membersOf(mine, [other.group])).get(other.group)).toEqual([]);
      expect((await reads.users.groupsOf(mine, [other.user])).size).toBe(0);
      expect((await reads.groups.findMembers(mine, [other.user, other.group])).size).toBe(0);
      // Writes from this connection cannot reach them either.
      expect(await scimError(w.users.patch(mine, BASE, other.user, patchBody({ op: 'replace', path: 'active', value: false })))).toMatchObject({ status: 404 });
      expect(await scimError(w.users.replace(mine, BASE, other.user, { schemas: [USER], userName: 'taken@x.test' }))).toMatchObject({ status: 404 });
      expect(await scimError(w.users.delete(mine, other.user))).toMatchObject({ status: 404 });
      expect(await scimError(w.groups.patch(mine, BASE, other.group, patchBody({ op: 'add', path: 'members', value: [{ value: a.second }] })))).toMatchObject({ status: 404 });
      expect(await scimError(w.groups.patch(mine, BASE, other.group, patchBody({ op: 'remove', path: 'members' })))).toMatchObject({ status: 404 });
      expect(await scimError(w.groups.patch(mine, BASE, other.group, patchBody({ op: 'replace', path: 'displayName', value: 'Mine now' })))).toMatchObject({ status: 404 });
      expect(await scimError(w.groups.delete(mine, other.group))).toMatchObject({ status: 404 });
      expect(await scimError(w.groups.patch(mine, BASE, a.group, patchBody({ op: 'add', path: 'members', value: [{ value: other.second }] })))).toMatchObject({ status: 400 });
    }
    // Deleting, renaming and emptying here leaves the others as they were.
    await w.users.delete(mine, a.user);
    await w.groups.patch(mine, BASE, a.group, patchBody({ op: 'replace', path: 'displayName', value: 'Renamed' }));
    expect(await snapshot()).toEqual(untouched);
    for (const other of others) expect((await w.groups.get(otherScopes[others.indexOf(other)], BASE, other.group)).resource.members).toEqual([expect.objectContaining({ value: other.user })]);

    // Events: each connection's carry its own ids only, and the other tenant's feed has none of tenant t's.
    const ownIds = new Set([a.user, a.second, a.group]);
    for (const e of await eventsOf(w.db, mine)) expect(ownIds.has(e.resourceId!), e.type).toBe(true);
    // The feed shows a transaction's events once no older one runs (on PostgreSQL, in any database of the server): wait for that first.
    await settledFeed(w.db);
    const feed = await new EventStore(w.db.kysely, w.db.dialect).list({ after: FEED_START, limit: 10_000, tenantId: 't2' });
    const ofT2 = new Set((await w.db.kysely.selectFrom('connections').select('id').where('tenant_id', '=', 't2').execute()).map((c) => c.id));
    expect(feed.map((e) => e.connection_id).filter((id) => !ofT2.has(id!))).toEqual([]);
    expect(feed.filter((e) => e.connection_id === stranger.connectionId)).toHaveLength((await eventsOf(w.db, stranger)).length);
    expect(feed.some((e) => e.resource_id === a.user || e.resource_id === a.group)).toBe(false);
  });
}

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM storage contract [${dialect}]`, () => {
    const world = useWorld(dialect);
    createAndGetContract(world);
    filterContract(world);
    deepPageContract(world);
    memberContract(world);
    countContract(world);
    deleteContract(world);
    transactionContract(world, dialect);
    isolationContract(world);
  });
}
