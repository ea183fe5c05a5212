/**
 * A member row belongs to a group that exists, on both databases: SQLite by its foreign key,
 * PostgreSQL by the statement triggers of migration 0011 that took the key's place.
 */
import { Migrator, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isForeignKeyViolation } from '../../src/db/errors.js';
import { migrations } from '../../src/db/migrations/index.js';
import type { Db } from '../../src/db/open.js';
import { dialectsUnderTest, type TestDatabase } from '../support/databases.js';
import { openTestDb } from '../support/test-app.js';

const NOW = '2026-01-01T00:00:00.000Z';

for (const dialect of dialectsUnderTest()) {
  describe(`member rows and their group [${dialect}]`, () => {
    let db: Db;
    let database: TestDatabase;

    const group = (id: string, tenantId = 't1') =>
      db.kysely
        .insertInto('scim_groups')
        .values({ id, tenant_id: tenantId, connection_id: 'c1', display_name: id, display_name_norm: id, external_id: null, detached: 0, resource: '{}', version: 1, created_at: NOW, updated_at: NOW })
        .execute();
    const member = (groupId: string, memberId: string, tenantId = 't1') => ({ group_id: groupId, member_id: memberId, member_type: 'User', tenant_id: tenantId, connection_id: 'c1', created_at: NOW });
    const membersOf = async (groupId: string) =>
      (await db.kysely.selectFrom('scim_group_members').select('member_id').where('group_id', '=', groupId).orderBy('member_id').execute()).map((r) => r.member_id);
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );

    beforeAll(async () => {
      ({ db, database } = await openTestDb(dialect));
    });
    afterAll(async () => {
      await db?.close();
      await database?.drop();
    });
    beforeEach(async () => {
      await db.kysely.deleteFrom('tenants').execute();
      await db.kysely.deleteFrom('scim_group_members').execute();
      for (const id of ['t1', 't2']) await db.kysely.insertInto('tenants').values({ id, name: id, created_at: NOW, updated_at: NOW }).execute();
    });

    it('refuses member rows naming a group that does not exist, the whole statement, as a foreign key violation', async () => {
      await group('g1');
      const error = await refusal(db.kysely.insertInto('scim_group_members').values([member('g1', 'u1'), member('nope', 'u2')]).execute());
      expect(isForeignKeyViolation(error)).toBe(true);
      expect(await membersOf('g1')).toEqual([]);
      await db.kysely.insertInto('scim_group_members').values([member('g1', 'u1'), member('g1', 'u2')]).execute();
      expect(await membersOf('g1')).toEqual(['u1', 'u2']);
      expect(isForeignKeyViolation(await refusal(db.kysely.updateTable('scim_group_members').set({ group_id: 'nope' }).where('member_id', '=', 'u1').execute()))).toBe(true);
      expect(await membersOf('g1')).toEqual(['u1', 'u2']);
    });

    it('deleting groups deletes their member rows and no others: one group, several, a tenant', async () => {
      for (const id of ['g1', 'g2', 'g3']) await group(id);
      await group('g4', 't2');
      await db.kysely
        .insertInto('scim_group_members')
        .values([member('g1', 'u1'), member('g1', 'u2'), member('g2', 'u1'), member('g3', 'u3'), member('g4', 'u9', 't2')])
        .execute();
      await db.kysely.deleteFrom('scim_groups').where('id', '=', 'g1').execute();
      expect(await membersOf('g1')).toEqual([]);
      expect(await membersOf('g2')).toEqual(['u1']);
      await db.kysely.deleteFrom('scim_groups').where('id', 'in', ['g2', 'g3']).execute();
      expect([...(await membersOf('g2')), ...(await membersOf('g3'))]).toEqual([]);
      await group('g5');
      await db.kysely.insertInto('scim_group_members').values(member('g5', 'u5')).execute();
      await db.kysely.deleteFrom('tenants').where('id', '=', 't1').execute();
      expect(await membersOf('g5')).toEqual([]);
      expect(await membersOf('g4')).toEqual(['u9']);
    });

    if (dialect === 'postgres') {
      describe('PostgreSQL only: members and group deletes in concurrent transactions', () => {
        /** A client of its own, for a transaction beside the pool's. */
        async function client<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
          const c = new pg.Client({ connectionString: database.url });
          await c.connect();
          try {
            return await fn(c);
          } finally {
            await c.end();
          }
        }
        const insertMember = (c: pg.Client, groupId: string, memberId: string) =>
          c.query(`insert into scim_group_members (group_id, member_id, member_type, tenant_id, connection_id, created_at) values ($1, $2, 'User', 't1', 'c1', $3)`, [groupId, memberId, NOW]);

        it('a group deleted while members are being added to it keeps none of them', async () => {
          await group('g1');
          await client(async (adder) => {
            await adder.query('begin');
            await insertMember(adder, 'g1', 'u1');
            // The delete waits for the adder's lock on the group, then sees its committed rows.
            const deleted = db.kysely.deleteFrom('scim_groups').where('id', '=', 'g1').execute();
            await new Promise((resolve) => setTimeout(resolve, 200));
            await adder.query('commit');
            await deleted;
          });
          expect(await membersOf('g1')).toEqual([]);
        });

        it('members added to a group whose delete is under way are refused once it commits', async () => {
          await group('g1');
          await client(async (deleter) => {
            await deleter.query('begin');
            await deleter.query(`delete from scim_groups where id = 'g1'`);
            const added = refusal(db.kysely.insertInto('scim_group_members').values(member('g1', 'u1')).execute());
            await new Promise((resolve) => setTimeout(resolve, 200));
            await deleter.query('commit');
            expect(isForeignKeyViolation(await added)).toBe(true);
          });
          expect(await membersOf('g1')).toEqual([]);
        });

        it('migration 0011 rolled back puts the foreign key back, and forward again takes it away', async () => {
          const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
          const constraint = async () =>
            (await sql<{ n: number }>`select count(*)::int as n from pg_constraint where conname = 'scim_group_members_group_id_fkey'`.execute(db.kysely)).rows[0].n;
          expect(await constraint()).toBe(0);
          expect((await migrator.migrateTo('0010-sqlite-insert-counting')).error).toBeUndefined();
          expect(await constraint()).toBe(1);
          const triggers = await sql<{ n: number }>`select count(*)::int as n from pg_trigger where tgname like 'scim_group%_group_%' or tgname = 'scim_groups_members_delete'`.execute(db.kysely);
          expect(triggers.rows[0].n).toBe(0);
          await group('g1');
          expect(isForeignKeyViolation(await refusal(db.kysely.insertInto('scim_group_members').values(member('nope', 'u1')).execute()))).toBe(true);
          expect((await migrator.migrateToLatest()).error).toBeUndefined();
          expect(await constraint()).toBe(0);
        });
      });
    }
  });
}
