/** GET /metrics: off without METRICS_TOKEN, its own bearer token, bounded labels, the state gauges, failures that do not fail a scrape. */
import { describe, expect, it } from 'vitest';
import { COLLECTED_GAUGES } from '../src/metrics/state-gauges.js';
import { metricsRegistry } from '../src/metrics/plugin.js';
import { MetricsStore, type GaugeStore } from '../src/metrics/store.js';
import { RequestLogWriter } from '../src/monitoring/writer.js';
import { dialectsUnderTest } from './support/databases.js';
import { createTenant } from './support/fixtures.js';
import { SCIM_PATH, newScimClient } from './support/scim-requests.js';
import { useTestApp, type TestApp } from './support/test-app.js';
import { dashboardSignIn } from './sessions/support.js';
import { createWebhook, dispatchAll } from './webhooks/helpers.js';

const TOKEN = 'metrics-7f3a9c1e5b2d4f60';

type Labels = Record<string, string>;

/** The value of the sample `name` with exactly `labels` in an exposition, or undefined when there is none. */
function sample(text: string, name: string, labels: Labels = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.keys(found).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(t: TestApp): Promise<string> {
  const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.statusCode).toBe(200);
  return res.body;
}

/** How much a sample moved between two scrapes (absent counts as 0). */
const moved = (before: string, after: string, name: string, labels: Labels = {}) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);

const ROLLCALL_METRICS = [
  'rollcall_http_requests_total',
  'rollcall_http_request_duration_seconds',
  'rollcall_scim_requests_total',
  'rollcall_scim_errors_total',
  'rollcall_webhook_deliveries_pending',
  'rollcall_webhook_deliveries_failed',
  'rollcall_webhook_oldest_pending_delivery_age_seconds',
  'rollcall_event_feed_events',
  'rollcall_request_log_queue_rows',
  'rollcall_request_log_dropped_rows_total',
  'rollcall_metrics_collect_errors_total',
];
const POOL_METRICS = ['rollcall_db_pool_connections', 'rollcall_db_pool_idle_connections', 'rollcall_db_pool_max_connections', 'rollcall_db_pool_waiting_queries'];

describe('/metrics without METRICS_TOKEN', () => {
  const [dialect] = dialectsUnderTest();
  const t = useTestApp(dialect);

  it('is an unknown path, answered as every other one, whatever the credential', async () => {
    const unknown = await t.app.inject({ url: '/no-such-path' });
    for (const headers of [{}, { authorization: t.auth }, { authorization: `Bearer ${TOKEN}` }]) {
      const res = await t.app.inject({ url: '/metrics', headers });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe(unknown.headers['content-type']);
      expect(res.json()).toEqual({ ...unknown.json(), message: 'No route GET /metrics' });
    }
  });
});

