/**
 * kill -9 of a `rollcall serve` process in the middle of a stream of creates and membership
 * changes. After a restart on the same database: every request that got a 2xx is there, nothing is
 * half-applied (a group's version, its member rows and its membership events always agree), and
 * the event feed matches the data exactly (each user has one user.created; replaying the
 * membership events gives the member lists).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../support/databases.js';
import type { ServeProcess } from '../support/process.js';
import { GROUP_URN, USER_URN, call, createConnection, envAuth, kill9, patchOp, scim, serve, type Conn } from './cluster.js';

const WORKERS = 6;
const GROUPS = 5;

type Op = { kind: 'add' | 'remove'; acked: boolean };

for (const dialect of dialectsUnderTest()) {
  describe(`crash safety [${dialect}]`, () => {
    let database: TestDatabase;
    let server: ServeProcess | undefined;
    afterAll(async () => {
      if (server) await kill9(server);
      await database?.drop();
    });

    it('loses nothing acknowledged and half-applies nothing when killed with SIGKILL mid-stream', async () => {
      database = await createTestDatabase(dialect);
      server = await serve(database.url, { SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0' });
      const conn: Conn = await createConnection(server.url, await envAuth(server.url), 'crash');
      const groups: string[] = [];
      for (let g = 0; g < GROUPS; g++) groups.push((await scim(server.url, conn, 'POST', '/Groups', { schemas: [GROUP_URN], displayName: `Crash ${g}` })).body.id);

      // What the "IdP" was told: users created, and per (group, user) pair the operations in order.
      const createdUsers = new Map<string, string>();
      const pairOps = new Map<string, Op[]>();
      const url = server.url;
      let alive = true;
      const worker = async (w: number) => {
        const mine: string[] = [];
        for (let i = 0; alive; i++) {
          const userName = `w${w}.u${i}@crash.test`;
          const created = await scim(url, conn, 'POST', '/Users', { schemas: [USER_URN], userName, emails: [{ value: userName, type: 'work' }] });
          if (created.status !== 201) {
            // Only the kill may interrupt the stream: a connection error, never an error status.
            expect(created.status, created.text).toBe(0);
            return;
          }
          createdUsers.set(created.body.id, userName);
          const pair = `${groups[(w + i) % GROUPS]}|${created.body.id}`;
          const ops: Op[] = [{ kind: 'add', acked: false }];
          pairOps.set(pair, ops);
          const [groupId, userId] = pair.split('|');
          const add = await scim(url, conn, 'PATCH', `/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: userId }] }));
          if (add.status !== 204) return expect(add.status, add.text).toBe(0);
          ops[0].acked = true;
          mine.push(pair);
          // Every third round, take an earlier member out again.
          if (i % 3 === 2) {
            const victim = mine.shift()!;
            const [g, u] = victim.split('|');
            const victimOps = pairOps.get(victim)!;
            const op: Op = { kind: 'remove', acked: false };
            victimOps.push(op);
            const removed = await scim(url, conn, 'PATCH', `/Groups/${g}`, patchOp({ op: 'remove', path: `members[value eq "${u}"]` }));
            if (removed.status !== 204) return expect(removed.status, removed.text).toBe(0);
            op.acked = true;
          }
        }
      };
      const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
      await new Promise((r) => setTimeout(r, 1500));
      await kill9(server);
      alive = false;
      await Promise.all(workers);
      expect(createdUsers.size).toBeGreaterThan(50);

      // Restart on the same database: SQLite replays its WAL, PostgreSQL rolled back the open transactions.
      server = await serve(database.url, { SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0' });
      const auth = await envAuth(server.url);

      // 1. Every acknowledged create is there, as sent.
      const users = new Map<string, string>();
      for (let start = 1; ; start += 1000) {
        const page = (await scim(server.url, conn, 'GET', `/Users?startIndex=${start}&count=1000`)).body;
        for (const u of page.Resources) users.set(u.id, u.userName);
        if (start + page.itemsPerPage > page.totalResults) break;
      }
      for (const [id, userName] of createdUsers) expect(users.get(id), `acknowledged user ${userName}`).toBe(userName);
      // At most the creates in flight at the kill (one per worker) exist without an acknowledgement.
      expect(users.size - createdUsers.size).toBeLessThanOrEqual(WORKERS);

      // 2. Memberships: an acknowledged last operation on a pair decides its state.
      const members = new Map<string, Set<string>>();
      const versions = new Map<string, number>();
      for (const g of groups) {
        const group = (await scim(server.url, conn, 'GET', `/Groups/${g}`)).body;
        members.set(g, new Set((group.members ?? []).map((m: { value: string }) => m.value)));
        versions.set(g, Number(/W\/"(\d+)"/.exec(group.meta.version)![1]));
      }
      for (const [pair, ops] of pairOps) {
        const last = ops[ops.length - 1];
        if (!last.acked) continue;
        const [g, u] = pair.split('|');
        expect(members.get(g)!.has(u), `${last.kind} of ${pair} was acknowledged`).toBe(last.kind === 'add');
      }

      // 3. The event feed agrees with the data.
      const events: { type: string; data: { id?: string; groupId?: string; userId?: string } }[] = [];
      for (let after = ''; ; ) {
        const page = (await call(`${server.url}/api/v1/events?limit=500${after ? `&after=${after}` : ''}`, { headers: { authorization: auth } })).body;
        events.push(...page.items);
        if (page.items.length === 0) break;
        after = page.nextCursor;
      }
      const createdEvents = new Map<string, number>();
      for (const e of events.filter((x) => x.type === 'user.created')) createdEvents.set(e.data.id!, (createdEvents.get(e.data.id!) ?? 0) + 1);
      expect(createdEvents.size).toBe(users.size);
      for (const id of users.keys()) expect(createdEvents.get(id), `user.created of ${id}`).toBe(1);
      // Replaying membership events in feed order gives exactly the member rows; and each group's
      // version is one per change, so no change wrote its row without its event or version, or the reverse.
      const replayed = new Map<string, Set<string>>(groups.map((g) => [g, new Set<string>()]));
      const changes = new Map<string, number>();
      for (const e of events) {
        if (e.type !== 'group.user_added' && e.type !== 'group.user_removed') continue;
        const set = replayed.get(e.data.groupId!)!;
        if (e.type === 'group.user_added') set.add(e.data.userId!);
        else set.delete(e.data.userId!);
        changes.set(e.data.groupId!, (changes.get(e.data.groupId!) ?? 0) + 1);
      }
      for (const g of groups) {
        expect([...replayed.get(g)!].sort(), `members of ${g}`).toEqual([...members.get(g)!].sort());
        expect(versions.get(g), `version of ${g}`).toBe(1 + (changes.get(g) ?? 0));
      }

      // 4. And the restarted process takes writes.
      expect((await scim(server.url, conn, 'POST', '/Users', { schemas: [USER_URN], userName: 'after.restart@crash.test' })).status).toBe(201);
    }, 60_000);
  });
}
