/**
 * A connection change and its audit entry commit together: with a trigger this test adds to the
 * real database refusing connection audit entries, every change — create, update, delete, token
 * issue and revoke, IP allowlist — is answered 500 saying so and leaves the connection as it was;
 * once the trigger is gone, each commits with its entry.
 */
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { scimClient } from '../support/scim-requests.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { getJson, provisioner } from '../directory/support.js';
import { BASE, show } from './support.js';

const REFUSED = 'The change was not made: its audit entry could not be written';

/** Makes the database refuse every `connection.*` audit entry, as a full disk or a broken grant would. */
async function refuseConnectionAudit(t: TestApp): Promise<void> {
  if (t.database.dialect === 'sqlite') {
    await sql`create trigger test_refuse_connection_audit before insert on audit_log when new.action like 'connection.%'
      begin select raise(abort, 'audit refused by the test'); end`.execute(t.db.kysely);
    return;
  }
  await sql`create or replace function test_refuse_audit() returns trigger language plpgsql as $$
    begin raise exception 'audit refused by the test'; end $$`.execute(t.db.kysely);
  await sql`create trigger test_refuse_connection_audit before insert on audit_log for each row
    when (new.action like 'connection.%') execute function test_refuse_audit()`.execute(t.db.kysely);
}

async function allowAudit(t: TestApp): Promise<void> {
  await sql`drop trigger if exists test_refuse_connection_audit${sql.raw(t.database.dialect === 'postgres' ? ' on audit_log' : '')}`.execute(t.db.kysely);
}

for (const dialect of dialectsUnderTest()) {
  describe(`connection changes and their audit entries commit together [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const env = (tenantId?: string) => ({ authorization: t.auth, ...(tenantId ? { 'frontegg-tenant-id': tenantId } : {}) });
    const auditCount = async () => (await getJson(t, '/api/v1/audit?tenantId=atomic&limit=500')).items.length;
    // Read from the table: the feed may hold back committed events while an older transaction runs.
    const eventCount = async () =>
      Number((await t.db.kysely.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', 'atomic').executeTakeFirstOrThrow()).n);
    const expectRefused = (res: { statusCode: number; json(): any; body: string }) => {
      expect(res.statusCode, res.body).toBe(500);
      expect(res.json()).toMatchObject({ code: 'internal', message: REFUSED });
    };
    let conn: { id: string; token: string };

    beforeAll(async () => {
      await createTenant(t, 'atomic');
      conn = await createConnection(t, 'atomic');
    });
    afterEach(() => allowAudit(t));

    it('rolls back a create, an update and a delete whose entry cannot be written', async () => {
      const p = await provisioner(t, 'atomic');
      await p.user('kept@atomic.test');
      const entries = await auditCount();
      const events = await eventCount();
      await refuseConnectionAudit(t);

      expectRefused(await t.app.inject({ method: 'POST', url: BASE, headers: env('atomic'), payload: { source: 'okta', connectionName: 'Never made' } }));
      expect(await getJson(t, `${BASE}?connectionName=Never%20made`)).toEqual([]);

      expectRefused(await t.app.inject({ method: 'PATCH', url: `${BASE}/${p.id}`, headers: env(), payload: { connectionName: 'Never renamed', syncToUserManagement: false } }));
      expect(await getJson(t, `${BASE}/${p.id}`)).toMatchObject({ connectionName: 'okta connection', syncToUserManagement: true });

      expectRefused(await t.app.inject({ method: 'DELETE', url: `${BASE}/${p.id}?removeUsersAndGroups=true`, headers: env() }));
      await getJson(t, `${BASE}/${p.id}`);
      expect((await p.get('/Users')).json().totalResults).toBe(1);

      expect(await auditCount()).toBe(entries);
      expect(await eventCount()).toBe(events);

      await allowAudit(t);
      expect((await t.app.inject({ method: 'DELETE', url: `${BASE}/${p.id}?removeUsersAndGroups=true`, headers: env() })).statusCode).toBe(204);
      const [latest] = (await getJson(t, '/api/v1/audit?tenantId=atomic&limit=1')).items;
      expect(latest).toMatchObject({ action: 'connection.deleted', target: { id: p.id }, data: { removeUsersAndGroups: true } });
    });

    it('rolls back token issue and revocation, and an IP allowlist change', async () => {
      const tokens = () => getJson(t, `/api/v1/connections/${conn.id}/tokens`);
      const spare = await t.app.inject({ method: 'POST', url: `/api/v1/connections/${conn.id}/tokens`, headers: env(), payload: {} });
      expect(spare.statusCode, show(spare)).toBe(201);
      const before = (await tokens()).items;
      const entries = await auditCount();
      await refuseConnectionAudit(t);

      expectRefused(await t.app.inject({ method: 'POST', url: `/api/v1/connections/${conn.id}/tokens`, headers: env(), payload: {} }));
      expectRefused(await t.app.inject({ method: 'DELETE', url: `/api/v1/connections/${conn.id}/tokens/${spare.json().id}`, headers: env() }));
      expect((await tokens()).items).toEqual(before);
      // The token whose revocation was refused still opens the connection.
      expect((await scimClient(t, { id: conn.id, token: spare.json().token }).get('/Users')).statusCode).toBe(200);

      expectRefused(await t.app.inject({ method: 'PUT', url: `/api/v1/connections/${conn.id}/ip-allowlist`, headers: env(), payload: { ipAllowlist: ['203.0.113.0/24'] } }));
      expect(await getJson(t, `/api/v1/connections/${conn.id}/ip-allowlist`)).toEqual({ ipAllowlist: [] });
      expect((await scimClient(t, conn).get('/Users')).statusCode).toBe(200);
      expect(await auditCount()).toBe(entries);

      await allowAudit(t);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/connections/${conn.id}/tokens/${spare.json().id}`, headers: env() })).statusCode).toBe(204);
      expect(await auditCount()).toBe(entries + 1);
    });
  });
}
