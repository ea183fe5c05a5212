/**
 * Two `rollcall serve` processes on one database, no sticky routing: the concurrency guarantees of
 * test/scim/concurrency.test.ts hold across processes too — on SQLite through the busy timeout and
 * retries on SQLITE_BUSY, on PostgreSQL through transactions, unique constraints and retries on
 * serialization failures. Then a rolling restart under load: the stopped process drains (its
 * /readyz turns 503 first, its in-flight requests finish) and no request fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../support/databases.js';
import type { ServeProcess } from '../support/process.js';
import { BULK_REQUEST, GROUP_URN, LoadBalancer, USER_URN, call, createConnection, envAuth, kill9, patchOp, scim, serve, tally, type Conn } from './cluster.js';

for (const dialect of dialectsUnderTest()) {
  describe(`two processes on one ${dialect} database`, () => {
    let database: TestDatabase;
    let a: ServeProcess;
    let b: ServeProcess;
    let auth: string;
    let conn: Conn;
    /** Alternates between the two processes. */
    const via = (i: number) => (i % 2 === 0 ? a.url : b.url);

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      // Started together: migrations run once, under a lock (PostgreSQL) or a retried transaction (SQLite).
      [a, b] = await Promise.all([serve(database.url, { SHUTDOWN_DRAIN_SECONDS: '1', SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0' }), serve(database.url, { SHUTDOWN_DRAIN_SECONDS: '1', SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0' })]);
      auth = await envAuth(a.url);
      conn = await createConnection(b.url, auth, 'two-procs');
    });
    afterAll(async () => {
      for (const p of [a, b]) if (p) await kill9(p);
      await database?.drop();
    });

    it('creates one user out of 20 concurrent POSTs of one userName sent through both processes', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => scim(via(i), conn, 'POST', '/Users', { schemas: [USER_URN], userName: 'Same.Person@example.com', externalId: `x${i}` })));
      expect(tally(results.map((r) => r.status))).toEqual({ 201: 1, 409: 19 });
      for (const r of results.filter((x) => x.status === 409)) expect(r.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
      const found = await scim(a.url, conn, 'GET', `/Users?filter=${encodeURIComponent('userName eq "same.person@example.com"')}`);
      expect(found.body.totalResults).toBe(1);
    });

    it('keeps all 50 members added by 50 concurrent PATCHes to one group, half through each process', async () => {
      const users: { id: string }[] = [];
      for (let i = 0; i < 50; i += 10) {
        const batch = await Promise.all(Array.from({ length: 10 }, (_, k) => scim(via(i + k), conn, 'POST', '/Users', { schemas: [USER_URN], userName: `member${i + k}` })));
        for (const r of batch) {
          expect(r.status, r.text).toBe(201);
          users.push(r.body);
        }
      }
      const group = (await scim(a.url, conn, 'POST', '/Groups', { schemas: [GROUP_URN], displayName: 'Crowd' })).body;
      const results = await Promise.all(users.map((u, i) => scim(via(i), conn, 'PATCH', `/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] }))));
      expect(tally(results.map((r) => r.status)), results.find((r) => r.status !== 204)?.text).toEqual({ 204: 50 });
      const final = (await scim(b.url, conn, 'GET', `/Groups/${group.id}`)).body;
      expect(new Set(final.members.map((m: { value: string }) => m.value))).toEqual(new Set(users.map((u) => u.id)));
      // One version per change: none lost, none merged.
      expect(final.meta.version).toBe('W/"51"');
      // And the event feed has each addition once.
      const events = await call(`${a.url}/api/v1/events?types=group.user_added&limit=500`, { headers: { authorization: auth } });
      const added = events.body.items.filter((e: { data: { groupId: string } }) => e.data.groupId === group.id).map((e: { data: { userId: string } }) => e.data.userId);
      expect(added.sort()).toEqual(users.map((u) => u.id).sort());
    });

    it('lets one of a concurrent PUT and PATCH with the same If-Match win across processes; the other gets 412', async () => {
      for (let round = 0; round < 5; round++) {
        const user = (await scim(a.url, conn, 'POST', '/Users', { schemas: [USER_URN], userName: `contended${round}`, title: 'original' })).body;
        const etag = user.meta.version as string;
        const [put, patch] = await Promise.all([
          scim(a.url, conn, 'PUT', `/Users/${user.id}`, { schemas: [USER_URN], userName: `contended${round}`, title: 'by PUT' }, { 'if-match': etag }),
          scim(b.url, conn, 'PATCH', `/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'by PATCH' }), { 'if-match': etag }),
        ]);
        expect([put.status, patch.status].sort()).toEqual([200, 412]);
        const final = (await scim(b.url, conn, 'GET', `/Users/${user.id}`)).body;
        expect(final.meta.version).toBe('W/"2"');
        expect(final.title).toBe(put.status === 200 ? 'by PUT' : 'by PATCH');
      }
    });

    it('survives a rolling restart under load: the stopped process drains, /readyz goes 503 first, no request fails', async () => {
      const lb = new LoadBalancer([a.url, b.url]);
      lb.start();
      const failures: string[] = [];
      const statuses: number[] = [];
      let stop = false;
      let n = 0;
      const group = (await scim(a.url, conn, 'POST', '/Groups', { schemas: [GROUP_URN], displayName: 'Rolling' })).body;
      // Four IdP-like workers: create a user, then add it to the group.
      const worker = async () => {
        while (!stop) {
          const i = n++;
          const created = await scim(lb.pick(), conn, 'POST', '/Users', { schemas: [USER_URN], userName: `rolling${i}` });
          statuses.push(created.status);
          if (created.status !== 201) {
            failures.push(`POST rolling${i}: ${created.status} ${created.text.slice(0, 200)}`);
            continue;
          }
          const added = await scim(lb.pick(), conn, 'PATCH', `/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: created.body.id }] }));
          statuses.push(added.status);
          if (added.status !== 204) failures.push(`PATCH member rolling${i}: ${added.status} ${added.text.slice(0, 200)}`);
        }
      };
      const workers = Array.from({ length: 4 }, worker);
      try {
        await new Promise((r) => setTimeout(r, 500));
        // Restart b: it drains for one second while still serving, then closes.
        const draining = new Promise<void>((resolve, reject) => {
          const stopped = b;
          // A large Bulk request in flight when SIGTERM arrives must complete.
          const bulk = scim(stopped.url, conn, 'POST', '/Bulk', {
            schemas: [BULK_REQUEST],
            Operations: Array.from({ length: 300 }, (_, i) => ({ method: 'POST', bulkId: `b${i}`, path: '/Users', data: { schemas: [USER_URN], userName: `bulk${i}` } })),
          });
          setTimeout(() => void stopped.child.kill('SIGTERM'), 20);
          void (async () => {
            // While draining: not ready, but alive.
            let sawDraining = false;
            for (let i = 0; i < 40 && !sawDraining; i++) {
              const ready = await call(`${stopped.url}/readyz`);
              if (ready.status === 503) {
                sawDraining = true;
                expect(ready.body).toEqual({ status: 'draining' });
                expect((await call(`${stopped.url}/healthz`)).status).toBe(200);
              } else await new Promise((r) => setTimeout(r, 25));
            }
            const res = await bulk;
            const [code] = await new Promise<[number | null]>((r) => (stopped.child.exitCode !== null ? r([stopped.child.exitCode]) : stopped.child.once('exit', (c) => r([c]))));
            try {
              expect(sawDraining, 'readyz answered 503 while draining').toBe(true);
              expect(res.status, res.text.slice(0, 300)).toBe(200);
              expect(tally(res.body.Operations.map((o: { status: string }) => Number(o.status)))).toEqual({ 201: 300 });
              expect(code).toBe(0);
              resolve();
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          })();
        });
        await draining;
        lb.remove(b.url);
        b = await serve(database.url, { SHUTDOWN_DRAIN_SECONDS: '1', SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0' });
        lb.add(b.url);
        await new Promise((r) => setTimeout(r, 700));
        expect(lb.servedBy.get(b.url) ?? 0, 'the restarted process takes traffic').toBeGreaterThan(0);
      } finally {
        stop = true;
        await Promise.all(workers);
        lb.stop();
      }
      expect(failures).toEqual([]);
      expect(statuses.length).toBeGreaterThan(20);
      // Everything acknowledged is there.
      const final = (await scim(a.url, conn, 'GET', `/Groups/${group.id}`)).body;
      expect(final.members.length).toBe(statuses.filter((s) => s === 204).length);
    }, 60_000);
  });
}
