import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryQueue } from '../../src/webhooks/queue.js';
import { dialectsUnderTest } from '../support/databases.js';
import { startServe } from '../support/process.js';
import { useTestApp } from '../support/test-app.js';
import { appendEvents, createWebhook, deliveryRows, dispatchAll, removeWebhooks, settle } from './helpers.js';
import { ok, startReceiver, type Receiver } from './receiver.js';

for (const dialect of dialectsUnderTest()) {
  describe(`webhook crash recovery [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let receiver: Receiver;
    afterEach(async () => {
      await removeWebhooks(t);
      await receiver?.close();
    });
    /** Lets every live claim run out, as the lease would after a crashed process stops renewing nothing. */
    const expireLeases = () =>
      t.db.kysely
        .updateTable('webhook_deliveries')
        .set({ locked_until: new Date(Date.now() - 1).toISOString() })
        .where('locked_until', 'is not', null)
        .execute();

    it('a claim left by a crashed process is retried once its lease expires, and the late process cannot record over it', async () => {
      receiver = await startReceiver(ok);
      const { id } = await createWebhook(t, { url: receiver.url });
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [{ type: 'user.created', resourceId: 'u1', data: {} }]);
      await dispatchAll(t);

      // The "crashed" process: claims and never reports back.
      const crashed = new DeliveryQueue(t.db.kysely, t.db.dialect, t.config.encryption);
      const now = Date.now();
      const [claim] = await crashed.claimDue(new Date(now).toISOString(), new Date(now + 30_000).toISOString(), 10);
      expect(claim).toBeDefined();

      // While its lease is live nobody else takes it.
      await t.app.services.webhooks.deliverer.run();
      expect(receiver.received).toHaveLength(0);

      await expireLeases();
      await settle(t);
      expect(receiver.accepted()).toHaveLength(1);
      const [row] = await deliveryRows(t, id);
      expect(row).toMatchObject({ status: 'succeeded', attempts: 2, locked_until: null });

      // The zombie wakes up: its outcome is fenced off and changes nothing.
      expect(await crashed.recordFailure(claim, { statusCode: 500, error: 'late', nextAttemptAt: new Date().toISOString() }, new Date().toISOString())).toBe(false);
      expect((await deliveryRows(t, id))[0]).toMatchObject({ status: 'succeeded', last_error: null });
    });

    it('killing a serving process mid-delivery loses nothing: the delivery is retried after restart', async () => {
      // The receiver holds the first request open, so the process is killed while the POST is in flight.
      receiver = await startReceiver(({ index }) => (index === 0 ? 'hang' : 200));
      const { id } = await createWebhook(t, { url: receiver.url });
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [
        { type: 'user.created', resourceId: 'k1', data: { n: 1 } },
        { type: 'user.updated', resourceId: 'k1', data: { n: 2 } },
      ]);
      const server = await startServe({ DATABASE_URL: t.database.url, LOG_LEVEL: 'silent' });
      try {
        await receiver.waitFor(1);
      } finally {
        server.child.kill('SIGKILL');
        await new Promise((resolve) => server.child.once('exit', resolve));
      }
      const [head, next] = await deliveryRows(t, id);
      expect(head).toMatchObject({ status: 'pending', attempts: 1 });
      expect(Date.parse(head.locked_until!)).toBeGreaterThan(Date.now());
      expect(next).toMatchObject({ status: 'pending', attempts: 0 });

      // "Restart": another process runs the jobs once the dead one's lease has run out.
      await settle(t);
      expect(receiver.accepted()).toHaveLength(0);
      await expireLeases();
      await settle(t);
      expect(receiver.accepted().map((r) => JSON.parse(r.body).data.n)).toEqual([1, 2]);
      expect((await deliveryRows(t, id)).map((r) => [r.status, r.attempts])).toEqual([
        ['succeeded', 2],
        ['succeeded', 1],
      ]);
    });
  });
}
