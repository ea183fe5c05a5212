/**
 * PostgreSQL planner statistics during a first import (src/db/postgres-statistics.ts): once a
 * process has written enough, it analyzes the SCIM tables itself instead of waiting a minute or more
 * for autovacuum, and the userName lookup every IdP sends before a create uses its index.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { ScimTransactions } from '../../src/scim/service/transactions.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { USER_URN, newScimClient, q } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

describe.runIf(dialectsUnderTest().includes('postgres'))('PostgreSQL statistics during an import', () => {
  const t = useTestApp('postgres');

  it('analyzes the SCIM tables after 1,000 writes, and lookups then use the userName index', async () => {
    const client = await newScimClient(t, await createTenant(t));
    const analyzed = async () =>
      (await sql<{ at: string | null }>`select last_analyze as at from pg_stat_user_tables where relname = 'scim_users'`.execute(t.db.kysely)).rows[0]?.at ?? null;
    expect(await analyzed()).toBeNull();
    for (let start = 0; start < 1200; start += 400) {
      const bulk = await client.post('/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: Array.from({ length: 400 }, (_, k) => ({ method: 'POST', path: '/Users', bulkId: `b${start + k}`, data: { schemas: [USER_URN], userName: `imported.${start + k}@stats.test` } })),
      });
      expect(bulk.statusCode).toBe(200);
    }
    await (t.app.services.users as unknown as { tx: ScimTransactions }).tx.statistics!.idle();
    expect(await analyzed()).not.toBeNull();

    const plan = await sql<{ 'QUERY PLAN': string }>`explain select r.id from scim_users r where r.connection_id = ${client.connectionId} and r.user_name_norm = ${'imported.7@stats.test'} and r.tenant_id = (select tenant_id from connections where id = ${client.connectionId}) order by r.created_at, r.id limit 100`.execute(t.db.kysely);
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('scim_users_user_name');
    const found = (await client.get(`/Users?filter=${q('userName eq "imported.7@stats.test"')}`)).json();
    expect(found.totalResults).toBe(1);
  }, 120_000);
});
