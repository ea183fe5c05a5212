/**
 * Work budgets per SCIM connection: a connection is charged by the work its requests cause
 * (database time, response bytes), not only by their number, and by how many it has in flight. A
 * noisy connection sending expensive filters at full speed gets 429 with Retry-After, while another
 * connection's cheap requests and /healthz keep answering quickly. (The figures are in
 * `npm run bench:neighbours`; the bounds here are generous, for a busy CI machine.)
 */
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { WorkBudgets } from '../../src/limits/work-budget.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { SCIM_PATH } from '../support/scim-requests.js';
import { PUBLIC_URL, useTestApp } from '../support/test-app.js';

const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

describe('WorkBudgets', () => {
  it('admits while the balance lasts, then answers with the seconds until the debt is paid', () => {
    const budgets = new WorkBudgets({ msPerSecond: 100, burstMs: 1000, maxInFlight: 0 });
    expect(budgets.admit('a', 0)).toEqual({ ok: true });
    budgets.settle('a', 950, 0);
    expect(budgets.admit('a', 0)).toEqual({ ok: true });
    budgets.settle('a', 350, 0);
    // 50 − 350 = −300 ms: three seconds at 100 ms a second.
    expect(budgets.admit('a', 0)).toEqual({ ok: false, retryAfterSeconds: 3, reason: 'work' });
    expect(budgets.admit('a', 2900)).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    expect(budgets.admit('a', 3100)).toEqual({ ok: true });
    // Another key has its own balance.
    expect(budgets.admit('b', 0)).toEqual({ ok: true });
  });

  it('caps the debt of one huge request at one burst', () => {
    const budgets = new WorkBudgets({ msPerSecond: 100, burstMs: 200, maxInFlight: 0 });
    budgets.admit('a', 0);
    budgets.settle('a', 60_000, 0);
    expect(budgets.admit('a', 0)).toEqual({ ok: false, retryAfterSeconds: 2, reason: 'work' });
    expect(budgets.admit('a', 1990).ok).toBe(false);
    expect(budgets.admit('a', 2000)).toEqual({ ok: true });
  });

  it('counts requests still running at the recent average cost', () => {
    const budgets = new WorkBudgets({ msPerSecond: 100, burstMs: 1000, maxInFlight: 0 });
    // One request of 100 ms every ten seconds: the balance refills between them, the average rises.
    for (let i = 0; i < 20; i++) {
      budgets.admit('a', i * 10_000);
      budgets.settle('a', 100, i * 10_000);
    }
    // An average near 100 ms: about ten admitted at once on a full 1,000 ms balance, not any number.
    let admitted = 0;
    while (budgets.admit('a', 200_000).ok) admitted++;
    expect(admitted).toBeGreaterThanOrEqual(9);
    expect(admitted).toBeLessThanOrEqual(12);
  });

  it('charges a query to the connection among its parameters that has requests in flight, and no other', () => {
    const budgets = new WorkBudgets({ msPerSecond: 100, burstMs: 1000, maxInFlight: 0 });
    budgets.chargeQuery(['tenant', 'c1'], 5000); // nothing in flight: free
    expect(budgets.admit('c1', 0)).toEqual({ ok: true });
    budgets.chargeQuery([42, 'tenant', 'c2'], 5000); // c2 has nothing in flight
    budgets.chargeQuery(['tenant', 'c1', 100], 1500);
    budgets.settle('c1', 0, 0);
    expect(budgets.admit('c1', 0)).toEqual({ ok: false, retryAfterSeconds: 5, reason: 'work' });
    expect(budgets.admit('c2', 0)).toEqual({ ok: true });
  });

  it('caps the requests in flight per key', () => {
    const budgets = new WorkBudgets({ msPerSecond: 0, burstMs: 1, maxInFlight: 2 });
    expect(budgets.admit('a', 0).ok).toBe(true);
    expect(budgets.admit('a', 0).ok).toBe(true);
    expect(budgets.admit('a', 0)).toEqual({ ok: false, retryAfterSeconds: 1, reason: 'in-flight' });
    expect(budgets.admit('b', 0).ok).toBe(true);
    budgets.settle('a', 0, 0);
    expect(budgets.admit('a', 0).ok).toBe(true);
  });
});

