import { afterEach, describe, expect, it } from 'vitest';
import { DISABLE_AFTER_FAILURES, DISABLE_AFTER_MS } from '../../src/webhooks/policy.js';
import { dialectsUnderTest } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';
import { appendEvents, createWebhook, deliveryRows, fastForward, removeWebhooks, settle } from './helpers.js';
import { ok, startReceiver, type Receiver } from './receiver.js';

const HOUR = 3_600_000;

for (const dialect of dialectsUnderTest()) {
  describe(`webhook auto-disable [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let receiver: Receiver;
    afterEach(async () => {
      await removeWebhooks(t);
      await receiver?.close();
    });
    const get = (id: string) => t.app.inject({ url: `/api/v1/webhooks/${id}`, headers: { authorization: t.auth } }).then((r) => r.json());
    /** Pretends the webhook has already failed `count` times in a row, starting `agoMs` ago. */
    const failureRun = (id: string, count: number, agoMs: number) =>
      t.db.kysely
        .updateTable('webhooks')
        .set({ consecutive_failures: count, failing_since: new Date(Date.now() - agoMs).toISOString() })
        .where('id', '=', id)
        .execute();

    it('counts consecutive failures, and a success ends the run', async () => {
      receiver = await startReceiver(() => 503);
      const { id } = await createWebhook(t, { url: receiver.url });
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [{ type: 'user.created', resourceId: 'a', data: {} }, { type: 'user.created', resourceId: 'b', data: {} }]);
      await settle(t);
      const failing = await get(id);
      expect(failing).toMatchObject({ enabled: true, consecutiveFailures: 2, disabledReason: null });
      expect(Date.parse(failing.failingSince)).toBeGreaterThan(Date.now() - 60_000);
      receiver.behave(ok);
      await fastForward(t);
      await settle(t);
      expect(await get(id)).toMatchObject({ enabled: true, consecutiveFailures: 0, failingSince: null });
    });

    it('a burst of failures within a short outage does not disable', async () => {
      receiver = await startReceiver(() => 500);
      const { id } = await createWebhook(t, { url: receiver.url });
      await failureRun(id, DISABLE_AFTER_FAILURES * 3, HOUR);
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [{ type: 'user.created', resourceId: 'a', data: {} }]);
      await settle(t);
      expect(await get(id)).toMatchObject({ enabled: true, consecutiveFailures: DISABLE_AFTER_FAILURES * 3 + 1 });
    });

    it(`disables after ${DISABLE_AFTER_FAILURES} consecutive failures over more than 24 h; PATCH enabled: true re-enables and catches up`, async () => {
      receiver = await startReceiver(() => 500);
      const { id } = await createWebhook(t, { url: receiver.url });
      await failureRun(id, DISABLE_AFTER_FAILURES - 1, DISABLE_AFTER_MS + HOUR);
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [{ type: 'user.created', resourceId: 'a', data: { n: 1 } }]);
      await settle(t);
      const disabled = await get(id);
      expect(disabled).toMatchObject({ enabled: false, consecutiveFailures: DISABLE_AFTER_FAILURES });
      expect(disabled.disabledReason).toMatch(/^Disabled automatically .*last error: HTTP 500/);
      expect(receiver.received).toHaveLength(1);

      // While disabled: the pending retry is not attempted and new events wait in the feed.
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [{ type: 'user.created', resourceId: 'b', data: { n: 2 } }]);
      await fastForward(t);
      await settle(t);
      expect(receiver.received).toHaveLength(1);
      expect(await deliveryRows(t, id)).toHaveLength(1);

      receiver.behave(ok);
      const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/webhooks/${id}`, headers: { authorization: t.auth }, payload: { enabled: true } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0, failingSince: null });
      // The backed-off retry goes out now, not at its scheduled time.
      await t.db.kysely.updateTable('webhook_deliveries').set({ next_attempt_at: new Date(Date.now() + HOUR).toISOString() }).where('webhook_id', '=', id).execute();
      await t.app.inject({ method: 'PATCH', url: `/api/v1/webhooks/${id}`, headers: { authorization: t.auth }, payload: { enabled: false } });
      await t.app.inject({ method: 'PATCH', url: `/api/v1/webhooks/${id}`, headers: { authorization: t.auth }, payload: { enabled: true } });
      await settle(t);
      expect(receiver.accepted().map((r) => JSON.parse(r.body).data.n)).toEqual([1, 2]);
      expect((await deliveryRows(t, id)).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    });

    it('disabling by hand keeps no reason and pauses delivery', async () => {
      receiver = await startReceiver(ok);
      const { id } = await createWebhook(t, { url: receiver.url });
      const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/webhooks/${id}`, headers: { authorization: t.auth }, payload: { enabled: false } });
      expect(res.json()).toMatchObject({ enabled: false, disabledReason: null });
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [{ type: 'user.created', resourceId: 'a', data: {} }]);
      await settle(t);
      expect(receiver.received).toHaveLength(0);
      await t.app.inject({ method: 'PATCH', url: `/api/v1/webhooks/${id}`, headers: { authorization: t.auth }, payload: { enabled: true } });
      await settle(t);
      expect(receiver.accepted()).toHaveLength(1);
    });
  });
}
