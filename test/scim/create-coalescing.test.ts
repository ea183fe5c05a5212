/**
 * Concurrent SCIM creates share a statement on PostgreSQL (src/db/postgres/create-coalescer.ts) and
 * a commit on SQLite: each still applies whole or not at all, a taken userName fails only its own
 * create, and a statement that fails as a whole fails only the create that caused it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/open.js';
import { ScimError } from '../../src/scim/errors.js';
import { CreateCoalescer } from '../../src/db/postgres/create-coalescer.js';
import { UserService } from '../../src/scim/service/user-service.js';
import { createStatement, CreateRows } from '../../src/db/postgres/create-statement.js';
import type { ConnectionScope } from '../../src/scim/store/scope.js';
import { dialectsUnderTest, type TestDatabase } from '../support/databases.js';
import { openTestDb } from '../support/test-app.js';

const now = '2026-11-29T00:00:00.000Z';
const user = (userName: string, email = `${userName}@mail.test`) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName,
  emails: [{ value: email, type: 'work', primary: true }],
});

/** Settles every promise; the outcome of each, in order. */
async function outcomes<T>(promises: Promise<T>[]) {
  return (await Promise.allSettled(promises)).map((r) => (r.status === 'fulfilled' ? 'ok' : r.reason instanceof ScimError ? r.reason.status : r.reason));
}

