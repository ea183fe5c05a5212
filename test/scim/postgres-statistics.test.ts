/**
 * PostgreSQL planner statistics during a first import (src/db/postgres/statistics.ts): once a
 * table's rows have changed enough, the process analyzes it itself instead of waiting a minute or
 * more for autovacuum, and the userName lookup every IdP sends before a create uses its index; rows
 * count, not requests, so one PATCH adding many members is enough for the membership table. Once
 * the writes pause, the tables they grew are vacuumed, so pages read their ids from the index alone;
 * and looked at again once PostgreSQL's idle backends have reported the last of the import.
 */
import type { PostgresScimStorage } from '../../src/db/postgres/scim-storage.js';
import { sql } from 'kysely';
import pg from 'pg';
import { PostgresStatistics } from '../../src/db/postgres/statistics.js';
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { USER_URN, newScimClient, q } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

describe.runIf(dialectsUnderTest().includes('postgres'))('PostgreSQL statistics during an import', () => {
  const t = useTestApp('postgres');
  const statistics = () => (t.app.services.scim as PostgresScimStorage).statistics;
  const lastAnalyze = async (table: string) =>
    (await sql<{ at: string | null }>`select last_analyze as at from pg_stat_user_tables where relname = ${table}`.execute(t.db.kysely)).rows[0]?.at ?? null;

  /** Writes go on (each lets the process look at the counters, at most once a second) until `done` holds. */
  async function settled<T>(read: () => Promise<T | null>): Promise<T | null> {
    for (let i = 0; i < 40; i++) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      statistics().noteWrites();
      await statistics().idle();
      const value = await read();
      if (value !== null) return value;
    }
    return null;
  }

  it('analyzes the SCIM tables once their rows have grown, and lookups then use the userName index', async () => {
    const client = await newScimClient(t, await createTenant(t));
    const analyzed = () => lastAnalyze('scim_users');
    expect(await analyzed()).toBeNull();
    for (let start = 0; start < 1200; start += 400) {
      const bulk = await client.post('/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: Array.from({ length: 400 }, (_, k) => ({ method: 'POST', path: '/Users', bulkId: `b${start + k}`, data: { schemas: [USER_URN], userName: `imported.${start + k}@stats.test` } })),
      });
      expect(bulk.statusCode).toBe(200);
    }
    expect(await settled(() => analyzed())).not.toBeNull();

    const plan = await sql<{ 'QUERY PLAN': string }>`explain select r.id from scim_users r where r.connection_id = ${client.connectionId} and r.user_name_norm = ${'imported.7@stats.test'} and r.tenant_id = (select tenant_id from connections where id = ${client.connectionId}) order by r.created_at, r.id limit 100`.execute(t.db.kysely);
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('scim_users_user_name');
    const found = (await client.get(`/Users?filter=${q('userName eq "imported.7@stats.test"')}`)).json();
    expect(found.totalResults).toBe(1);
  }, 120_000);

  it('analyzes the memberships after one PATCH adds 1,000 members, and a page of users shows its groups', async () => {
    const client = await newScimClient(t, await createTenant(t));
    const ids: string[] = [];
    for (let start = 0; start < 1000; start += 500) {
      const bulk = await client.post('/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: Array.from({ length: 500 }, (_, k) => ({ method: 'POST', path: '/Users', bulkId: `m${start + k}`, data: { schemas: [USER_URN], userName: `member.${start + k}@stats.test` } })),
      });
      ids.push(...(bulk.json().Operations as { location: string }[]).map((o) => o.location.split('/').pop()!));
    }
    const before = await settled(() => lastAnalyze('scim_users'));
    const group = (await client.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Everyone' })).json();
    const patched = await client.patch(`/Groups/${group.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
    });
    expect(patched.statusCode).toBe(204);
    const after = await settled(async () => {
      const at = await lastAnalyze('scim_group_members');
      return at !== null && (before === null || new Date(at) > new Date(before)) ? at : null;
    });
    expect(after).not.toBeNull();
    const page = (await client.get('/Users?startIndex=1&count=100')).json();
    expect(page.Resources.every((u: { groups?: unknown[] }) => u.groups?.length === 1)).toBe(true);
  }, 120_000);

  it('looks again after a pause, when the rows a backend had not reported yet are counted', async () => {
    const lastVacuum = async () =>
      (await sql<{ at: string | null }>`select last_vacuum as at from pg_stat_user_tables where relname = 'scim_counts'`.execute(t.db.kysely)).rows[0]?.at ?? null;
    const before = await lastVacuum();
    // Another backend writes twice within a second: its first transaction's changes are reported at
    // once, the second's wait for PostgreSQL's idle interval (10 s), as the last of an import does.
    const other = new pg.Client({ connectionString: t.database.url });
    await other.connect();
    const statistics = new PostgresStatistics(t.db.kysely, 1000, 50, 400);
    try {
      await other.query(`insert into scim_counts (tenant_id, connection_id, resource_type, shard, n) values ('stats-lag', 'first', 'User', 0, 1)`);
      await other.query(`insert into scim_counts (tenant_id, connection_id, resource_type, shard, n) select 'stats-lag', 'c' || i, 'User', 0, 1 from generate_series(1, 600) i`);
      statistics.noteWrites();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await statistics.idle();
      // The pause's check did not see the 600 rows: nothing vacuumed yet.
      expect(await lastVacuum()).toEqual(before);
      // The backend reports now rather than in 10 s; the second look, 400 ms after the first, finds them.
      await other.query('select pg_stat_force_next_flush()');
      let after = before;
      for (let i = 0; i < 40 && String(after) === String(before); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        await statistics.idle();
        after = await lastVacuum();
      }
      expect(after).not.toEqual(before);
    } finally {
      statistics.stop();
      await other.end();
    }
  });

  it('vacuums the users once an import pauses, so their heap pages are all-visible', async () => {
    const client = await newScimClient(t, await createTenant(t));
    const vacuumed = async () =>
      (await sql<{ at: string | null; visible: number; pages: number }>`
        select s.last_vacuum as at, c.relallvisible as visible, c.relpages as pages
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid where s.relname = 'scim_users'`.execute(t.db.kysely)).rows[0];
    const before = (await vacuumed()).at;
    const bulk = await client.post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: Array.from({ length: 700 }, (_, k) => ({ method: 'POST', path: '/Users', bulkId: `v${k}`, data: { schemas: [USER_URN], userName: `vacuum.${k}@stats.test` } })),
    });
    expect(bulk.statusCode).toBe(200);
    // No more writes: the pause (2 s) lets the process vacuum, or, when the backend that ran the Bulk has not
    // reported its rows by then, the second look 11 s later; nothing else here runs VACUUM by hand.
    let state = await vacuumed();
    // Timestamps as text: two reads of one vacuum's time are equal, not the same object.
    for (let i = 0; i < 80 && (state.at === null || String(state.at) === String(before)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await statistics().idle();
      state = await vacuumed();
    }
    expect(state.at).not.toBeNull();
    expect(state.at).not.toEqual(before);
    expect(state.visible).toBeGreaterThan(0);
    expect(state.visible).toBeGreaterThanOrEqual(state.pages - 1);
  }, 120_000);
});
