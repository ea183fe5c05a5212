import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/events/types.js';
import { WebhookDeliverer } from '../../src/webhooks/deliverer.js';
import { MAX_ATTEMPTS } from '../../src/webhooks/policy.js';
import { DeliveryQueue } from '../../src/webhooks/queue.js';
import { verifyRollcallSignature } from '../../src/webhooks/verify.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { appendEvents, createWebhook, deliveryRows, dispatchAll, fastForward, feedCaughtUp, removeWebhooks, settle } from './helpers.js';
import { ok, startReceiver, type Receiver, type Received } from './receiver.js';

/** A user event whose data says which user and which step of its history it is. */
const step = (type: NewEvent['type'], user: string, n: number): NewEvent => ({ type, resourceId: user, data: { user, step: n } });
const parse = (r: Received) => JSON.parse(r.body) as { id: string; type: string; data: { user: string; step: number } };

/** Per user, the steps in the order the receiver saw them (every request, failed or not). */
function stepsByUser(received: Received[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of received) {
    const { data } = parse(r);
    out.set(data.user, [...(out.get(data.user) ?? []), data.step]);
  }
  return out;
}

for (const dialect of dialectsUnderTest()) {
  describe(`webhook delivery [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let receiver: Receiver;
    beforeAll(() => createTenant(t, 'acme', 'Acme').then(() => undefined));
    afterEach(async () => {
      await removeWebhooks(t);
      await receiver?.close();
    });
    const history = (id: string) => t.app.inject({ url: `/api/v1/webhooks/${id}/deliveries`, headers: { authorization: t.auth } }).then((r) => r.json().items);

    it('delivers every event once, signed, with its id and type headers, in order per resource', async () => {
      receiver = await startReceiver(ok);
      const { id, secret } = await createWebhook(t, { url: receiver.url });
      const scope = { tenantId: 'acme', connectionId: 'conn-1' };
      await appendEvents(t, scope, [step('user.created', 'u1', 1), step('user.created', 'u2', 1), { type: 'group.created', resourceId: 'g1', data: { user: 'g1', step: 1 } }]);
      await appendEvents(t, scope, [step('user.updated', 'u1', 2), step('user.updated', 'u2', 2)]);
      await appendEvents(t, scope, [step('user.deactivated', 'u1', 3), step('user.deleted', 'u2', 3)]);
      await settle(t);

      const feed = (await t.app.inject({ url: '/api/v1/events?tenantId=acme', headers: { authorization: t.auth } })).json().items as { id: string }[];
      expect(receiver.received).toHaveLength(7);
      expect(receiver.received.map((r) => parse(r).id).sort()).toEqual(feed.map((e) => e.id).sort());
      for (const r of receiver.received) {
        const body = JSON.parse(r.body);
        expect(Object.keys(body).sort()).toEqual(['connectionId', 'data', 'id', 'occurredAt', 'tenantId', 'type']);
        expect(body).toMatchObject({ tenantId: 'acme', connectionId: 'conn-1' });
        expect(r.headers['content-type']).toMatch(/^application\/json/);
        expect(r.headers['rollcall-event-id']).toBe(body.id);
        expect(r.headers['rollcall-event-type']).toBe(body.type);
        expect(r.headers['rollcall-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
        expect(verifyRollcallSignature(secret, r.headers['rollcall-signature'] as string, r.body)).toBe(true);
        expect(verifyRollcallSignature(secret, r.headers['rollcall-signature'] as string, r.body.replace('acme', 'acmf'))).toBe(false);
        expect(verifyRollcallSignature(`${secret}x`, r.headers['rollcall-signature'] as string, r.body)).toBe(false);
      }
      for (const steps of stepsByUser(receiver.received).values()) expect(steps).toEqual([...steps].sort((a, b) => a - b));
      const items = await history(id);
      expect(items).toHaveLength(7);
      for (const item of items) expect(item).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    });

    it('sends only matching types and tenant, and nothing from before the webhook existed', async () => {
      receiver = await startReceiver(ok);
      await createTenant(t, 'other', 'Other');
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [step('user.created', 'before', 1)]);
      // A webhook starts at the stable end of the feed (see WebhookStore.feedHead): let the event settle there first.
      await feedCaughtUp(t);
      await createWebhook(t, { url: receiver.url, events: ['user.created', 'user.deleted'], tenantId: 'acme' });
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [step('user.created', 'a1', 1), step('user.updated', 'a1', 2), step('user.deleted', 'a1', 3)]);
      await appendEvents(t, { tenantId: 'other', connectionId: 'c2' }, [step('user.created', 'o1', 1)]);
      await settle(t);
      expect(receiver.received.map((r) => [parse(r).type, parse(r).data.user])).toEqual([
        ['user.created', 'a1'],
        ['user.deleted', 'a1'],
      ]);
    });

    it('a receiver that fails (500, closed socket) then recovers gets every event once, in order per resource', async () => {
      let failing = true;
      receiver = await startReceiver(({ index }) => (failing ? (index % 2 === 0 ? 500 : 'destroy') : 200));
      const { id } = await createWebhook(t, { url: receiver.url });
      const users = ['r1', 'r2', 'r3'];
      for (let n = 1; n <= 4; n++) {
        await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, users.map((u) => step(n === 1 ? 'user.created' : 'user.updated', u, n)));
      }
      await settle(t);
      // Only the oldest event of each user was tried: later ones wait behind it.
      expect(receiver.received.map((r) => parse(r).data.step)).toEqual([1, 1, 1]);
      const failed = await history(id);
      const tried = failed.filter((d: { attempts: number }) => d.attempts === 1);
      expect(tried).toHaveLength(3);
      for (const d of tried) {
        expect(d.status).toBe('pending');
        expect(Date.parse(d.nextAttemptAt)).toBeGreaterThan(Date.now() + 10_000);
        expect(d.lastError).toMatch(d.lastStatusCode === 500 ? /^HTTP 500: receiver says 500/ : /^Network error/);
      }
      expect(tried.some((d: { lastStatusCode: number | null }) => d.lastStatusCode === null)).toBe(true);

      // Still failing on the first retry.
      await fastForward(t);
      await settle(t);
      expect(receiver.accepted()).toHaveLength(0);

      failing = false;
      await fastForward(t);
      await settle(t);
      expect(receiver.accepted()).toHaveLength(12);
      const ids = receiver.accepted().map((r) => parse(r).id);
      expect(new Set(ids).size).toBe(12);
      for (const [, steps] of stepsByUser(receiver.accepted())) expect(steps).toEqual([1, 2, 3, 4]);
      // Not even a failed attempt of a later event came before an earlier one was accepted.
      for (const [, steps] of stepsByUser(receiver.received)) expect(steps).toEqual([...steps].sort((a, b) => a - b));
      const rows = await deliveryRows(t, id);
      expect(rows.every((r) => r.status === 'succeeded')).toBe(true);
      expect(rows.filter((r) => r.attempts === 3)).toHaveLength(3);
      const webhook = (await t.app.inject({ url: `/api/v1/webhooks/${id}`, headers: { authorization: t.auth } })).json();
      expect(webhook).toMatchObject({ enabled: true, consecutiveFailures: 0, failingSince: null });
    });

    it('counts a timeout and a redirect as failures, and records why', async () => {
      receiver = await startReceiver(({ index }) => (index === 0 ? 'hang' : 302));
      const { id } = await createWebhook(t, { url: receiver.url });
      const quick = new WebhookDeliverer(new DeliveryQueue(t.db.kysely, t.db.dialect, t.config.encryption), { timeoutMs: 300 });
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [step('user.created', 't1', 1)]);
      await settle(t, quick);
      expect((await deliveryRows(t, id))[0]).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null, last_error: 'Timed out after 0.3 s' });
      await fastForward(t);
      await settle(t, quick);
      expect((await deliveryRows(t, id))[0]).toMatchObject({ status: 'pending', attempts: 2, last_status_code: 302 });
      expect((await deliveryRows(t, id))[0].last_error).toMatch(/^HTTP 302 \(redirects are not followed\)/);
      expect(receiver.received).toHaveLength(2);
    });

    it('records an error body with U+0000 (a binary answer), the character as U+FFFD', async () => {
      receiver = await startReceiver(() => ({ status: 502, body: 'upstream\u0000 sent \u0000\u0001 bytes' }));
      const { id } = await createWebhook(t, { url: receiver.url });
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [step('user.created', 'n1', 1)]);
      await settle(t);
      expect((await deliveryRows(t, id))[0]).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 502, last_error: 'HTTP 502: upstream\uFFFD sent \uFFFD\u0001 bytes' });
      expect(receiver.received).toHaveLength(1);
    });

    it(`gives up after ${MAX_ATTEMPTS} attempts; a failed delivery no longer holds back its resource`, async () => {
      receiver = await startReceiver(() => 500);
      const { id } = await createWebhook(t, { url: receiver.url });
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [step('user.created', 'g1', 1), step('user.updated', 'g1', 2)]);
      await settle(t);
      const [head] = await deliveryRows(t, id);
      await t.db.kysely.updateTable('webhook_deliveries').set({ attempts: MAX_ATTEMPTS - 1 }).where('id', '=', head.id).execute();
      await fastForward(t);
      receiver.behave(({ body }) => (JSON.parse(body).data.step === 1 ? 500 : 200));
      await settle(t);
      const rows = await deliveryRows(t, id);
      expect(rows[0]).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_status_code: 500 });
      expect(rows[1]).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect((await history(id)).find((d: { id: string }) => d.id === head.id).nextAttemptAt).toBeNull();

      // Manual redelivery of the failed one: a fresh schedule, and it goes out again.
      receiver.behave(ok);
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/webhooks/${id}/deliveries/${head.id}/redeliver`, headers: { authorization: t.auth } });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ id: head.id, status: 'pending', attempts: 0 });
      await settle(t);
      expect((await deliveryRows(t, id))[0]).toMatchObject({ status: 'succeeded', attempts: 1, last_status_code: 200, last_error: null });
    });

    it('redelivers a delivered event on request: same event id, new signature', async () => {
      receiver = await startReceiver(ok);
      const { id, secret } = await createWebhook(t, { url: receiver.url });
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [step('user.created', 'x1', 1)]);
      await settle(t);
      const [delivery] = await history(id);
      expect(delivery.status).toBe('succeeded');
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/webhooks/${id}/deliveries/${delivery.id}/redeliver`, headers: { authorization: t.auth } });
      expect(res.statusCode).toBe(202);
      await settle(t);
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1].headers['rollcall-event-id']).toBe(receiver.received[0].headers['rollcall-event-id']);
      expect(receiver.received[1].body).toBe(receiver.received[0].body);
      expect(verifyRollcallSignature(secret, receiver.received[1].headers['rollcall-signature'] as string, receiver.received[1].body)).toBe(true);
      expect((await history(id))[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
    });

    it('fails a delivery whose event was trimmed from the feed, without blaming the endpoint', async () => {
      receiver = await startReceiver(ok);
      const { id } = await createWebhook(t, { url: receiver.url });
      await appendEvents(t, { tenantId: 'acme', connectionId: 'c' }, [step('user.created', 'old', 1)]);
      await dispatchAll(t);
      const [row] = await deliveryRows(t, id);
      await t.db.kysely.deleteFrom('events').where('seq', '=', row.event_seq).execute();
      await settle(t);
      expect((await deliveryRows(t, id))[0]).toMatchObject({ status: 'failed', attempts: 1 });
      expect((await deliveryRows(t, id))[0].last_error).toMatch(/retention/);
      expect(receiver.received).toHaveLength(0);
      const webhook = await t.db.kysely.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(webhook.consecutive_failures).toBe(0);
    });
  });
}
