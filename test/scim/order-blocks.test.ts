/**
 * Order blocks (migration 0009, src/scim/store/order-blocks.ts, order-maintenance.ts): a deep page of
 * the default order is read from the block holding its first row and is exactly the page OFFSET
 * reads; every block's count stays the number of rows in its range through creates at any point of
 * the order, deletes, maintenance at any moment, concurrent writers, connection deletion and the
 * backfill of rows that existed before the migration.
 */
import { postgresDialect } from '../../src/db/postgres/dialect.js';
import { sql, Migrator } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { normalizeResource } from '../../src/scim/resources/normalize.js';
import type { ResourceTypeName } from '../../src/scim/schema/index.js';
import type { ScimStorage } from '../../src/scim/service/scim-storage.js';
import { GroupService } from '../../src/scim/service/group-service.js';
import { UserService } from '../../src/scim/service/user-service.js';
import { nextStep, OrderBlockMaintenance } from '../../src/scim/store/order-maintenance.js';
import { PostgresBlockIndex } from '../../src/db/postgres/block-index.js';
import type { ConnectionScope } from '../../src/scim/store/scope.js';
import { UserStore } from '../../src/scim/store/user-store.js';
import { newId } from '../../src/security/ids.js';
import { createTestDatabase, dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { prng } from '../support/prng.js';
import { useTestApp } from '../support/test-app.js';

const BLOCK = 5;
const BASE = 'https://rollcall.test/scim';

interface BlockCount {
  start: [string, string];
  kept: number;
  actual: number;
  shards: number;
}

/** Each block's kept count beside the number of rows really in its range. */
async function blockCounts(db: Db, scope: ConnectionScope, type: ResourceTypeName = 'User'): Promise<BlockCount[]> {
  const table = type === 'User' ? 'scim_users' : 'scim_groups';
  const blocks = await db.kysely
    .selectFrom('scim_order_blocks')
    .select((eb) => ['start_at', 'start_id', eb.fn.sum<number>('n').as('n'), eb.fn.countAll<number>().as('shards')])
    .where('tenant_id', '=', scope.tenantId)
    .where('connection_id', '=', scope.connectionId)
    .where('resource_type', '=', type)
    .groupBy(['start_at', 'start_id'])
    .orderBy('start_at')
    .orderBy('start_id')
    .execute();
  const out: BlockCount[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    const next = blocks[i + 1];
    const row = await sql<{ n: number }>`
      select count(*) as n from ${sql.table(table)} r where r.tenant_id = ${scope.tenantId} and r.connection_id = ${scope.connectionId}
        and (r.created_at, r.id) >= (${b.start_at}, ${b.start_id})
        ${next ? sql`and (r.created_at, r.id) < (${next.start_at}, ${next.start_id})` : sql``}`.execute(db.kysely);
    out.push({ start: [b.start_at, b.start_id], kept: Number(b.n), actual: Number(row.rows[0].n), shards: Number(b.shards) });
  }
  return out;
}

async function expectExactCounts(db: Db, scope: ConnectionScope, total: number, type: ResourceTypeName = 'User') {
  const blocks = await blockCounts(db, scope, type);
  expect(blocks.map((b) => b.kept)).toEqual(blocks.map((b) => b.actual));
  expect(blocks.reduce((sum, b) => sum + b.actual, 0)).toBe(total);
  // The first block's bound is below every key: no row falls outside the blocks.
  if (blocks.length > 0) expect(blocks[0].start).toEqual(['', '']);
  return blocks;
}

/** A user created at a chosen time, straight through the store (any point of the order, not only its end). */
async function insertAt(db: Db, scope: ConnectionScope, userName: string, createdAt: string): Promise<string> {
  const id = newId();
  const { resource } = normalizeResource('User', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName });
  await db.kysely.transaction().execute((trx) => new UserStore(trx, db.dialect).insert(scope, id, resource, createdAt));
  return id;
}