/** Latencies (ms, sorted) of `path` sent every 20 ms for `ms` milliseconds, and their statuses. */
async function probe(pool: Pool, path: string, headers: Record<string, string>, ms: number): Promise<{ latencies: number[]; statuses: number[] }> {
  const latencies: number[] = [];
  const statuses: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const t0 = performance.now();
    const res = await pool.request({ method: 'GET', path, headers });
    await res.body.dump();
    latencies.push(performance.now() - t0);
    statuses.push(res.statusCode);
    await sleep(20);
  }
  return { latencies: latencies.sort((a, b) => a - b), statuses };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

for (const dialect of dialectsUnderTest()) {
  describe(`a noisy connection does not stall the others [${dialect}]`, () => {
    // Data is loaded through an app without limits; the app under test shares its database.
    const t = useTestApp(dialect);
    let limited: FastifyInstance;
    let origin: string;
    let noisy: { id: string; token: string };
    let quiet: { id: string; token: string };

    beforeAll(async () => {
      await createTenant(t, 'noisy');
      await createTenant(t, 'quiet');
      noisy = await createConnection(t, 'noisy');
      quiet = await createConnection(t, 'quiet');
      for (let start = 0; start < 10_000; start += 1000) {
        const Operations = Array.from({ length: 1000 }, (_, i) => ({
          method: 'POST',
          path: '/Users',
          bulkId: `u${start + i}`,
          data: { userName: `n${start + i}@noisy.example`, name: { givenName: `Given${start + i}`, familyName: 'Noisy' } },
        }));
        const res = await t.app.inject({ method: 'POST', url: `${SCIM_PATH}/${noisy.id}/Bulk`, headers: { authorization: `Bearer ${noisy.token}` }, payload: { schemas: [BULK], Operations } });
        expect(res.statusCode).toBe(200);
      }
      const config = loadConfig({
        LOG_LEVEL: 'silent',
        PUBLIC_URL,
        DATABASE_URL: t.database.url,
        SCIM_RATE_LIMIT: '0',
        AUTH_FAILURE_LIMIT: '0',
        SCIM_COST_LIMIT: '200',
        SCIM_COST_BURST: '400',
        SCIM_CONCURRENCY_LIMIT: '4',
      });
      limited = await buildApp({ config, db: t.db });
      await limited.listen({ host: '127.0.0.1', port: 0 });
      origin = `http://127.0.0.1:${(limited.server.address() as AddressInfo).port}`;
    }, 120_000);

    afterAll(async () => {
      await limited?.close();
    });

    it('answers the noisy connection 429 with Retry-After while the quiet one and /healthz keep their latency', async () => {
      // A filter no index narrows: every one of the noisy connection's 10,000 users is read.
      const expensive = `${SCIM_PATH}/${noisy.id}/Users?filter=${encodeURIComponent('name.givenName co "iven9"')}`;
      const noisyPool = new Pool(origin, { connections: 16 });
      const probes = new Pool(origin, { connections: 2 });
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      let body: unknown;
      let running = true;
      const loop = async () => {
        while (running) {
          const res = await noisyPool.request({ method: 'GET', path: expensive, headers: { authorization: `Bearer ${noisy.token}` } });
          statuses.push(res.statusCode);
          if (res.statusCode === 429) {
            retryAfter = res.headers['retry-after'] as string;
            body = await res.body.json();
          } else await res.body.dump();
        }
      };
      const loops = Array.from({ length: 16 }, loop);
      try {
        await sleep(300);
        const [list, health] = await Promise.all([
          probe(probes, `${SCIM_PATH}/${quiet.id}/Users?count=1`, { authorization: `Bearer ${quiet.token}` }, 3000),
          probe(probes, '/healthz', {}, 3000),
        ]);
        expect(new Set(list.statuses)).toEqual(new Set([200]));
        expect(new Set(health.statuses)).toEqual(new Set([200]));
        // Without the budget, 16 loops of full scans keep the quiet connection's requests queued
        // behind theirs on SQLite (hundreds of milliseconds each). With it, they wait at most for
        // the one or two scans the noisy connection is allowed at a time.
        expect(percentile(list.latencies, 0.9)).toBeLessThan(100);
        expect(percentile(health.latencies, 0.9)).toBeLessThan(100);
      } finally {
        running = false;
        await Promise.all(loops);
        await Promise.all([noisyPool.close(), probes.close()]);
      }
      expect(statuses).toContain(200);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(body).toMatchObject({ schemas: [ERROR_URN], status: '429' });
    }, 60_000);
  });
}
