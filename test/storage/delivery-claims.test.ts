/**
 * The storage contract of webhook delivery (src/webhooks/queue.ts over src/db/row-locks.ts), the
 * same cases on every database: dispatch turns matching feed events into one delivery each, claims
 * hand each due delivery to one worker, one resource's deliveries go one at a time in event order,
 * a lease that expires frees its claim, and a lost claim cannot record an outcome.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DialectName, type Db } from '../../src/db/open.js';
import { EventStore } from '../../src/events/store.js';
import { Keyring } from '../../src/security/encryption.js';
import type { EventType, NewEvent } from '../../src/events/types.js';
import { DeliveryQueue, type Claim } from '../../src/webhooks/queue.js';
import { WebhookStore } from '../../src/webhooks/store.js';
import { dialectsUnderTest, storeTestDatabase } from '../support/databases.js';
import { settledFeed } from './settled-feed.js';

const T0 = Date.parse('2026-11-29T00:00:00.000Z');
/** The instant `seconds` after T0: the tests stand in for the passing of time. */
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const LEASE = 60;

function event(resourceId: string, type: EventType = 'user.created'): NewEvent {
  return { type, resourceId, data: { resourceId } };
}

function deliveryClaimsContract(dialect: DialectName): void {
  describe(`delivery claims contract [${dialect}]`, () => {
    let opened: Awaited<ReturnType<typeof storeTestDatabase>> | undefined;
    let db: Db;
    /** A second handle on the same database: another process's pool, or its own SQLite connection. */
    let other: Db | undefined;
    let queue: DeliveryQueue;

    beforeAll(async () => {
      opened = await storeTestDatabase(dialect);
      db = opened.db;
      other = openDatabase(opened.database.url);
      queue = new DeliveryQueue(db.kysely, db.dialect, Keyring.none);
    });
    afterAll(async () => {
      await other?.close();
      await opened?.close();
    });
    beforeEach(async () => {
      await db.kysely.deleteFrom('webhooks').execute();
      await db.kysely.deleteFrom('events').execute();
    });

    async function webhook(id: string, options: { tenantId?: string | null; events?: EventType[] } = {}): Promise<void> {
      const events = options.events ? JSON.stringify(options.events) : null;
      await new WebhookStore(db.kysely, db.dialect, Keyring.none).insert(
        { id, url: `https://hooks.test/${id}`, events, tenant_id: options.tenantId ?? null, enabled: 1, disabled_reason: null, consecutive_failures: 0, failing_since: null, cursor_tx: 0, cursor_seq: 0, created_at: at(0), updated_at: at(0) },
        'whsec_test',
      );
    }

    /** Appends `events` in one transaction, then waits until the feed shows them. */
    async function append(events: NewEvent[], tenantId = 't'): Promise<void> {
      await db.kysely.transaction().execute((trx) => new EventStore(trx, db.dialect).append({ tenantId, connectionId: null }, events, at(0)));
      await settledFeed(db);
    }

    /** Dispatches until the webhook's cursor reaches the end of the feed. */
    async function dispatchAll(webhookId: string, dueAt = at(0)): Promise<void> {
      for (let pass = 0; pass < 100; pass++) if (((await queue.dispatch(webhookId, 100, dueAt)) ?? 0) === 0) return;
      throw new Error('dispatch did not reach the end of the feed');
    }

    const deliveries = (webhookId: string) => db.kysely.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('event_seq').execute();
    const delivery = (id: string) => db.kysely.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    /** Claims due deliveries at `seconds`, leased for LEASE seconds, in event order (a claim's rows come in no set order). */
    const claim = async (seconds: number, limit = 100) => (await queue.claimDue(at(seconds), at(seconds + LEASE), limit)).sort((x, y) => x.event_seq - y.event_seq);

    it('dispatch moves the cursor over matching events, one delivery each; a replayed page adds none', async () => {
      await webhook('w', { tenantId: 't', events: ['user.created', 'user.deleted'] });
      await append([event('u1'), event('g1', 'group.created'), event('u2', 'user.deleted')]);
      await append([event('x1')], 'u');
      const feed = await settledFeed(db);
      const wanted = feed.filter((e) => e.tenant_id === 't' && e.type !== 'group.created');

      expect(await queue.dispatch('w', 100, at(0))).toBe(2);
      const rows = await deliveries('w');
      expect(rows.map((r) => [r.event_id, r.event_type, r.resource_key, r.status, r.attempts, r.next_attempt_at])).toEqual(
        wanted.map((e) => [e.id, e.type, e.resource_id, 'pending', 0, at(0)]),
      );
      const cursor = await db.kysely.selectFrom('webhooks').select(['cursor_tx', 'cursor_seq']).where('id', '=', 'w').executeTakeFirstOrThrow();
      expect(cursor).toEqual({ cursor_tx: wanted[1].tx_order, cursor_seq: wanted[1].seq });
      expect(await queue.dispatch('w', 100, at(1))).toBe(0);

      // A dispatcher that read the same page again (its cursor update lost) inserts nothing twice.
      await db.kysely.updateTable('webhooks').set({ cursor_tx: -1, cursor_seq: 0 }).where('id', '=', 'w').execute();
      expect(await queue.dispatch('w', 100, at(2))).toBe(2);
      expect(await deliveries('w')).toEqual(rows);
    });

    it('dispatch reads at most `limit` events a pass and resumes at its cursor; a disabled or unknown webhook is not dispatched', async () => {
      await webhook('w');
      await append(['a', 'b', 'c', 'd', 'e'].map((id) => event(id)));
      const counts = [];
      for (let i = 0; i < 4; i++) counts.push(await queue.dispatch('w', 2, at(0)));
      expect(counts).toEqual([2, 2, 1, 0]);
      expect((await deliveries('w')).map((r) => r.resource_key)).toEqual(['a', 'b', 'c', 'd', 'e']);

      await webhook('off');
      await db.kysely.updateTable('webhooks').set({ enabled: 0 }).where('id', '=', 'off').execute();
      expect(await queue.dispatch('off', 100, at(0))).toBeUndefined();
      expect(await queue.dispatch('missing', 100, at(0))).toBeUndefined();
      expect(await deliveries('off')).toEqual([]);
    });

    it('hands each due delivery to exactly one of several claimers running at once', async () => {
      await webhook('w');
      await append(Array.from({ length: 60 }, (_, i) => event(`r${i}`)));
      await dispatchAll('w');
      const second = other!;
      const queues = [queue, new DeliveryQueue(second.kysely, second.dialect, Keyring.none)];
      const claimed: Claim[] = [];
      for (let round = 0; round < 20; round++) {
        const results = await Promise.all(queues.flatMap((q) => [0, 1, 2].map(() => q.claimDue(at(0), at(LEASE), 4))));
        const got = results.flat();
        if (got.length === 0) break;
        claimed.push(...got);
      }
      expect(claimed).toHaveLength(60);
      expect(new Set(claimed.map((c) => c.id)).size).toBe(60);
      expect(claimed.every((c) => c.attempts === 1 && c.locked_until === at(LEASE))).toBe(true);
      expect((await deliveries('w')).every((r) => r.attempts === 1)).toBe(true);
    });

    it('claims only the oldest pending delivery of a resource: a later event of it waits until that one ends', async () => {
      await webhook('w');
      await append([event('a'), event('b')]);
      await append([event('a', 'user.updated'), event('b', 'user.updated')]);
      await dispatchAll('w');
      const [a1, b1, a2, b2] = await deliveries('w');

      const first = await claim(0);
      expect(first.map((c) => c.id)).toEqual([a1.id, b1.id]);
      expect(await claim(1)).toEqual([]);

      // A retry keeps its place: `a` stays held back while its first delivery waits to be retried.
      expect(await queue.recordFailure(first[0], { statusCode: 500, error: 'HTTP 500', nextAttemptAt: at(30) }, at(2))).toBe(true);
      expect(await claim(10)).toEqual([]);
      const retry = await claim(30);
      expect(retry.map((c) => [c.id, c.attempts])).toEqual([[a1.id, 2]]);

      // Ending the earlier delivery, by success or by failing for good, lets the next one go.
      expect(await queue.recordSuccess(retry[0], 200, at(31))).toBe(true);
      expect(await queue.recordFailure(first[1], { statusCode: 500, error: 'HTTP 500', nextAttemptAt: null }, at(31))).toBe(true);
      expect((await claim(32)).map((c) => c.id)).toEqual([a2.id, b2.id]);
    });

    it('leaves deliveries not yet due, and those of a disabled webhook', async () => {
      await webhook('later');
      await webhook('off');
      await append([event('a')]);
      await dispatchAll('later', at(100));
      await dispatchAll('off');
      await db.kysely.updateTable('webhooks').set({ enabled: 0 }).where('id', '=', 'off').execute();
      expect(await claim(99)).toEqual([]);
      expect((await claim(100)).map((c) => c.webhook_id)).toEqual(['later']);
    });

    it('a claim whose lease expired can be claimed again, counting another attempt', async () => {
      await webhook('w');
      await append([event('a')]);
      await dispatchAll('w');
      const [first] = await claim(0);
      expect(first).toMatchObject({ attempts: 1, locked_until: at(LEASE) });
      expect(await claim(LEASE - 1)).toEqual([]);
      const [again] = await claim(LEASE);
      expect(again).toMatchObject({ id: first.id, attempts: 2, locked_until: at(2 * LEASE) });
    });

    it('recording an outcome with a claim that was lost changes nothing; the live claim records it once', async () => {
      await webhook('w');
      await append([event('a')]);
      await dispatchAll('w');
      const [lost] = await claim(0);
      const [live] = await claim(LEASE);
      const held = await delivery(live.id);

      expect(await queue.recordSuccess(lost, 200, at(LEASE + 1))).toBe(false);
      expect(await queue.recordFailure(lost, { statusCode: 500, error: 'late', nextAttemptAt: null }, at(LEASE + 1))).toBe(false);
      expect(await delivery(live.id)).toEqual(held);

      expect(await queue.recordSuccess(live, 201, at(LEASE + 2))).toBe(true);
      expect(await delivery(live.id)).toMatchObject({ status: 'succeeded', last_status_code: 201, locked_until: null, attempts: 2 });
      expect(await queue.recordFailure(live, { statusCode: 500, error: 'again', nextAttemptAt: at(LEASE + 60) }, at(LEASE + 3))).toBe(false);
      expect(await delivery(live.id)).toMatchObject({ status: 'succeeded', last_status_code: 201 });
    });

    // SQLite has no row locks: there a second writer waits for the first to commit.
    it.runIf(dialect === 'postgres')('on PostgreSQL, claimers and dispatchers pass over rows another transaction holds instead of waiting for them', async () => {
      await webhook('w');
      await append([event('a'), event('b')]);
      await dispatchAll('w');
      const [a, b] = await deliveries('w');

      let holding!: () => void;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      const holder = other!.kysely.transaction().execute(async (trx) => {
        await trx.selectFrom('webhook_deliveries').select('id').where('id', '=', a.id).forUpdate().execute();
        await trx.selectFrom('webhooks').select('id').where('id', '=', 'w').forUpdate().execute();
        holding();
        await released;
      });
      try {
        await held;
        expect((await within(5_000, claim(0))).map((c) => c.id)).toEqual([b.id]);
        expect(await within(5_000, queue.dispatch('w', 100, at(0)))).toBeUndefined();
      } finally {
        release();
        await holder;
      }
      expect((await claim(0)).map((c) => c.id)).toEqual([a.id]);
      expect(await queue.dispatch('w', 100, at(0))).toBe(0);
    });
  });
}

/** `promise`, or a failure if it has not settled after `ms`: a claim that waits for a lock fails the test instead of hanging it. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

for (const dialect of dialectsUnderTest()) deliveryClaimsContract(dialect);
