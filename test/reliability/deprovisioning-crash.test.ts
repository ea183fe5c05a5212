/**
 * kill -9 of a `rollcall serve` process in the middle of a stream of deactivations on a connection in
 * review mode, where every deactivation is held. The SCIM change and its held change commit together
 * or not at all: after a restart on the same database, each user whose SCIM row is inactive has
 * exactly one held change and the others none, the app has heard of no deactivation and still sees
 * all 300 users active, and the held count agrees. Releasing them all gives the app each deactivation
 * once, in the order they were held.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/open.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../support/databases.js';
import type { ServeProcess } from '../support/process.js';
import { createConnection, envAuth, kill9, scim, type Conn } from './cluster.js';
import { appUsers, createUsers, deactivate, feed, heldChanges, managementApi, serveUnlimited } from './deprovisioning-support.js';

const USERS = 300;
const WORKERS = 6;
/** The kill comes once this many deactivations were answered: well before the last. */
const KILL_AFTER = 60;

for (const dialect of dialectsUnderTest()) {
  describe(`held deprovisioning when killed mid-stream [${dialect}]`, () => {
    let database: TestDatabase | undefined;
    let db: Db | undefined;
    let server: ServeProcess | undefined;
    afterAll(async () => {
      if (server) await kill9(server);
      await db?.close();
      await database?.drop();
    });

    it('keeps one held change per inactive SCIM user, none applied, and releases each once', { timeout: 60_000 }, async () => {
      database = await createTestDatabase(dialect);
      server = await serveUnlimited(database.url);
      const first = await envAuth(server.url);
      const conn: Conn = await createConnection(server.url, first, 'review-crash');
      const reviewed = await managementApi(server.url, first)('PUT', `/api/v1/connections/${conn.id}/deprovisioning`, { mode: 'review' });
      expect(reviewed.status, reviewed.text).toBe(200);

      const users = await createUsers(server.url, conn, USERS, 'review.test');

      // The IdP deactivates everyone, several at a time, until the process is killed under it.
      const answered = new Set<string>();
      const url = server.url;
      let next = 0;
      const worker = async () => {
        while (next < USERS) {
          const id = users[next++];
          const res = await deactivate(url, conn, id);
          // Only the kill may interrupt the stream: a connection error, never an error status.
          if (res.status !== 200) return expect(res.status, res.text).toBe(0);
          expect(res.body.active).toBe(false);
          answered.add(id);
        }
      };
      const workers = Array.from({ length: WORKERS }, worker);
      while (answered.size < KILL_AFTER && next < USERS) await new Promise((r) => setTimeout(r, 2));
      await kill9(server);
      await Promise.all(workers);
      expect(answered.size).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(answered.size, 'killed mid-way').toBeLessThan(USERS);

      // Restart on the same database: SQLite replays its WAL, PostgreSQL rolled back the open transactions.
      server = await serveUnlimited(database.url);
      // Opened only now, so the restarted process alone recovers the database. For feedCaughtUp (PostgreSQL).
      db = openDatabase(database.url, { poolSize: 2 });
      const base = server.url;
      const api = managementApi(base, await envAuth(base));
      const appView = async () => new Map((await appUsers(api, conn.id, 100)).map((u) => [u.id, u.active]));

      // The IdP's state, as the SCIM rows keep it: every answered deactivation, and at most the ones in flight at the kill.
      const inactive = new Set<string>();
      for (let start = 1; ; start += 100) {
        const page = (await scim(base, conn, 'GET', `/Users?startIndex=${start}&count=100`)).body;
        for (const u of page.Resources as { id: string; active: boolean }[]) if (!u.active) inactive.add(u.id);
        if (start + page.itemsPerPage > page.totalResults) break;
      }
      for (const id of answered) expect(inactive.has(id), `answered deactivation of ${id}`).toBe(true);
      expect(inactive.size - answered.size).toBeLessThanOrEqual(WORKERS);

      // One held change per inactive user, none for the others.
      const held = await heldChanges(api, conn.id, 50);
      const heldUsers = held.map((c) => c.userId);
      expect(heldUsers.length, 'one held change per user').toBe(new Set(heldUsers).size);
      expect(new Set(heldUsers)).toEqual(inactive);
      expect(held.every((c) => c.change === 'deactivation' && c.status === 'held')).toBe(true);
      const settings = await api('GET', `/api/v1/connections/${conn.id}/deprovisioning`);
      expect(settings.body).toMatchObject({ mode: 'review', held: held.length });

      // The app heard of none of it: no deactivation, all 300 active; the hold was announced once.
      const heard = await feed(api, db, 'user.deactivated,connection.deprovisioning_held');
      expect(heard.map((e) => e.type)).toEqual(['connection.deprovisioning_held']);
      expect(heard[0].data.reason).toBe('review');
      const before = await appView();
      expect(before.size).toBe(USERS);
      expect([...before.values()].every(Boolean), 'the app sees every user active').toBe(true);
      for (const id of heldUsers.slice(0, 10)) expect((await api('GET', `/api/v1/users/${id}`)).body.active, `app view of held user ${id}`).toBe(true);

      // Released: each deactivation reaches the app once, in the held order.
      const released = await api('POST', `/api/v1/connections/${conn.id}/held-changes/release`, {});
      expect(released.status, released.text).toBe(200);
      expect(released.body).toEqual({ released: held.length, remaining: 0 });
      expect((await feed(api, db, 'user.deactivated')).map((e) => e.data.id)).toEqual(heldUsers);
      const after = await appView();
      for (const id of users) expect(after.get(id), `app view of ${id}`).toBe(!inactive.has(id));
      expect((await api('GET', `/api/v1/connections/${conn.id}/deprovisioning`)).body).toMatchObject({ held: 0 });
    });
  });
}
