/**
 * Several processes on one database: each is a separate Db (its own pool or SQLite handle) with its
 * own jobs, all racing over the same webhooks and deliveries.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/open.js';
import type { NewEvent } from '../../src/events/types.js';
import { WebhookDeliverer } from '../../src/webhooks/deliverer.js';
import { WebhookDispatcher } from '../../src/webhooks/dispatcher.js';
import { DeliveryQueue } from '../../src/webhooks/queue.js';
import { dialectsUnderTest } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';
import { appendEvents, createWebhook, deliveryRows, dispatchAll, dueCount, feedCaughtUp, removeWebhooks } from './helpers.js';
import { startReceiver, type Receiver } from './receiver.js';

const PROCESSES = 2;

for (const dialect of dialectsUnderTest()) {
  describe(`webhook jobs in several processes [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let dbs: Db[] = [];
    let receiver: Receiver;
    beforeAll(() => {
      dbs = Array.from({ length: PROCESSES }, () => openDatabase(t.database.url, { poolSize: 4 }));
    });
    afterAll(() => Promise.all(dbs.map((db) => db.close())));
    afterEach(async () => {
      await removeWebhooks(t);
      await receiver?.close();
    });

    it('two delivery workers racing over the same due deliveries send each exactly once, in order per resource', async () => {
      receiver = await startReceiver(() => 200);
      const { id } = await createWebhook(t, { url: receiver.url });
      const events: NewEvent[] = [];
      for (let n = 1; n <= 3; n++) for (let u = 0; u < 40; u++) events.push({ type: n === 1 ? 'user.created' : 'user.updated', resourceId: `u${u}`, data: { user: `u${u}`, n } });
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, events);
      await dispatchAll(t);

      const workers = dbs.map((db) => new WebhookDeliverer(new DeliveryQueue(db.kysely, db.dialect, t.config.encryption), { batch: 7 }));
      for (let round = 0; round < 100; round++) {
        await Promise.all(workers.map((w) => w.run()));
        if ((await dueCount(t)) === 0) break;
      }

      expect(receiver.received).toHaveLength(events.length);
      const ids = receiver.received.map((r) => r.headers['rollcall-event-id']);
      expect(new Set(ids).size).toBe(events.length);
      const rows = await deliveryRows(t, id);
      expect(rows.every((r) => r.status === 'succeeded' && r.attempts === 1)).toBe(true);
      const seen = new Map<string, number[]>();
      for (const r of receiver.received) {
        const { data } = JSON.parse(r.body);
        seen.set(data.user, [...(seen.get(data.user) ?? []), data.n]);
      }
      for (const steps of seen.values()) expect(steps).toEqual([1, 2, 3]);
    });

    it.runIf(dialect === 'postgres')('two dispatchers racing while events are written create exactly one delivery per event', async () => {
      receiver = await startReceiver(() => 200);
      const { id } = await createWebhook(t, { url: receiver.url });
      const dispatchers = dbs.map((db) => new WebhookDispatcher(new DeliveryQueue(db.kysely, db.dialect, t.config.encryption), { eventsPerWebhook: 5 }));
      let writing = true;
      const writer = (async () => {
        for (let i = 0; i < 40; i++) await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [{ type: 'user.created', resourceId: `w${i}`, data: { i } }]);
        writing = false;
      })();
      const race = (async () => {
        while (writing) await Promise.all(dispatchers.map((d) => d.run()));
      })();
      await Promise.all([writer, race]);
      await feedCaughtUp(t);
      for (let i = 0; i < 50; i++) {
        const more = await Promise.all(dispatchers.map((d) => d.run()));
        if (!more.some(Boolean)) break;
      }
      const rows = await deliveryRows(t, id);
      expect(rows).toHaveLength(40);
      expect(new Set(rows.map((r) => r.event_id)).size).toBe(40);
    });
  });
}
