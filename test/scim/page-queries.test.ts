/**
 * PostgreSQL: a page of an unfiltered list carries the list's kept count on its rows, and a deep page
 * looks its order block up in the same statement (src/scim/store/page-seek.ts): one statement per
 * page of a full sync, its totalResults from the same snapshot as its rows; a page with no rows
 * counts apart. A filtered list's count stays a query of its own. Its rows, with their groups, come as
 * one JSON text, and read as the two queries of SQLite's way would.
 */
import { postgresDialect } from '../../src/db/postgres/dialect.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/open.js';
import { parseAttributeList, parseFilter } from '../../src/scim/filter/index.js';
import { postgresScimStorage, type PostgresScimStorage } from '../../src/db/postgres/scim-storage.js';
import type { ListQuery } from '../../src/scim/store/list-query.js';
import { GroupStore } from '../../src/scim/store/group-store.js';
import { UserStore, type ListedUser } from '../../src/scim/store/user-store.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';
import { QueryCounter } from '../support/query-counter.js';

const USERS = 30;

describe.runIf(dialectsUnderTest().includes('postgres'))('queries per page (postgres)', () => {
  let store: Awaited<ReturnType<typeof storeTestDatabase>>;
  let db: Db;
  let tx: PostgresScimStorage;
  const scope = { tenantId: 't', connectionId: 'c' };
  const counter = new QueryCounter();

  beforeAll(async () => {
    store = await storeTestDatabase('postgres');
    db = store.db;
    const users = new UserStore(db.kysely, postgresDialect);
    for (let i = 0; i < USERS; i++) {
      await users.insert(scope, `u${String(i).padStart(2, '0')}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `u${i}@pages.test` }, `2026-11-29T00:00:${String(i).padStart(2, '0')}.000Z`);
    }
    // Blocks of 10 rows, so pages from the 11th row on are deep ones.
    tx = postgresScimStorage({ ...db, kysely: db.kysely.withPlugin(counter), genericPlans: db.genericPlans.withPlugin(counter) }, { orderBlockRows: 10, blockReadIntervalMs: 0 });
  });

  afterAll(async () => {
    tx?.statistics?.stop();
    await store?.close();
  });

  /** A page, the queries it took (besides reads of the kept blocks, in the background), and how its statement found its block. */
  const page = async (query: Partial<ListQuery>, withGroups = false) => {
    const index = tx.blockIndex;
    const before = { ...index.stats };
    counter.count = 0;
    const list: ListQuery = { offset: 0, limit: 10, sortOrder: 'ascending', ...query };
    const result = await tx.paging.page<ListedUser>(({ users }) => (withGroups ? { list: users.listWithGroups.bind(users), count: users.count.bind(users) } : users), scope, 'User', list);
    await index.idle();
    const blocks = { kept: index.stats.kept - before.kept, looked: index.stats.looked - before.looked, read: index.stats.read - before.read };
    return { ids: result.rows.map((r) => r.id), total: result.total, queries: counter.count - blocks.read, blocks, keys: Object.keys(result.rows[0] ?? {}) };
  };

  it('reads a page of an unfiltered list and its total in one query', async () => {
    const first = await page({});
    expect(first).toMatchObject({ total: USERS, queries: 1 });
    expect(first.ids).toEqual(Array.from({ length: 10 }, (_, i) => `u${String(i).padStart(2, '0')}`));
    // The count is not a column of the rows handed on.
    expect(first.keys).not.toContain('total');
    expect(await page({ offset: 5 }, true)).toMatchObject({ ids: ['u05', 'u06', 'u07', 'u08', 'u09', 'u10', 'u11', 'u12', 'u13', 'u14'], total: USERS, queries: 1 });
  });

  it('finds a deep page from its order block in the same query, and hands a block grown too large to maintenance', async () => {
    const noted: unknown[] = [];
    const note = tx.blocks.note.bind(tx.blocks);
    tx.blocks.note = (target) => {
      noted.push(target);
      note(target);
    };
    try {
      const expected = ['u13', 'u14', 'u15', 'u16', 'u17'];
      // One block of all 30 rows, as the inserts left it: found at 30 rows, more than twice 10.
      const located = tx.paging.pages.stats.located;
      // The first looks it up in its statement, and the list's blocks are read to be kept; the next is given the kept block.
      expect(await page({ offset: 13, limit: 5 })).toMatchObject({ ids: expected, total: USERS, queries: 1, blocks: { kept: 0, looked: 1, read: 1 } });
      expect(await page({ offset: 14, limit: 4 })).toMatchObject({ ids: expected.slice(1), total: USERS, queries: 1, blocks: { kept: 1, looked: 0, read: 0 } });
      expect(tx.paging.pages.stats.located).toBe(located + 2);
      // Both found it too large, from the statement and from the kept blocks.
      expect(noted).toEqual([{ tenantId: 't', connectionId: 'c', resourceType: 'User' }, { tenantId: 't', connectionId: 'c', resourceType: 'User' }]);
      // Maintenance cuts the block: the version moves, the kept block is not used, and the blocks are read again.
      await tx.blocks.settle({ ...scope, resourceType: 'User' });
      noted.length = 0;
      expect(await page({ offset: 13, limit: 5 }, true)).toMatchObject({ ids: expected, total: USERS, queries: 1, blocks: { kept: 0, looked: 1, read: 1 } });
      expect(await page({ offset: 27, limit: 5 })).toMatchObject({ ids: ['u27', 'u28', 'u29'], total: USERS, queries: 1, blocks: { kept: 1, looked: 0, read: 0 } });
      expect(noted).toEqual([]);
    } finally {
      tx.blocks.note = note;
    }
  });

  it('counts apart when the page has no rows', async () => {
    expect(await page({ offset: 40 })).toMatchObject({ ids: [], total: USERS, queries: 2 });
  });

  it('reads each user with its groups and its resource as stored, in the order of the list, as list and groupsOf do', async () => {
    const other = { tenantId: 't', connectionId: 'c-json' };
    const users = new UserStore(db.kysely, postgresDialect);
    const groups = new GroupStore(db.kysely, postgresDialect);
    // Text JSON must carry exactly: quotes, backslashes, line and paragraph separators, astral characters, escaped controls.
    const awkward = 'Zoë "Q" \\ O\'Brien \u2028\u2029 \u{1F600} \u0001\t end';
    for (let i = 0; i < 8; i++) {
      const resource = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `J${7 - i}@json.test`, displayName: i === 2 ? awkward : `User ${i}`, active: i % 2 === 0, name: { givenName: 'G', familyName: i === 5 ? null : `F${i % 3}` } };
      // Ids in the reverse of creation order, so an order by id would show.
      await users.insert(other, `j${7 - i}`, resource, `2026-11-29T00:01:0${i}.000Z`);
    }
    for (const [id, name, members] of [['gz', 'Zeta', ['j6', 'j5']], ['ga', 'alpha', ['j5']], ['ge', 'Émile "é"', ['j5', 'j1']]] as const) {
      await groups.insert(other, id, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: name }, '2026-11-29T00:02:00.000Z');
      await groups.addMembers(other, id, members.map((value) => ({ value, type: 'User' as const })), '2026-11-29T00:02:00.000Z');
    }
    const sortBy = (path: string) => parseAttributeList(path)[0];
    const queries: ListQuery[] = [
      { offset: 0, limit: 100, sortOrder: 'ascending' },
      { offset: 2, limit: 3, sortOrder: 'ascending' },
      { offset: 1, limit: 4, sortOrder: 'descending' },
      { offset: 0, limit: 100, sortOrder: 'descending', sortBy: sortBy('userName') },
      { offset: 3, limit: 4, sortOrder: 'ascending', sortBy: sortBy('name.familyName') },
      { offset: 0, limit: 100, sortOrder: 'ascending', filter: parseFilter('displayName co "O\'Brien"') },
      { offset: 20, limit: 5, sortOrder: 'ascending' },
    ];
    const parsed = (row: ListedUser) => ({ ...row, resource: typeof row.resource === 'string' ? JSON.parse(row.resource) : row.resource });
    for (const query of queries) {
      const listed = (await users.list(other, query)).map(parsed);
      const memberships = await users.groupsOf(other, listed.map((row) => row.id));
      const expected = listed.map((row) => ({ ...row, groups: memberships.get(row.id) ?? [] }));
      const read = await users.listWithGroups(other, query);
      expect(read.map(parsed), JSON.stringify(query)).toEqual(expected);
      expect(read.every((row) => typeof row.resource === 'object')).toBe(true);
    }
    const j5 = (await users.listWithGroups(other, { offset: 2, limit: 1, sortOrder: 'ascending' }))[0];
    expect(j5).toMatchObject({ id: 'j5', resource: { displayName: awkward } });
    // In the database's collation order, as groupsOf (compared above).
    expect(j5.groups).toHaveLength(3);
    expect(j5.groups).toEqual(expect.arrayContaining([{ value: 'ga', display: 'alpha' }, { value: 'gz', display: 'Zeta' }, { value: 'ge', display: 'Émile "é"' }]));
  });

  it("keeps a filtered list's count a query of its own", async () => {
    const filtered = await page({ offset: 1, filter: parseFilter('userName sw "u1"') });
    expect(filtered.total).toBe(11);
    expect(filtered.queries).toBe(2);
  });
});
