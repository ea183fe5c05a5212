/**
 * SCIM_RATE_LIMIT holds for the deployment: two `rollcall serve` processes on one database admit a
 * connection's requests at about the rate in total — not twice it — when its requests are spread
 * over both, and still at about the full rate when they all reach one. Clients send as fast as they
 * can for a few seconds; the admitted count is compared with what one bucket allows over that time
 * (its burst, plus the rate × the time) and the tolerance docs/operations.md states (each process
 * may hold half a second of the rate it took and has not used yet). The processes are started once
 * for the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../support/databases.js';
import type { ServeProcess } from '../support/process.js';
import { createConnection, envAuth, kill9, scim, serve, tally, type Conn } from './cluster.js';

const RATE = 10;
const BURST = 10;
/** How long the clients send. */
const SECONDS = 4;
/** Clients sending at once, each as fast as its answers come. */
const CLIENTS = 8;
/** What a process may hold and not have used yet: half a second of the rate (src/limits/rate-lease.ts). */
const HELD = RATE / 2;
const ENV = { SCIM_RATE_LIMIT: String(RATE), SCIM_RATE_BURST: String(BURST), SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0', AUTH_FAILURE_LIMIT: '0' };

/** Sends GET /Users through `pick()` from CLIENTS clients for SECONDS; the statuses by process, and the time taken. */
async function flood(conn: Conn, pick: (i: number) => string): Promise<{ statuses: Map<string, number[]>; seconds: number }> {
  const statuses = new Map<string, number[]>();
  const started = Date.now();
  let n = 0;
  const client = async () => {
    while (Date.now() - started < SECONDS * 1000) {
      const url = pick(n++);
      const res = await scim(url, conn, 'GET', '/Users?count=1');
      if (res.status !== 200 && res.status !== 429) throw new Error(`${res.status} ${res.text.slice(0, 300)}`);
      if (res.status === 429 && !(Number(res.headers.get('retry-after')) >= 1)) throw new Error(`429 without Retry-After: ${res.headers.get('retry-after')}`);
      statuses.set(url, [...(statuses.get(url) ?? []), res.status]);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return { statuses, seconds: (Date.now() - started) / 1000 };
}

const admittedBy = (statuses: Map<string, number[]>, url: string) => (statuses.get(url) ?? []).filter((s) => s === 200).length;
const sent = (statuses: Map<string, number[]>) => [...statuses.values()].reduce((sum, list) => sum + list.length, 0);

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM rate limit across two processes on one ${dialect} database`, () => {
    let database: TestDatabase;
    let a: ServeProcess;
    let b: ServeProcess;
    let auth: string;
    let n = 0;
    const connection = () => createConnection(a.url, auth, `rate-${dialect}-${n++}`);

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      // One after the other: two starting at once on a loaded machine may outlast the start-up deadline.
      a = await serve(database.url, ENV);
      b = await serve(database.url, ENV);
      auth = await envAuth(a.url);
    });
    afterAll(async () => {
      for (const p of [a, b]) if (p) await kill9(p);
      await database?.drop();
    });

    it(`admits about ${RATE}/s in total when a connection's requests alternate between the processes, not ${2 * RATE}/s`, async () => {
      const conn = await connection();
      const { statuses, seconds } = await flood(conn, (i) => (i % 2 === 0 ? a.url : b.url));
      const viaA = admittedBy(statuses, a.url);
      const viaB = admittedBy(statuses, b.url);
      const total = viaA + viaB;
      const detail = `${total} admitted in ${seconds.toFixed(2)} s (A ${viaA}, B ${viaB}); A ${JSON.stringify(tally(statuses.get(a.url) ?? []))}, B ${JSON.stringify(tally(statuses.get(b.url) ?? []))}`;
      // Each process limiting alone would admit about 2 × (BURST + RATE × seconds).
      expect(total, detail).toBeLessThanOrEqual(BURST + RATE * seconds + 2 * HELD);
      expect(total, detail).toBeGreaterThanOrEqual(0.8 * Math.min(BURST + RATE * seconds, sent(statuses)));
      expect(Math.min(viaA, viaB), detail).toBeGreaterThan(0);
    });

    it(`admits about ${RATE}/s when all of a connection's requests reach one process`, async () => {
      const conn = await connection();
      const { statuses, seconds } = await flood(conn, () => b.url);
      const total = admittedBy(statuses, b.url);
      const detail = `${total} admitted in ${seconds.toFixed(2)} s: ${JSON.stringify(tally(statuses.get(b.url) ?? []))}`;
      expect(total, detail).toBeLessThanOrEqual(BURST + RATE * seconds + HELD);
      // Not held below the rate (a loaded machine may send fewer requests than the rate allows).
      expect(total, detail).toBeGreaterThanOrEqual(0.8 * Math.min(BURST + RATE * seconds, sent(statuses)));
    });
  });
}