describe('order block maintenance steps', () => {
  const b = (n: number, start = 'k', shards = 1) => ({ startAt: start, startId: start, n, shards });
  it('splits a block of twice the size, drops empties, merges small neighbours, folds shards', () => {
    expect(nextStep([b(4, ''), b(10, 'a')], 5)?.kind).toBe('split');
    expect(nextStep([b(9, ''), b(3, 'a')], 5)).toBeUndefined();
    expect(nextStep([b(6, ''), b(0, 'a'), b(6, 'c')], 5)?.kind).toBe('drop');
    expect(nextStep([b(2, ''), b(3, 'a'), b(9, 'c')], 5)?.kind).toBe('merge');
    expect(nextStep([b(5, '', 4), b(6, 'a', 3)], 5)?.kind).toBe('fold');
    // The last block takes every new row: its shards stay.
    expect(nextStep([b(5, ''), b(6, 'a', 3)], 5)).toBeUndefined();
    // The first block goes only when nothing is left.
    expect(nextStep([b(0, ''), b(6, 'a')], 5)).toBeUndefined();
    expect(nextStep([b(0, '')], 5)?.kind).toBe('drop');
  });
});

describe.each(dialectsUnderTest())('order blocks (%s)', (dialect) => {
  const t = useTestApp(dialect);
  let tx: ScimStorage;
  let users: UserService;
  let scope: ConnectionScope;

  /** A page; on PostgreSQL, once the blocks it asked for are read, so the next page is given them. */
  const page = async (offset: number, limit: number, of = scope) => {
    const ids = (await users.list(of, BASE, { offset, limit, sortOrder: 'ascending' }, { exclude: [] })).resources.map((r) => r.id as string);
    if (tx.blockIndex instanceof PostgresBlockIndex) await tx.blockIndex.idle();
    return ids;
  };
  /** The page read by OFFSET alone, for comparison. */
  const byOffset = async (offset: number, limit: number) => (await tx.writes.reads().users.list(scope, { offset, limit, sortOrder: 'ascending' })).map((r) => r.id);
  const settle = () => tx.blocks.settle({ ...scope, resourceType: 'User' });

  beforeAll(async () => {
    // Blocks kept on PostgreSQL are read again as soon as a page finds them out of date.
    tx = t.db.dialect.scim.storage(t.db, { orderBlockRows: BLOCK, blockReadIntervalMs: 0 });
    users = new UserService(tx);
    const tenantId = await createTenant(t);
    scope = { tenantId, connectionId: (await createConnection(t, tenantId)).id };
  });

  it('reads every deep page from its block, the page OFFSET reads, through random creates, deletes and maintenance', async () => {
    const random = prng(7);
    const live: string[] = [];
    const day = Date.parse('2026-01-01T00:00:00.000Z');
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < 30; i++) {
        if (live.length > 10 && random.chance(0.3)) {
          const [id] = live.splice(random.int(live.length), 1);
          await users.delete(scope, id);
        } else if (random.chance(0.5)) {
          // Now: at the end of the order.
          live.push((await users.create(scope, BASE, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `r${round}-${i}@blocks.test` })).resource.id as string);
        } else {
          // Anywhere in the order, including inside blocks already cut (and duplicate timestamps: the id breaks the tie).
          const at = new Date(day + random.int(40) * 1000).toISOString();
          live.push(await insertAt(t.db, scope, `s${round}-${i}@blocks.test`, at));
        }
      }
      // Maintenance may be anywhere from not run to finished when pages are read.
      for (let s = random.int(round % 2 === 0 ? 3 : 1000); s > 0; s--) if (!(await tx.blocks.step({ ...scope, resourceType: 'User' }))) break;
      await expectExactCounts(t.db, scope, live.length);
      const before = { ...tx.paging.pages.stats };
      for (let offset = 0; offset < live.length + 2; offset++) {
        const limit = 1 + random.int(7);
        expect(await page(offset, limit), `round ${round}, offset ${offset}, limit ${limit}`).toEqual(await byOffset(offset, limit));
      }
      expect(tx.paging.pages.stats.located - before.located).toBeGreaterThan(0);
    }
    // PostgreSQL: each round's first deep page found the kept blocks out of date (the round wrote) and looked its block up; the others were given theirs.
    if (tx.blockIndex instanceof PostgresBlockIndex) {
      expect(tx.blockIndex.stats.looked).toBe(8);
      expect(tx.blockIndex.stats.kept).toBeGreaterThan(100);
    }
    await settle();
    const blocks = await expectExactCounts(t.db, scope, live.length);
    expect(blocks.length).toBeGreaterThan(5);
    for (let i = 0; i < blocks.length; i++) {
      expect(blocks[i].actual).toBeLessThan(2 * BLOCK);
      if (i + 1 < blocks.length) {
        expect(blocks[i].actual + blocks[i + 1].actual).toBeGreaterThan(BLOCK);
        expect(blocks[i].shards).toBe(1);
      }
    }
  });

  it.runIf(dialect === 'sqlite')('keeps a list’s blocks while the list is unchanged, whatever else is written, and reads them again after a commit by another connection', async () => {
    const tenantId = await createTenant(t);
    const other = { tenantId, connectionId: (await createConnection(t, tenantId)).id };
    const day = Date.parse('2026-02-01T00:00:00.000Z');
    const ids: string[] = [];
    for (let i = 0; i < 4 * BLOCK; i++) ids.push(await insertAt(t.db, other, `k${i}@blocks.test`, new Date(day + i * 1000).toISOString()));
    await tx.blocks.settle({ ...other, resourceType: 'User' });
    const pageOf = async (offset: number) => (await users.list(other, BASE, { offset, limit: 3, sortOrder: 'ascending' }, { exclude: [] })).resources.map((r) => r.id as string);
    const offsetOf = async (offset: number) => (await tx.writes.reads().users.list(other, { offset, limit: 3, sortOrder: 'ascending' })).map((r) => r.id);
    const index = tx.blockIndex;
    const expectPages = async () => {
      // From the end backwards: no page starts where an earlier one ended (page-seek.ts), each looks its block up.
      for (let offset = 4 * BLOCK; offset >= BLOCK; offset--) expect(await pageOf(offset), `offset ${offset}`).toEqual(await offsetOf(offset));
    };

    const before = { ...index.stats };
    await expectPages();
    // Offsets BLOCK … 4 × BLOCK − 1 look their block up (4 × BLOCK is past the end): the first reads the blocks.
    expect(index.stats.read - before.read).toBe(1);
    expect(index.stats.kept - before.kept).toBe(3 * BLOCK - 1);

    // Writes through this process to another list, and to other tables, leave the list's blocks as they are.
    await users.create(scope, BASE, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'elsewhere@blocks.test' });
    await t.db.kysely.updateTable('connections').set({ last_sync_at: '2026-02-02T00:00:00.000Z' }).where('id', '=', other.connectionId).execute();
    tx.paging.pages.changed(other.connectionId);
    const elsewhere = { ...index.stats };
    await expectPages();
    expect(index.stats.read - elsewhere.read).toBe(0);
    expect(index.stats.kept - elsewhere.kept).toBe(3 * BLOCK);

    // Another process inserts a user before every other in the order, then deletes one from the middle. Pages
    // remembered where they ended follow on from there whatever another process wrote (page-seek.ts);
    // forgetting them leaves every page to the blocks, which must see each of the other connection's commits.
    const second = openDatabase(t.database.url);
    try {
      for (const write of [
        () => insertAt(second, other, 'early@blocks.test', '2026-01-31T00:00:00.000Z'),
        () => second.kysely.deleteFrom('scim_users').where('id', '=', ids[2 * BLOCK]).execute(),
      ]) {
        await write();
        tx.paging.pages.changed(other.connectionId);
        const after = { ...index.stats };
        await expectPages();
        expect(index.stats.read - after.read).toBe(1);
      }
    } finally {
      await second.close();
    }
  });

  it.runIf(dialect === 'postgres')('gives a page the kept block only while its list is at the version the blocks were read at', async () => {
    const tenantId = await createTenant(t);
    const other = { tenantId, connectionId: (await createConnection(t, tenantId)).id };
    const target = { ...other, resourceType: 'User' as const };
    const day = Date.parse('2026-03-01T00:00:00.000Z');
    const ids: string[] = [];
    for (let i = 0; i < 4 * BLOCK; i++) ids.push(await insertAt(t.db, other, `v${i}@blocks.test`, new Date(day + i * 1000).toISOString()));
    await tx.blocks.settle(target);
    const index = tx.blockIndex as PostgresBlockIndex;
    const offsetOf = async (offset: number) => (await tx.writes.reads().users.list(other, { offset, limit: 3, sortOrder: 'ascending' })).map((r) => r.id);
    let rows = 4 * BLOCK;
    /**
     * Every deep page, as OFFSET reads it, and how their statements found their blocks. Pages
     * remembered where they ended follow on from there (page-seek.ts): forgetting them, and reading
     * from the end backwards, leaves every page to the blocks.
     */
    const pages = async () => {
      tx.paging.pages.changed(other.connectionId);
      const before = { ...index.stats };
      for (let offset = rows - 1; offset >= BLOCK; offset--) expect(await page(offset, 3, other), `offset ${offset}`).toEqual(await offsetOf(offset));
      return { kept: index.stats.kept - before.kept, looked: index.stats.looked - before.looked, read: index.stats.read - before.read };
    };
    const deep = () => rows - BLOCK;

    // The first page looks its block up and has the list's blocks read; every later one is given its block.
    expect(await pages()).toEqual({ kept: deep() - 1, looked: 1, read: 1 });
    expect(await pages()).toEqual({ kept: deep(), looked: 0, read: 0 });

    const second = openDatabase(t.database.url);
    try {
      // Another process's transaction, open and then rolled back, changes nothing a page sees.
      const rollback = new Error('rollback');
      const open = second.kysely.transaction().execute(async (trx) => {
        await new UserStore(trx, postgresDialect).insert(other, newId(), normalizeResource('User', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'open@blocks.test' }).resource, '2026-02-01T00:00:00.000Z');
        expect(await pages()).toEqual({ kept: deep(), looked: 0, read: 0 });
        throw rollback;
      });
      await expect(open).rejects.toBe(rollback);
      expect(await pages()).toEqual({ kept: deep(), looked: 0, read: 0 });

      // Committed: a user before every other, one deleted from the middle.
      await insertAt(second, other, 'early@blocks.test', '2026-02-01T00:00:00.000Z');
      await second.kysely.deleteFrom('scim_users').where('id', '=', ids[2 * BLOCK]).execute();
      expect(await pages()).toEqual({ kept: deep() - 1, looked: 1, read: 1 });

      // Rows at the end pile into the last block, too large, …
      for (let i = 0; i < 3 * BLOCK; i++) await insertAt(second, other, `late${i}@blocks.test`, new Date(day + 3600_000 + i * 1000).toISOString());
      rows += 3 * BLOCK;
      const noted: unknown[] = [];
      const note = tx.blocks.note.bind(tx.blocks);
      tx.blocks.note = (found) => void noted.push(found);
      try {
        expect(await pages()).toEqual({ kept: deep() - 1, looked: 1, read: 1 });
        expect(noted.length).toBeGreaterThan(0);
        // … until another process's upkeep cuts it: no row moved, but the blocks are read again, and none is found too large.
        await new OrderBlockMaintenance(second, BLOCK).settle(target);
        noted.length = 0;
        expect(await pages()).toEqual({ kept: deep() - 1, looked: 1, read: 1 });
        expect(noted).toEqual([]);
      } finally {
        tx.blocks.note = note;
      }
    } finally {
      await second.close();
    }
  });

  it('keeps counts exact with writers and maintenance running at the same time', async () => {
    const tenantId = await createTenant(t);
    const busy = { tenantId, connectionId: (await createConnection(t, tenantId)).id };
    const target = { ...busy, resourceType: 'User' as const };
    let writing = true;
    const writers = Array.from({ length: 6 }, async (_, w) => {
      for (let i = 0; i < 40; i++) {
        const created = await users.create(busy, BASE, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `w${w}-${i}@busy.test` });
        if (i % 4 === 3) await users.delete(busy, created.resource.id as string);
      }
    });
    const maintainer = (async () => {
      while (writing) if (!(await tx.blocks.step(target))) await new Promise((r) => setTimeout(r, 1));
    })();
    await Promise.all(writers);
    writing = false;
    await maintainer;
    await expectExactCounts(t.db, busy, 6 * 30);
    await tx.blocks.settle(target);
    await expectExactCounts(t.db, busy, 6 * 30);
  });

  it('notes written connections for the job, and a deleted connection leaves no blocks behind', async () => {
    const tenantId = await createTenant(t);
    const conn = await createConnection(t, tenantId);
    const gone = { tenantId, connectionId: conn.id };
    for (let i = 0; i < 3 * BLOCK; i++) await users.create(gone, BASE, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `g${i}@gone.test` });
    expect(await tx.blocks.pass()).toBe(false);
    expect((await expectExactCounts(t.db, gone, 3 * BLOCK)).length).toBeGreaterThan(1);
    const res = await t.app.inject({ method: 'DELETE', url: `/directory/resources/v1/configurations/scim2/${conn.id}?removeUsersAndGroups=true`, headers: { authorization: t.auth, 'frontegg-tenant-id': tenantId } });
    expect(res.statusCode).toBeLessThan(300);
    await tx.blocks.sweep();
    await tx.blocks.pass();
    const left = await t.db.kysely.selectFrom('scim_order_blocks').select('n').where('connection_id', '=', conn.id).execute();
    expect(left).toEqual([]);
  });

  it('keeps blocks of groups too', async () => {
    const groups = new GroupService(tx);
    for (let i = 0; i < 12; i++) await groups.create(scope, BASE, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `blocks ${i}` });
    await tx.blocks.settle({ ...scope, resourceType: 'Group' });
    expect((await expectExactCounts(t.db, scope, 12, 'Group')).length).toBeGreaterThan(1);
    const listed = await groups.list(scope, BASE, { offset: 7, limit: 3, sortOrder: 'ascending' }, { exclude: [] });
    expect(listed.resources.map((r) => r.id)).toEqual((await tx.writes.reads().groups.list(scope, { offset: 7, limit: 3, sortOrder: 'ascending' })).map((r) => r.id));
  });
});