for (const dialect of dialectsUnderTest()) {
  describe(`concurrent creates [${dialect}]`, () => {
    let database: TestDatabase;
    let db: Db;
    let users: UserService;
    const scope: ConnectionScope = { tenantId: 't', connectionId: 'c', emitEvents: true };
    const other: ConnectionScope = { tenantId: 't', connectionId: 'c2', emitEvents: true };

    beforeAll(async () => {
      ({ db, database } = await openTestDb(dialect));
      await db.kysely.insertInto('tenants').values({ id: 't', name: 'T', created_at: now, updated_at: now }).execute();
      for (const id of ['c', 'c2']) {
        await db.kysely.insertInto('connections').values({ id, tenant_id: 't', source: 'okta', connection_name: id, sync_to_user_management: 1, created_at: now, updated_at: now, last_sync_at: null }).execute();
      }
      users = new UserService(db.dialect.scim.storage(db));
    });

    afterAll(async () => {
      await db?.close();
      await database?.drop();
    });

    const create = (s: ConnectionScope, userName: string, email?: string) => users.create(s, 'https://x/scim', user(userName, email));
    const count = async (table: 'scim_users' | 'scim_user_emails' | 'events', where: string) =>
      Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} where ${sql.raw(where)}`.execute(db.kysely)).rows[0].n);

    it('writes 40 concurrent creates in two connections whole: rows, emails, one event each, counted once (on PostgreSQL in fewer statements than creates)', async () => {
      const names = Array.from({ length: 40 }, (_, i) => `many${i}`);
      const results = await outcomes(names.map((name, i) => create(i % 2 === 0 ? scope : other, name)));
      expect(results).toEqual(names.map(() => 'ok'));
      expect(await count('scim_users', "user_name like 'many%'")).toBe(40);
      expect(await count('scim_user_emails', "value_norm like 'many%'")).toBe(40);
      expect(await count('events', "type = 'user.created' and data like '%\"many%'")).toBe(40);
      const counted = await sql<{ connection_id: string; n: number }>`select connection_id, sum(n) as n from scim_counts where resource_type = 'User' group by connection_id order by connection_id`.execute(db.kysely);
      expect(counted.rows.map((r) => [r.connection_id, Number(r.n)])).toEqual([['c', 20], ['c2', 20]]);
      const blocks = await sql<{ n: number }>`select sum(n) as n from scim_order_blocks where resource_type = 'User'`.execute(db.kysely);
      expect(Number(blocks.rows[0].n)).toBe(40);
      if (dialect === 'postgres') {
        // They shared statements: fewer transactions than creates.
        const transactions = await sql<{ n: number }>`select count(distinct tx_order) as n from events where type = 'user.created' and data like '%"many%'`.execute(db.kysely);
        expect(Number(transactions.rows[0].n)).toBeLessThan(40);
      }
    });

    it('answers 409 to every create of one userName but one, and writes nothing of theirs', async () => {
      const results = await outcomes(Array.from({ length: 6 }, (_, i) => create(scope, 'Same.Name', `same${i}@mail.test`)));
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === 409)).toHaveLength(5);
      expect(await count('scim_users', "user_name_norm = 'same.name'")).toBe(1);
      expect(await count('scim_user_emails', "value_norm like 'same%'")).toBe(1);
      expect(await count('events', "type = 'user.created' and data like '%Same.Name%'")).toBe(1);
    });

    it('fails a create whose userName is stored already, beside creates that succeed', async () => {
      await create(scope, 'stored');
      const results = await outcomes([create(scope, 'beside1'), create(scope, 'STORED', 'again@mail.test'), create(scope, 'beside2')]);
      expect(results).toEqual(['ok', 409, 'ok']);
      expect(await count('scim_user_emails', "value_norm = 'again@mail.test'")).toBe(0);
      // Case-insensitive per connection: the other connection may have it.
      expect(await outcomes([create(other, 'STORED')])).toEqual(['ok']);
    });

    it('stores a userName with a lone UTF-16 surrogate instead of failing', async () => {
      const created = await create(scope, 'lone\ud800surrogate');
      expect(await count('scim_users', `id = '${String(created.resource.id)}'`)).toBe(1);
    });

    it("moves the connection's lastSync with its creates", async () => {
      await db.kysely.updateTable('connections').set({ last_sync_at: '2000-01-01T00:00:00.000Z' }).execute();
      // A fresh process: nothing of lastSync written yet, so the first create of each connection is due.
      const fresh = new UserService(db.dialect.scim.storage(db));
      await Promise.all([fresh.create(scope, 'https://x/scim', user('sync1')), fresh.create(other, 'https://x/scim', user('sync2'))]);
      const rows = await db.kysely.selectFrom('connections').select(['id', 'last_sync_at']).orderBy('id').execute();
      expect(rows.map((r) => [r.id, r.last_sync_at! > '2026-01-01'])).toEqual([['c', true], ['c2', true]]);
    });

    // PostgreSQL only (SQLite shares a commit, src/db/sqlite/group-commit.ts): registered there alone.
    if (dialect === 'postgres') {
      describe('PostgreSQL only: the statement that concurrent creates share', () => {
        /** The rows of a create of `userName` in `tenant`/`connection`, with an email and an event. */
        function rowsOf(userName: string, tenant = 't', connection = 'c'): CreateRows {
          const rows = new CreateRows();
          const id = `id-${userName}`;
          rows.add('scim_users', [{ id, tenant_id: tenant, connection_id: connection, user_name: userName, user_name_norm: userName.toLowerCase(), external_id: null, display_name: null, display_name_norm: null, given_name: null, family_name: null, email_norm: null, active: 1, detached: 0, resource: '{}', version: 1, created_at: now, updated_at: now }]);
          rows.add('scim_user_emails', [{ user_id: id, position: 0, connection_id: connection, value_norm: `${userName}@raw.test`, type: null, is_primary: 1 }]);
          rows.add('events', [{ id: `ev-${userName}`, type: 'user.created', tenant_id: tenant, connection_id: connection, resource_id: id, occurred_at: now, data: '{}' }], [
            { name: 'tx_order', sql: { postgres: 'pg_current_xact_id()::text::bigint', sqlite: '0' } },
          ]);
          return rows;
        }

        it('runs each create of a statement that failed as a whole alone: only the one that caused it fails', async () => {
          const coalescer = new CreateCoalescer(db.kysely);
          const sync = { asynchronous: false };
          // Submitted in one tick, so they share the first statement; the tenant of the third does not exist.
          const results = await outcomes([
            coalescer.insert(rowsOf('raw1'), sync),
            coalescer.insert(rowsOf('raw2'), sync),
            coalescer.insert(rowsOf('raw3', 'no-such-tenant'), sync),
            coalescer.insert(rowsOf('raw4'), sync),
          ]);
          expect(results.slice(0, 2)).toEqual(['ok', 'ok']);
          expect((results[2] as { code?: string }).code).toBe('23503');
          expect(results[3]).toBe('ok');
          expect(await count('scim_users', "user_name like 'raw%'")).toBe(3);
          expect(await count('scim_user_emails', "value_norm like 'raw%'")).toBe(3);
          expect(await count('events', "id like 'ev-raw%'")).toBe(3);
        });

        it('answers which creates were written: false for a taken key, whose rows are all skipped', async () => {
          const coalescer = new CreateCoalescer(db.kysely);
          const sync = { asynchronous: false };
          const taken = rowsOf('RAW1');
          (taken.tables[0].rows[0] as { id: string }).id = 'id-taken';
          const results = await Promise.all([coalescer.insert(rowsOf('raw5'), sync), coalescer.insert(taken, sync)]);
          expect(results).toEqual([true, false]);
          expect(await count('events', "id = 'ev-RAW1'")).toBe(0);
        });

        it('moves lastSync only for a connection that got a row', async () => {
          await db.kysely.updateTable('connections').set({ last_sync_at: '2000-01-01T00:00:00.000Z' }).execute();
          const coalescer = new CreateCoalescer(db.kysely);
          const lastSync = (connectionId: string) => ({ asynchronous: false, lastSync: { tenantId: 't', connectionId, now: '2026-11-29T12:00:00.000Z', before: '2026-11-29T11:59:59.000Z' } });
          const taken = rowsOf('raw6', 't', 'c2');
          (taken.tables[0].rows[0] as { user_name_norm: string }).user_name_norm = 'stored';
          expect(await Promise.all([coalescer.insert(rowsOf('raw7'), lastSync('c')), coalescer.insert(taken, lastSync('c2'))])).toEqual([true, false]);
          const rows = await db.kysely.selectFrom('connections').select(['id', 'last_sync_at']).orderBy('id').execute();
          expect(rows).toEqual([
            { id: 'c', last_sync_at: '2026-11-29T12:00:00.000Z' },
            { id: 'c2', last_sync_at: '2000-01-01T00:00:00.000Z' },
          ]);
        });

        it("writes a connection's creates in the order their places were taken, whenever their rows are ready", async () => {
          const coalescer = new CreateCoalescer(db.kysely);
          const sync = { asynchronous: false };
          const first = coalescer.reserve('t/c');
          const second = coalescer.reserve('t/c');
          const other = coalescer.reserve('t/c2');
          const earlier = rowsOf('order1');
          const later = rowsOf('order2');
          (later.tables[0].rows[0] as { user_name_norm: string }).user_name_norm = 'order1';
          // The later create is ready first, and a create of another connection is not held up by either.
          const laterResult = second.insert(later, sync);
          expect(await other.insert(rowsOf('order3', 't', 'c2'), sync)).toBe(true);
          await new Promise((resolve) => setTimeout(resolve, 20));
          expect(await count('scim_users', "id = 'id-order2'")).toBe(0);
          expect(await Promise.all([first.insert(earlier, sync), laterResult])).toEqual([true, false]);
        });

        it('lets the creates after a place that was given up go', async () => {
          const coalescer = new CreateCoalescer(db.kysely);
          const abandoned = coalescer.reserve('t/c');
          const next = coalescer.reserve('t/c').insert(rowsOf('order4'), { asynchronous: false });
          abandoned.cancel();
          expect(await next).toBe(true);
        });

        it('commits asynchronously only when asked, in its own transaction', async () => {
          const job = { rows: rowsOf('raw8') };
          expect(createStatement([job], true).sql).toContain("set_config('synchronous_commit', 'off', true)");
          expect(createStatement([job], false).sql).not.toContain('synchronous_commit');
          expect(await new CreateCoalescer(db.kysely).insert(rowsOf('raw8'), { asynchronous: true })).toBe(true);
          const setting = await sql<{ value: string }>`select current_setting('synchronous_commit') as value`.execute(db.kysely);
          expect(setting.rows[0].value).toBe('on');
        });
      });
    }
  });
}
