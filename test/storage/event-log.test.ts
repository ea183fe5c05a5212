/**
 * The event log's storage contract (src/events/store.ts over src/db/event-log.ts), the same cases on
 * every database: what a transaction appends is read once it commits and never if it rolls back, in
 * (tx_order, seq) order, oldest or newest first, paged and filtered by tenant and type; retention deletes
 * in batches.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DialectName, Db } from '../../src/db/open.js';
import { FEED_END, FEED_START, type FeedOrder, type FeedPosition } from '../../src/events/cursor.js';
import { EventStore, type EventRow } from '../../src/events/store.js';
import type { EventType, NewEvent } from '../../src/events/types.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';
import { settledFeed } from './settled-feed.js';

const NOW = '2026-11-29T00:00:00.000Z';
const T = { tenantId: 't', connectionId: 'c' };
const U = { tenantId: 'u', connectionId: null };

/** An event whose data names it, so a test reads back which one it is. */
function event(name: string, type: EventType = 'user.created'): NewEvent {
  return { type, resourceId: name, data: { name } };
}

const names = (rows: readonly EventRow[]) => rows.map((row) => (JSON.parse(row.data) as { name: string }).name);
const position = (row: EventRow): FeedPosition => ({ txOrder: row.tx_order, seq: row.seq });