describe.each(dialectsUnderTest())('order blocks backfill (%s)', (dialect) => {
  it('gives rows that existed before the migration one block, which maintenance then cuts', async () => {
    const database = await createTestDatabase(dialect);
    const db = openDatabase(database.url, { poolSize: 2 });
    try {
      const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
      const result = await migrator.migrateTo('0008-scim-counts');
      expect(result.error).toBeUndefined();
      const now = new Date().toISOString();
      await db.kysely.insertInto('tenants').values({ id: 'old', name: 'Old', created_at: now, updated_at: now }).execute();
      const scope = { tenantId: 'old', connectionId: 'c-old' };
      // Rows as that schema's code wrote them: today's stores count into tables it does not have yet.
      for (let i = 0; i < 23; i++) {
        const at = new Date(Date.parse(now) + i).toISOString();
        await db.kysely
          .insertInto('scim_users')
          .values({ id: newId(), tenant_id: 'old', connection_id: 'c-old', user_name: `old${i}`, user_name_norm: `old${i}`, active: 1, detached: 0, resource: '{}', version: 1, created_at: at, updated_at: at })
          .execute();
      }
      await migrateToLatest(db);
      expect((await expectExactCounts(db, scope, 23)).length).toBe(1);
      // A new process's first pass looks at every connection: nothing has to write or read first.
      const tx = db.dialect.scim.storage(db, { orderBlockRows: BLOCK });
      while (await tx.blocks.pass());
      expect((await expectExactCounts(db, scope, 23)).length).toBe(4);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
