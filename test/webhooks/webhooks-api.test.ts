import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryQueue } from '../../src/webhooks/queue.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { appendEvents, createWebhook, deliveryRows, dispatchAll, removeWebhooks } from './helpers.js';

const BASE = '/api/v1/webhooks';

for (const dialect of dialectsUnderTest()) {
  describe(`webhooks API [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const headers = () => ({ authorization: t.auth });
    afterEach(() => removeWebhooks(t));

    it('answers 401 on every route without an environment token', async () => {
      const { id } = await createWebhook(t, { url: 'https://hooks.example.test/a' });
      const routes = [
        ['POST', BASE],
        ['GET', BASE],
        ['GET', `${BASE}/${id}`],
        ['PATCH', `${BASE}/${id}`],
        ['DELETE', `${BASE}/${id}`],
        ['GET', `${BASE}/${id}/deliveries`],
        ['POST', `${BASE}/${id}/deliveries/x/redeliver`],
      ] as const;
      for (const [method, url] of routes) {
        const res = await t.app.inject({ method, url, payload: method === 'POST' || method === 'PATCH' ? { url: 'https://x.test' } : undefined });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(res.json().code).toBe('unauthorized');
      }
    });

    it('creates a webhook, showing its whsec_ secret once and never again', async () => {
      const res = await t.app.inject({ method: 'POST', url: BASE, headers: headers(), payload: { url: 'https://hooks.example.test/rollcall' } });
      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created).toMatchObject({ url: 'https://hooks.example.test/rollcall', events: null, tenantId: null, enabled: true, disabledReason: null, consecutiveFailures: 0 });
      // 256 random bits, base64url: 43 characters.
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      const again = await createWebhook(t, { url: 'https://hooks.example.test/rollcall' });
      expect(again.secret).not.toBe(created.secret);

      const got = await t.app.inject({ url: `${BASE}/${created.id}`, headers: headers() });
      expect(got.statusCode).toBe(200);
      expect(got.json()).not.toHaveProperty('secret');
      expect(got.body).not.toContain(created.secret);
      const list = await t.app.inject({ url: BASE, headers: headers() });
      expect(list.json().items).toHaveLength(2);
      expect(list.body).not.toContain(created.secret);
      expect(list.body).not.toContain('whsec_');
    });

    it('stores the event filter and tenant', async () => {
      const tenantId = await createTenant(t, 'hook-tenant', 'Hook Tenant');
      const res = await t.app.inject({
        method: 'POST',
        url: BASE,
        headers: headers(),
        payload: { url: 'http://127.0.0.1:9/x', events: ['user.created', 'group.deleted', 'user.created'], tenantId, enabled: false },
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ events: ['user.created', 'group.deleted'], tenantId, enabled: false });
    });

    it.each([
      [{}, 'url'],
      [{ url: 5 }, 'url'],
      [{ url: '' }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'ftp://files.example.test/hook' }, 'url'],
      [{ url: 'javascript:alert(1)' }, 'url'],
      [{ url: 'https://user:password@hooks.example.test/' }, 'url'],
      [{ url: `https://hooks.example.test/${'x'.repeat(2048)}` }, 'url'],
      [{ url: 'https://hooks.example.test/', events: [] }, 'events'],
      [{ url: 'https://hooks.example.test/', events: 'user.created' }, 'events'],
      [{ url: 'https://hooks.example.test/', events: ['user.exploded'] }, 'events.0'],
      [{ url: 'https://hooks.example.test/', tenantId: 'has spaces' }, 'tenantId'],
      [{ url: 'https://hooks.example.test/', enabled: 'yes' }, 'enabled'],
      [{ url: 'https://hooks.example.test/', secret: 'chosen-by-me' }, 'secret'],
    ])('rejects %j naming %s', async (payload, field) => {
      const res = await t.app.inject({ method: 'POST', url: BASE, headers: headers(), payload });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', field });
    });

    it('answers 404 naming tenantId for an unknown tenant', async () => {
      const res = await t.app.inject({ method: 'POST', url: BASE, headers: headers(), payload: { url: 'https://hooks.example.test/', tenantId: 'nobody-here' } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'not_found', field: 'tenantId' });
    });

    it('updates url, events, tenant and enabled; validates the change', async () => {
      const tenantId = await createTenant(t, 'patch-tenant', 'Patch');
      const { id } = await createWebhook(t, { url: 'https://hooks.example.test/old', events: ['user.created'], tenantId });
      const res = await t.app.inject({
        method: 'PATCH',
        url: `${BASE}/${id}`,
        headers: headers(),
        payload: { url: 'https://hooks.example.test/new', events: null, tenantId: null, enabled: false },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id, url: 'https://hooks.example.test/new', events: null, tenantId: null, enabled: false, disabledReason: null });
      expect(res.json()).not.toHaveProperty('secret');

      for (const [payload, field] of [
        [{}, undefined],
        [{ url: 'gopher://x' }, 'url'],
        [{ events: ['nope'] }, 'events.0'],
        [{ enabled: 1 }, 'enabled'],
        [{ cursor: 5 }, 'cursor'],
      ] as const) {
        const bad = await t.app.inject({ method: 'PATCH', url: `${BASE}/${id}`, headers: headers(), payload });
        expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
        if (field) expect(bad.json().field).toBe(field);
      }
    });

    it('answers 404 for an unknown webhook on every route', async () => {
      for (const [method, url] of [
        ['GET', `${BASE}/missing`],
        ['PATCH', `${BASE}/missing`],
        ['DELETE', `${BASE}/missing`],
        ['GET', `${BASE}/missing/deliveries`],
        ['POST', `${BASE}/missing/deliveries/x/redeliver`],
      ] as const) {
        const res = await t.app.inject({ method, url, headers: headers(), payload: method === 'PATCH' ? { enabled: true } : undefined });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json().code).toBe('not_found');
      }
    });

    it('pages the list with a true total, filtered by tenant', async () => {
      const tenantId = await createTenant(t, 'list-tenant', 'List');
      for (let i = 0; i < 3; i++) await createWebhook(t, { url: `https://hooks.example.test/${i}`, tenantId });
      await createWebhook(t, { url: 'https://hooks.example.test/all' });
      const page = (await t.app.inject({ url: `${BASE}?tenantId=${tenantId}&_limit=2`, headers: headers() })).json();
      const rest = (await t.app.inject({ url: `${BASE}?tenantId=${tenantId}&_limit=2&_offset=2`, headers: headers() })).json();
      expect(page.items).toHaveLength(2);
      expect([...page.items, ...rest.items].map((w: { url: string }) => w.url).sort()).toEqual([0, 1, 2].map((i) => `https://hooks.example.test/${i}`));
      expect(page._metadata).toMatchObject({ totalItems: 3, totalPages: 2 });
      expect((await t.app.inject({ url: BASE, headers: headers() })).json()._metadata.totalItems).toBe(4);
    });

    it('pages the delivery history newest first, and deleting the webhook deletes it', async () => {
      const { id } = await createWebhook(t, { url: 'http://127.0.0.1:9/unused' });
      await appendEvents(t, { tenantId: 'history', connectionId: 'c1' }, [1, 2, 3, 4, 5].map((n) => ({ type: 'user.created' as const, resourceId: `u${n}`, data: { n } })));
      await dispatchAll(t);
      const first = (await t.app.inject({ url: `${BASE}/${id}/deliveries?limit=2`, headers: headers() })).json();
      expect(first.items).toHaveLength(2);
      expect(first.items[0]).toMatchObject({ webhookId: id, eventType: 'user.created', status: 'pending', attempts: 0, lastStatusCode: null, lastError: null });
      expect(first.items[0].nextAttemptAt).toMatch(/^\d{4}-/);
      const seen = [...first.items];
      let cursor = first.nextCursor;
      while (cursor) {
        const page = (await t.app.inject({ url: `${BASE}/${id}/deliveries?limit=2&cursor=${cursor}`, headers: headers() })).json();
        seen.push(...page.items);
        cursor = page.nextCursor;
      }
      const rows = await deliveryRows(t, id);
      expect(seen.map((d) => d.id)).toEqual(rows.map((r) => r.id).reverse());
      expect((await t.app.inject({ url: `${BASE}/${id}/deliveries?status=succeeded`, headers: headers() })).json().items).toEqual([]);

      const bad = await t.app.inject({ url: `${BASE}/${id}/deliveries?cursor=nonsense`, headers: headers() });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().field).toBe('querystring.cursor');
      const badStatus = await t.app.inject({ url: `${BASE}/${id}/deliveries?status=lost`, headers: headers() });
      expect(badStatus.statusCode).toBe(400);
      expect(badStatus.json().field).toBe('querystring.status');

      expect((await t.app.inject({ method: 'DELETE', url: `${BASE}/${id}`, headers: headers() })).statusCode).toBe(204);
      expect(await deliveryRows(t, id)).toEqual([]);
      expect((await t.app.inject({ url: `${BASE}/${id}`, headers: headers() })).statusCode).toBe(404);
    });

    it('redelivery: 404 for an unknown delivery, 409 while it is in flight or the webhook is disabled', async () => {
      const { id } = await createWebhook(t, { url: 'http://127.0.0.1:9/unused' });
      await appendEvents(t, { tenantId: 'redeliver', connectionId: 'c1' }, [{ type: 'user.created', resourceId: 'u1', data: {} }]);
      await dispatchAll(t);
      const [delivery] = await deliveryRows(t, id);
      const missing = await t.app.inject({ method: 'POST', url: `${BASE}/${id}/deliveries/nope/redeliver`, headers: headers() });
      expect(missing.statusCode).toBe(404);

      // Another process holds it right now.
      const now = Date.now();
      const claims = await new DeliveryQueue(t.db.kysely, t.db.dialect, t.config.encryption).claimDue(new Date(now).toISOString(), new Date(now + 30_000).toISOString(), 10);
      expect(claims.map((c) => c.id)).toEqual([delivery.id]);
      const busy = await t.app.inject({ method: 'POST', url: `${BASE}/${id}/deliveries/${delivery.id}/redeliver`, headers: headers() });
      expect(busy.statusCode).toBe(409);
      expect(busy.json().code).toBe('conflict');

      await t.app.inject({ method: 'PATCH', url: `${BASE}/${id}`, headers: headers(), payload: { enabled: false } });
      const disabled = await t.app.inject({ method: 'POST', url: `${BASE}/${id}/deliveries/${delivery.id}/redeliver`, headers: headers() });
      expect(disabled.statusCode).toBe(409);
      expect(disabled.json().message).toContain('disabled');
    });

    it('is in the OpenAPI document', async () => {
      const doc = (await t.app.inject({ url: '/docs/json' })).json();
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/api/v1/webhooks', '/api/v1/webhooks/{id}', '/api/v1/webhooks/{id}/deliveries', '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver']),
      );
      expect(doc.paths['/api/v1/webhooks'].post.requestBody.content['application/json'].schema.properties.events.items.enum).toContain('user.created');
    });
  });
}
