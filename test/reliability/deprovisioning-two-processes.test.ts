/**
 * The deprovisioning guard across two `rollcall serve` processes on one database, no sticky routing:
 * 40 deactivations sent at once, half through each process, against a guard of 20 users and 10 %.
 * The connection's deprovisioning_settings row, locked in each SCIM write, serialises the decisions
 * of both processes: exactly 20 reach the app, 20 are held, and the guard announces itself once.
 * Releasing them gives the app the other 20, in the order they were held. Both dialects: two
 * processes share a SQLite file too (test/reliability/two-processes.test.ts), one writer at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/open.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../support/databases.js';
import type { ServeProcess } from '../support/process.js';
import { createConnection, envAuth, kill9, scim, tally, type Conn } from './cluster.js';
import { appUsers, createUsers, deactivate, feed, heldChanges, managementApi, serveUnlimited, type Api } from './deprovisioning-support.js';

const USERS = 100;
const DEACTIVATED = 40;
const GUARD = { enabled: true, maxUsers: 20, maxPercent: 10, windowMinutes: 60 };
/** Held changes are read 7 at a time and the app's users 30 at a time: several pages of each. */
const HELD_PAGE = 7;
const USERS_PAGE = 30;

for (const dialect of dialectsUnderTest()) {
  describe(`the deprovisioning guard across two processes on one ${dialect} database`, () => {
    let database: TestDatabase;
    let db: Db;
    let a: ServeProcess;
    let b: ServeProcess;
    /** Management API requests go to process a. */
    let api: Api;
    let conn: Conn;
    const via = (i: number) => (i % 2 === 0 ? a.url : b.url);

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      [a, b] = await Promise.all([serveUnlimited(database.url), serveUnlimited(database.url)]);
      db = openDatabase(database.url, { poolSize: 2 });
      const auth = await envAuth(a.url);
      api = managementApi(a.url, auth);
      conn = await createConnection(b.url, auth, 'guard-two-procs');
    });
    afterAll(async () => {
      for (const p of [a, b]) if (p) await kill9(p);
      await db?.close();
      await database?.drop();
    });

    it('applies exactly 20 of 40 concurrent deactivations, holds 20 and announces once; a release gives the rest in held order', { timeout: 60_000 }, async () => {
      const set = await api('PUT', `/api/v1/connections/${conn.id}/deprovisioning`, { mode: 'automatic', guard: GUARD });
      expect(set.status, set.text).toBe(200);
      expect(set.body).toMatchObject({ mode: 'automatic', guard: GUARD, tripped: false, held: 0 });

      const users = await createUsers(b.url, conn, USERS, 'guard.test');

      // The IdP deactivates 40 at once, half through each process.
      const leavers = users.slice(0, DEACTIVATED);
      const results = await Promise.all(leavers.map((id, i) => deactivate(via(i), conn, id)));
      expect(tally(results.map((r) => r.status)), results.find((r) => r.status !== 200)?.text).toEqual({ 200: DEACTIVATED });
      for (const r of results) expect(r.body.active).toBe(false);

      // The IdP's state: every SCIM row says inactive, through either process.
      for (const [i, id] of leavers.entries()) expect((await scim(via(i + 1), conn, 'GET', `/Users/${id}`)).body.active, `SCIM user ${id}`).toBe(false);

      // The app's view: 20 went, 20 are held, one announcement.
      const heard = await feed(api, db, 'user.deactivated,connection.deprovisioning_held');
      const deactivated = heard.filter((e) => e.type === 'user.deactivated');
      expect(deactivated).toHaveLength(GUARD.maxUsers);
      const applied = new Set(deactivated.map((e) => e.data.id!));
      expect(applied.size).toBe(GUARD.maxUsers);
      const held = await heldChanges(api, conn.id, HELD_PAGE);
      expect(held).toHaveLength(DEACTIVATED - GUARD.maxUsers);
      expect(held.every((c) => c.change === 'deactivation' && c.status === 'held')).toBe(true);
      const heldUsers = held.map((c) => c.userId);
      // Each leaver either applied or held, never both, never neither.
      expect([...applied, ...heldUsers].sort()).toEqual([...leavers].sort());
      const settings = await api('GET', `/api/v1/connections/${conn.id}/deprovisioning`);
      expect(settings.body).toMatchObject({ tripped: true, held: DEACTIVATED - GUARD.maxUsers });
      const announced = heard.filter((e) => e.type === 'connection.deprovisioning_held');
      expect(announced).toHaveLength(1);
      // The 21st counted user tripped it, out of the 100 active before the window's deprovisioning.
      expect(announced[0].data).toMatchObject({ reason: 'guard', deprovisioned: GUARD.maxUsers + 1, activeUsers: USERS });

      const seen = await appUsers(api, conn.id, USERS_PAGE);
      expect(seen).toHaveLength(USERS);
      expect(seen.filter((u) => u.active)).toHaveLength(USERS - GUARD.maxUsers);
      expect(new Set(seen.filter((u) => !u.active).map((u) => u.id))).toEqual(applied);
      expect(await appUsers(api, conn.id, USERS_PAGE, '&active=true')).toHaveLength(USERS - GUARD.maxUsers);
      for (const id of heldUsers) expect((await api('GET', `/api/v1/users/${id}`)).body.active, `app view of held user ${id}`).toBe(true);

      // Released: the app hears the other 20, in the order they were held.
      const released = await api('POST', `/api/v1/connections/${conn.id}/held-changes/release`, {});
      expect(released.status, released.text).toBe(200);
      expect(released.body).toEqual({ released: DEACTIVATED - GUARD.maxUsers, remaining: 0 });
      const after = await feed(api, db, 'user.deactivated');
      expect(after).toHaveLength(DEACTIVATED);
      expect(after.slice(0, GUARD.maxUsers)).toEqual(deactivated);
      expect(after.slice(GUARD.maxUsers).map((e) => e.data.id)).toEqual(heldUsers);
      expect(await heldChanges(api, conn.id, HELD_PAGE)).toEqual([]);
      expect((await api('GET', `/api/v1/connections/${conn.id}/deprovisioning`)).body).toMatchObject({ tripped: false, held: 0 });
      expect(await appUsers(api, conn.id, USERS_PAGE, '&active=true')).toHaveLength(USERS - DEACTIVATED);
    });
  });
}
