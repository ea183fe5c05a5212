/**
 * A Bulk's writes are made durable together, before it answers: each operation runs with
 * `flushAtEnd` (PostgreSQL then commits it without waiting for the WAL flush), and one
 * `UnitOfWork.flush` after them — whenever an operation was applied, failures included.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/open.js';
import { WriteBatch } from '../../src/db/postgres/write-batch.js';
import { BulkService, BULK_REQUEST_SCHEMA } from '../../src/scim/service/bulk-service.js';
import { GroupService } from '../../src/scim/service/group-service.js';
import { UserService } from '../../src/scim/service/user-service.js';
import type { ConnectionScope } from '../../src/scim/store/scope.js';
import { dialectsUnderTest, type TestDatabase } from '../support/databases.js';
import { openTestDb } from '../support/test-app.js';

const now = '2026-11-29T00:00:00.000Z';
const user = (userName: string) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName });

for (const dialect of dialectsUnderTest()) {
  describe(`Bulk durability [${dialect}]`, () => {
    let database: TestDatabase;
    let db: Db;
    const scope: ConnectionScope = { tenantId: 't', connectionId: 'c', emitEvents: true };

    beforeAll(async () => {
      ({ db, database } = await openTestDb(dialect));
      await db.kysely.insertInto('tenants').values({ id: 't', name: 'T', created_at: now, updated_at: now }).execute();
      await db.kysely.insertInto('connections').values({ id: 'c', tenant_id: 't', source: 'okta', connection_name: 'C', sync_to_user_management: 1, created_at: now, updated_at: now, last_sync_at: null }).execute();
    });

    afterAll(async () => {
      await db?.close();
      await database?.drop();
    });

    /** A Bulk whose writes and flushes are recorded: the scope each create ran with, and each flush. */
    function recordedBulk() {
      const storage = db.dialect.scim.storage(db);
      const tx = storage.writes;
      const users = new UserService(storage);
      const writes: ConnectionScope[] = [];
      const flushes: ConnectionScope[] = [];
      const recordingUsers = Object.assign(Object.create(users) as UserService, {
        create: (s: ConnectionScope, baseUrl: string, body: unknown) => {
          writes.push(s);
          return users.create(s, baseUrl, body);
        },
      });
      const bulk = new BulkService(recordingUsers, new GroupService(storage), {
        flush: async (s) => {
          flushes.push(s);
          await tx.flush(s);
        },
      });
      return { bulk, writes, flushes };
    }

    it('runs the operations with flushAtEnd and flushes once after them', async () => {
      const { bulk, writes, flushes } = recordedBulk();
      const results = await bulk.execute(scope, 'https://x/scim', { schemas: [BULK_REQUEST_SCHEMA], Operations: [1, 2, 3].map((i) => ({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: user(`u${i}@bulk.test`) })) }, 10);
      expect(results.map((r) => r.status)).toEqual(['201', '201', '201']);
      expect(writes.map((s) => s.flushAtEnd)).toEqual([true, true, true]);
      expect(flushes).toEqual([scope]);
      expect(await db.kysely.selectFrom('scim_users').select('user_name').where('connection_id', '=', 'c').orderBy('user_name').execute()).toEqual([
        { user_name: 'u1@bulk.test' },
        { user_name: 'u2@bulk.test' },
        { user_name: 'u3@bulk.test' },
      ]);
    });

    it('flushes when some operations failed, and not when none applied', async () => {
      const some = recordedBulk();
      const mixed = await some.bulk.execute(scope, 'https://x/scim', {
        schemas: [BULK_REQUEST_SCHEMA],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'dup', data: user('u1@bulk.test') },
          { method: 'POST', path: '/Users', bulkId: 'new', data: user('u4@bulk.test') },
        ],
      }, 10);
      expect(mixed.map((r) => r.status)).toEqual(['409', '201']);
      expect(some.flushes).toHaveLength(1);

      const none = recordedBulk();
      const failed = await none.bulk.execute(scope, 'https://x/scim', { schemas: [BULK_REQUEST_SCHEMA], Operations: [{ method: 'POST', path: '/Users', bulkId: 'dup', data: user('u2@bulk.test') }] }, 10);
      expect(failed.map((r) => r.status)).toEqual(['409']);
      expect(none.flushes).toHaveLength(0);
    });

    it('flush writes the connection\'s lastSync on PostgreSQL (the synchronous commit that flushes the WAL), nothing on SQLite (its commits are durable already)', async () => {
      await db.kysely.updateTable('connections').set({ last_sync_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', 'c').execute();
      await db.dialect.scim.storage(db).writes.flush(scope);
      const row = await db.kysely.selectFrom('connections').select('last_sync_at').where('id', '=', 'c').executeTakeFirstOrThrow();
      expect(row.last_sync_at! > '2026-01-01').toBe(dialect === 'postgres');
    });

    // PostgreSQL only (SQLite writes no batch): registered there alone, so no run reports it skipped.
    if (dialect === 'postgres') it('PostgreSQL only: an asynchronous write batch applies its writes, guarded or not', async () => {
      const plain = new WriteBatch();
      plain.commitAsync();
      plain.add('scim_counts', [{ tenant_id: 't', connection_id: 'probe', resource_type: 'User', shard: 0, n: 1 }]);
      plain.addStatement((p) => `update connections set connection_name = ${p('Renamed')} where id = ${p('c')}`);
      expect(plain.compile()!.sql).toContain("set_config('synchronous_commit', 'off', true)");
      expect(await plain.execute(db.kysely)).toBe(true);

      const guarded = new WriteBatch();
      guarded.guard((p) => `select id from connections where id = ${p('c')}`);
      guarded.commitAsync();
      guarded.add('scim_counts', [{ tenant_id: 't', connection_id: 'probe', resource_type: 'User', shard: 1, n: 5 }]);
      expect(await guarded.execute(db.kysely)).toBe(true);

      const counts = await sql<{ shard: number; n: string }>`select shard, n from scim_counts where connection_id = 'probe' order by shard`.execute(db.kysely);
      expect(counts.rows.map((r) => [r.shard, Number(r.n)])).toEqual([[0, 1], [1, 5]]);
      expect((await db.kysely.selectFrom('connections').select('connection_name').where('id', '=', 'c').executeTakeFirstOrThrow()).connection_name).toBe('Renamed');
      // The setting was the statement's own: the connection commits synchronously again.
      const setting = await sql<{ value: string }>`select current_setting('synchronous_commit') as value`.execute(db.kysely);
      expect(setting.rows[0].value).toBe('on');
    });
  });
}