function eventLogContract(dialect: DialectName): void {
  describe(`event log contract [${dialect}]`, () => {
    let opened: Awaited<ReturnType<typeof storeTestDatabase>> | undefined;
    let db: Db;
    let store: EventStore;

    beforeAll(async () => {
      opened = await storeTestDatabase(dialect);
      db = opened.db;
      store = new EventStore(db.kysely, db.dialect);
    });
    afterAll(() => opened?.close());
    beforeEach(async () => {
      await db.kysely.deleteFrom('events').execute();
    });

    /** Appends `events` in a transaction of their own, as a SCIM write does. */
    const append = (events: NewEvent[], scope: { tenantId: string; connectionId: string | null } = T, at = NOW) =>
      db.kysely.transaction().execute((trx) => new EventStore(trx, db.dialect).append(scope, events, at));

    /** Every page of `limit` events from the start (or, newest first, the end) of the feed, each read after the last row of the one before. */
    async function pages(limit: number, query: { tenantId?: string; types?: EventType[]; order?: FeedOrder } = {}): Promise<EventRow[][]> {
      const out: EventRow[][] = [];
      for (let after = query.order === 'desc' ? FEED_END : FEED_START; out.length < 100; ) {
        const page = await store.list({ ...query, after, limit });
        if (page.length === 0) break;
        out.push(page);
        after = position(page[page.length - 1]);
      }
      return out;
    }

    it('reads what a transaction appended once it commits, and nothing of one rolled back', async () => {
      await append([event('a1'), event('a2')]);
      const rolledBack = db.kysely.transaction().execute(async (trx) => {
        await new EventStore(trx, db.dialect).append(T, [event('b')], NOW);
        throw new Error('the change failed');
      });
      await expect(rolledBack).rejects.toThrow('the change failed');
      await append([event('c')]);
      expect(names(await settledFeed(db))).toEqual(['a1', 'a2', 'c']);
    });

    it('reads several transactions in (tx_order, seq) order, each position after the last', async () => {
      await append([event('1a'), event('1b')]);
      await append([event('2a')]);
      await append([event('3a'), event('3b'), event('3c')]);
      const rows = await settledFeed(db);
      expect(names(rows)).toEqual(['1a', '1b', '2a', '3a', '3b', '3c']);
      for (let i = 1; i < rows.length; i++) {
        const [before, after] = [position(rows[i - 1]), position(rows[i])];
        expect(after.txOrder > before.txOrder || (after.txOrder === before.txOrder && after.seq > before.seq)).toBe(true);
      }
    });

    it('orders by transaction before sequence, and pages across transactions without gaps or repeats', async () => {
      // Rows as transactions that committed out of the order of their sequences leave them.
      const rows = [2, 1, 2, 1, 3].map((txOrder, i) => ({ tx_order: txOrder, id: `e${i}`, type: 'user.created', tenant_id: 't', connection_id: 'c', resource_id: `r${i}`, occurred_at: NOW, data: JSON.stringify({ name: `e${i}` }) }));
      for (const row of rows) await db.kysely.insertInto('events').values(row).execute();
      const feed = await settledFeed(db);
      expect(names(feed)).toEqual(['e1', 'e3', 'e0', 'e2', 'e4']);
      expect((await pages(2)).map(names)).toEqual([['e1', 'e3'], ['e0', 'e2'], ['e4']]);
    });

    it('reads newest first with order desc, paging back to the first event without gaps or repeats', async () => {
      // The same out-of-order commits as above: newest first is the exact reverse of the feed.
      const rows = [2, 1, 2, 1, 3].map((txOrder, i) => ({ tx_order: txOrder, id: `e${i}`, type: i === 2 ? 'group.created' : 'user.created', tenant_id: i === 4 ? 'u' : 't', connection_id: 'c', resource_id: `r${i}`, occurred_at: NOW, data: JSON.stringify({ name: `e${i}` }) }));
      for (const row of rows) await db.kysely.insertInto('events').values(row).execute();
      const feed = await settledFeed(db);
      expect(names(await store.list({ after: FEED_END, order: 'desc', limit: 10 }))).toEqual(['e4', 'e2', 'e0', 'e3', 'e1']);
      expect((await pages(2, { order: 'desc' })).map(names)).toEqual([['e4', 'e2'], ['e0', 'e3'], ['e1']]);
      expect((await pages(2, { order: 'desc', tenantId: 't', types: ['user.created'] })).map(names)).toEqual([['e0', 'e3'], ['e1']]);
      // A position read oldest first continues newest first to the events before it, and nothing is before the first.
      expect(names(await store.list({ after: position(feed[2]), order: 'desc', limit: 10 }))).toEqual(['e3', 'e1']);
      expect(await store.list({ after: position(feed[0]), order: 'desc', limit: 10 })).toEqual([]);
    });

    it('pages appended events with `after`, and a page after the last event is empty', async () => {
      for (const batch of [['a', 'b', 'c'], ['d'], ['e', 'f', 'g']]) await append(batch.map((name) => event(name)));
      const feed = await settledFeed(db);
      expect((await pages(3)).map(names)).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
      expect(await store.list({ after: position(feed[feed.length - 1]), limit: 10 })).toEqual([]);
    });

    it('filters by tenant and by types; another tenant reads none of these events', async () => {
      await append([event('t-user'), event('t-group', 'group.created'), event('t-deleted', 'user.deleted')]);
      await append([event('u-user'), event('u-group', 'group.created')], U);
      await settledFeed(db);
      const read = async (query: { tenantId?: string; types?: EventType[] }) => names(await store.list({ ...query, after: FEED_START, limit: 100 }));
      expect(await read({ tenantId: 't' })).toEqual(['t-user', 't-group', 't-deleted']);
      expect(await read({ tenantId: 'u' })).toEqual(['u-user', 'u-group']);
      expect(await read({ tenantId: 'nobody' })).toEqual([]);
      expect(await read({ tenantId: 't', types: ['user.created', 'user.deleted'] })).toEqual(['t-user', 't-deleted']);
      expect(await read({ types: ['group.created'] })).toEqual(['t-group', 'u-group']);
      expect((await pages(1, { tenantId: 'u', types: ['group.created', 'user.created'] })).map(names)).toEqual([['u-user'], ['u-group']]);
      expect(await read({ tenantId: 'u', types: ['user.deleted'] })).toEqual([]);
    });

    it('the head is the position of the last event read, and the start of the feed when there is none', async () => {
      expect(await store.head()).toEqual({ txOrder: 0, seq: 0 });
      await append([event('a'), event('b')]);
      const feed = await settledFeed(db);
      expect(await store.head()).toEqual(position(feed[1]));
    });

    it('deletes the events older than a cutoff, at most a batch at a time, and returns how many', async () => {
      await append(['old1', 'old2', 'old3'].map((name) => event(name)), T, '2026-01-01T00:00:00.000Z');
      await append(['old4', 'old5'].map((name) => event(name)), U, '2026-02-01T00:00:00.000Z');
      await append([event('new')], T, NOW);
      const cutoff = '2026-06-01T00:00:00.000Z';
      expect(await store.deleteOlderThan(cutoff, 2)).toBe(2);
      expect(names(await settledFeed(db))).toEqual(['old3', 'old4', 'old5', 'new']);
      expect(await store.deleteOlderThan(cutoff, 2)).toBe(2);
      expect(await store.deleteOlderThan(cutoff, 2)).toBe(1);
      expect(await store.deleteOlderThan(cutoff, 2)).toBe(0);
      expect(names(await settledFeed(db))).toEqual(['new']);
    });

    // PostgreSQL alone runs writing transactions at once: on SQLite the open one would hold the
    // database's one write lock, and the second could not commit before it.
    it.runIf(dialect === 'postgres')('on PostgreSQL, an event of a transaction still open holds back later commits, and is read once it commits, not skipped', async () => {
      await append([event('before')]);
      const [before] = await settledFeed(db);
      const head = await store.head();

      let appended!: () => void;
      let commit!: () => void;
      const slowAppended = new Promise<void>((resolve) => (appended = resolve));
      const commitSlow = new Promise<void>((resolve) => (commit = resolve));
      const slow = db.kysely.transaction().execute(async (trx) => {
        await new EventStore(trx, db.dialect).append(T, [event('slow')], NOW);
        appended();
        await commitSlow;
      });
      try {
        await slowAppended;
        await append([event('fast')]);
        // A reader that saw `fast` now would move past `slow`, which commits behind it.
        expect(await store.list({ after: position(before), limit: 10 })).toEqual([]);
        // Newest first leaves it out too: a reader paging back from `fast` would never see `slow`.
        expect(names(await store.list({ after: FEED_END, order: 'desc', limit: 10 }))).toEqual(['before']);
        expect(await store.head()).toEqual(head);
      } finally {
        commit();
        await slow;
      }
      await settledFeed(db);
      expect(names(await store.list({ after: position(before), limit: 10 }))).toEqual(['slow', 'fast']);
    });
  });
}

for (const dialect of dialectsUnderTest()) eventLogContract(dialect);