for (const dialect of dialectsUnderTest()) {
  describe(`/metrics [${dialect}]`, () => {
    const t = useTestApp(dialect, { METRICS_TOKEN: TOKEN });

    it('answers 401 in the management API shape to anything but its own bearer token', async () => {
      const { cookie } = await dashboardSignIn(t);
      // The session is live: it opens the management API, and still not /metrics.
      expect((await t.app.inject({ url: '/tenants/resources/tenants/v1', headers: { cookie } })).statusCode).toBe(200);
      const basic = `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`;
      for (const headers of [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, { authorization: t.auth }, { authorization: basic }, { cookie }]) {
        const res = await t.app.inject({ url: '/metrics', headers });
        expect(res.statusCode, JSON.stringify(headers)).toBe(401);
        expect(res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'unauthorized' });
        expect(res.body).not.toContain(TOKEN);
        expect(res.body).not.toContain('rollcall_');
      }
      // The scheme is case-insensitive (RFC 7235 §2.1).
      expect((await t.app.inject({ url: '/metrics', headers: { authorization: `bearer ${TOKEN}` } })).statusCode).toBe(200);
    });

    it("answers Prometheus' text format with Rollcall's metrics and the process metrics", async () => {
      const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      for (const name of [...ROLLCALL_METRICS, 'process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
        expect(res.body).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
      }
      for (const name of POOL_METRICS) expect(res.body.includes(`# HELP ${name} `)).toBe(dialect === 'postgres');
      if (dialect === 'postgres') {
        expect(sample(res.body, 'rollcall_db_pool_max_connections')).toBe(5);
        expect(sample(res.body, 'rollcall_db_pool_connections')).toBeGreaterThanOrEqual(1);
        // Read before the scrape's own queries ask for connections: they are not counted as waiting.
        expect(sample(res.body, 'rollcall_db_pool_waiting_queries')).toBe(0);
      }
      for (const gauge of COLLECTED_GAUGES) expect(sample(res.body, 'rollcall_metrics_collect_errors_total', { gauge })).toBe(0);
      // Not in the OpenAPI document of the management API.
      expect(Object.keys((await t.app.inject({ url: '/docs/json' })).json().paths)).not.toContain('/metrics');
    });

    it('counts HTTP and SCIM requests by route pattern and status class, without ids in the labels', async () => {
      const tenantId = await createTenant(t, 'metrics-tenant-label');
      const scim = await newScimClient(t, tenantId);
      const before = await scrape(t);
      const user = await scim.createUser({ userName: 'ann@metrics.test' });
      expect((await scim.get(`/Users/${user.id}`)).statusCode).toBe(200);
      expect((await scim.get('/Users/8d0c1f4e-0000-4000-8000-000000000000')).statusCode).toBe(404);
      expect((await scim.get('/Users?filter=userName%20eq')).statusCode).toBe(400);
      expect((await scim.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ANN@metrics.test' })).statusCode).toBe(409);
      expect((await scim.get('/Users', { authorization: 'Bearer rc_scim_wrong' })).statusCode).toBe(401);
      expect((await t.app.inject({ url: `/no-such-path/${user.id}` })).statusCode).toBe(404);
      const after = await scrape(t);

      const users = `${SCIM_PATH}/:connectionId/Users`;
      const http = (method: string, route: string, status_class: string) => moved(before, after, 'rollcall_http_requests_total', { method, route, status_class });
      expect(http('POST', users, '2xx')).toBe(1);
      expect(http('POST', users, '4xx')).toBe(1);
      expect(http('GET', `${users}/:id`, '2xx')).toBe(1);
      expect(http('GET', `${users}/:id`, '4xx')).toBe(1);
      expect(http('GET', users, '4xx')).toBe(2);
      expect(http('GET', 'unmatched', '4xx')).toBe(1);
      // The scrape before counts once it has been answered.
      expect(http('GET', '/metrics', '2xx')).toBe(1);
      const latency = { method: 'GET', route: `${users}/:id`, status_class: '2xx' };
      expect(moved(before, after, 'rollcall_http_request_duration_seconds_count', latency)).toBe(1);
      expect(moved(before, after, 'rollcall_http_request_duration_seconds_bucket', { ...latency, le: '+Inf' })).toBe(1);
      expect(moved(before, after, 'rollcall_http_request_duration_seconds_sum', latency)).toBeGreaterThan(0);

      expect(moved(before, after, 'rollcall_scim_requests_total', { status_class: '2xx' })).toBe(2);
      expect(moved(before, after, 'rollcall_scim_requests_total', { status_class: '4xx' })).toBe(4);
      expect(moved(before, after, 'rollcall_scim_errors_total', { status_class: '4xx', scim_type: 'invalidFilter' })).toBe(1);
      expect(moved(before, after, 'rollcall_scim_errors_total', { status_class: '4xx', scim_type: 'uniqueness' })).toBe(1);
      expect(moved(before, after, 'rollcall_scim_errors_total', { status_class: '4xx', scim_type: 'none' })).toBe(2);

      for (const id of [scim.connectionId, user.id as string, tenantId, 'ann@metrics.test']) expect(after).not.toContain(id);
      // Every route label is a registered pattern: no raw path, with or without ids, ever becomes one.
      const routes = new Set([...after.matchAll(/route="([^"]*)"/g)].map((m) => m[1]));
      expect([...routes].filter((route) => route !== 'unmatched' && !t.app.hasRoute({ url: route, method: 'GET' }) && !t.app.hasRoute({ url: route, method: 'POST' }))).toEqual([]);
    });

    it('shows pending and failed webhook deliveries, the age of the oldest pending one, and the event feed', async () => {
      await dispatchAll(t);
      const before = await scrape(t);
      expect(sample(before, 'rollcall_webhook_deliveries_pending')).toBe(0);
      expect(sample(before, 'rollcall_webhook_oldest_pending_delivery_age_seconds')).toBe(0);

      // Nothing delivers in tests (no job runs): the deliveries stay pending.
      await createWebhook(t, { url: 'https://hooks.example.test/metrics' });
      const tenantId = await createTenant(t, 'metrics-webhooks');
      const scim = await newScimClient(t, tenantId);
      await scim.createUser({ userName: 'bo@metrics.test' });
      await scim.createUser({ userName: 'cy@metrics.test' });
      await dispatchAll(t);
      const pending = await t.db.kysely.selectFrom('webhook_deliveries').select(['id', 'created_at']).where('status', '=', 'pending').orderBy('created_at').execute();
      expect(pending.length).toBeGreaterThanOrEqual(2);
      // Retries exhausted for one of them.
      await t.db.kysely.updateTable('webhook_deliveries').set({ status: 'failed' }).where('id', '=', pending.at(-1)!.id).execute();
      await new Promise((resolve) => setTimeout(resolve, 20));

      const started = Date.now();
      const after = await scrape(t);
      expect(sample(after, 'rollcall_webhook_deliveries_pending')).toBe(pending.length - 1);
      expect(sample(after, 'rollcall_webhook_deliveries_failed')).toBe(1);
      const age = sample(after, 'rollcall_webhook_oldest_pending_delivery_age_seconds')!;
      expect(age).toBeGreaterThan(0);
      expect(age).toBeLessThanOrEqual((Date.now() - Date.parse(pending[0].created_at)) / 1000);
      expect(age).toBeGreaterThanOrEqual((started - Date.parse(pending[0].created_at)) / 1000);

      const events = await t.db.kysely.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(events.n)).toBeGreaterThan(0);
      const feed = sample(after, 'rollcall_event_feed_events')!;
      expect(feed).toBeGreaterThanOrEqual(Number(events.n));
      expect(feed).toBeLessThan(Number(events.n) + 10);
    });

    it("reports the request-log writer's queue", async () => {
      await t.app.requestLog.flush();
      expect(sample(await scrape(t), 'rollcall_request_log_queue_rows')).toBe(0);
      const writer = new RequestLogWriter(t.app.services.monitoring.store, t.app.log);
      const registry = metricsRegistry({ store: new MetricsStore(t.db.kysely), requestLog: writer, poolStats: () => undefined });
      const row = { tenant_id: null, connection_id: 'unknown', method: 'GET', path: '/Users', query: null, status: 401, duration_ms: 1, scim_type: null, detail: null, user_agent: null, body: null, created_at: new Date().toISOString() };
      writer.push(row);
      writer.push(row);
      // Read in the same tick as the pushes: the writer's flush timer cannot have run.
      expect(sample(await registry.metrics(), 'rollcall_request_log_queue_rows')).toBe(2);
      await writer.flush();
      expect(sample(await registry.metrics(), 'rollcall_request_log_queue_rows')).toBe(0);
    });
  });
}

describe('a gauge whose query fails', () => {
  const healthy: GaugeStore = { pendingDeliveries: async () => 4, failedDeliveries: async () => 1, oldestPendingDelivery: async () => '2026-01-01T00:00:00.000Z', eventFeedSpan: async () => 12 };

  it('is left out of the scrape and counted, while the other metrics are served', async () => {
    let broken = true;
    const store: GaugeStore = {
      ...healthy,
      pendingDeliveries: async () => {
        if (broken) throw new Error('database unavailable');
        return 4;
      },
    };
    const registry = metricsRegistry({ store, requestLog: { stats: () => ({ queued: 3, dropped: 2 }) }, poolStats: () => undefined, now: () => Date.parse('2026-01-01T00:01:30.000Z') });
    const first = await registry.metrics();
    expect(first).toContain('# HELP rollcall_webhook_deliveries_pending ');
    expect(sample(first, 'rollcall_webhook_deliveries_pending')).toBeUndefined();
    expect(sample(first, 'rollcall_metrics_collect_errors_total', { gauge: 'webhook_deliveries_pending' })).toBe(1);
    expect(sample(first, 'rollcall_metrics_collect_errors_total', { gauge: 'event_feed' })).toBe(0);
    expect(sample(first, 'rollcall_webhook_deliveries_failed')).toBe(1);
    expect(sample(first, 'rollcall_webhook_oldest_pending_delivery_age_seconds')).toBe(90);
    expect(sample(first, 'rollcall_event_feed_events')).toBe(12);
    expect(sample(first, 'rollcall_request_log_queue_rows')).toBe(3);
    expect(sample(first, 'rollcall_request_log_dropped_rows_total')).toBe(2);
    expect(sample(first, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    broken = false;
    const second = await registry.metrics();
    expect(sample(second, 'rollcall_webhook_deliveries_pending')).toBe(4);
    expect(sample(second, 'rollcall_metrics_collect_errors_total', { gauge: 'webhook_deliveries_pending' })).toBe(1);
  });

  const [dialect] = dialectsUnderTest();
  describe(`with the database closed [${dialect}]`, () => {
    const t = useTestApp(dialect, { METRICS_TOKEN: TOKEN });

    it('still answers 200 with the process and request metrics', async () => {
      await scrape(t);
      await t.db.close();
      const body = await scrape(t);
      for (const gauge of COLLECTED_GAUGES) expect(sample(body, 'rollcall_metrics_collect_errors_total', { gauge })).toBe(1);
      for (const name of ['rollcall_webhook_deliveries_pending', 'rollcall_webhook_deliveries_failed', 'rollcall_webhook_oldest_pending_delivery_age_seconds', 'rollcall_event_feed_events']) {
        expect(sample(body, name)).toBeUndefined();
      }
      expect(sample(body, 'rollcall_http_requests_total', { method: 'GET', route: '/metrics', status_class: '2xx' })).toBe(1);
      expect(sample(body, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    });
  });
});
