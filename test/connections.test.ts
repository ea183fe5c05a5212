import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from './support/databases.js';
import { createConnection, createTenant } from './support/fixtures.js';
import { PUBLIC_URL, useTestApp, type TestApp } from './support/test-app.js';

const BASE = '/directory/resources/v1/configurations/scim2';

/** Inserts one user, one group and a membership for a connection, as the SCIM server would. */
async function provision(t: TestApp, tenantId: string, connectionId: string): Promise<void> {
  const now = new Date().toISOString();
  await t.db.kysely.insertInto('scim_users').values({
    id: `u-${connectionId}`, tenant_id: tenantId, connection_id: connectionId, user_name: 'Ann@X', user_name_norm: 'ann@x',
    external_id: null, display_name: null, display_name_norm: null, given_name: null, family_name: null, email_norm: null,
    active: 1, resource: '{}', version: 1, created_at: now, updated_at: now,
  }).execute();
  await t.db.kysely.insertInto('scim_groups').values({
    id: `g-${connectionId}`, tenant_id: tenantId, connection_id: connectionId, display_name: 'Eng', display_name_norm: 'eng',
    external_id: null, resource: '{}', version: 1, created_at: now, updated_at: now,
  }).execute();
  await t.db.kysely.insertInto('scim_group_members').values({
    group_id: `g-${connectionId}`, member_id: `u-${connectionId}`, member_type: 'User', tenant_id: tenantId, connection_id: connectionId, created_at: now,
  }).execute();
}

async function counts(t: TestApp, connectionId: string) {
  const one = async (table: 'scim_users' | 'scim_groups' | 'scim_group_members') =>
    Number((await t.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('connection_id', '=', connectionId).executeTakeFirstOrThrow()).n);
  const detached = await t.db.kysely.selectFrom('scim_users').select('detached').where('connection_id', '=', connectionId).execute();
  return { users: await one('scim_users'), groups: await one('scim_groups'), members: await one('scim_group_members'), detached: detached.map((d) => d.detached) };
}

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM configurations API [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const headers = (tenantId?: string) => ({ authorization: t.auth, ...(tenantId ? { 'frontegg-tenant-id': tenantId } : {}) });

    it('creates a connection with a one-time token and a provisioning URL', async () => {
      await createTenant(t, 'acme');
      const res = await t.app.inject({ method: 'POST', url: BASE, headers: headers('acme'), payload: { source: 'azure-ad', connectionName: 'Entra', syncToUserManagement: false } });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({ tenantId: 'acme', source: 'azure-ad', connectionName: 'Entra', syncToUserManagement: false });
      expect(body.provisioningUrl).toBe(`${PUBLIC_URL}/directory/resources/scim/v2.0/${body.id}`);
      expect(body.token).toMatch(/^rc_scim_[A-Za-z0-9_-]{43}$/); // 32 random bytes = 256 bits
      expect(Object.keys(body).sort()).toEqual(['connectionName', 'createdAt', 'id', 'lastSync', 'provisioningUrl', 'source', 'syncToUserManagement', 'tenantId', 'token', 'type']);
      expect(body.type).toBe('scim');
      const stored = JSON.stringify(await t.db.kysely.selectFrom('connection_tokens').selectAll().execute());
      expect(stored).not.toContain(body.token);
      // Never again: GET and list carry no token and no hash.
      const one = await t.app.inject({ url: `${BASE}/${body.id}`, headers: headers() });
      expect(one.statusCode).toBe(200);
      expect(one.body).not.toContain('token');
      const list = await t.app.inject({ url: BASE, headers: headers() });
      expect(list.body).not.toContain('rc_scim_');
      expect(list.body).not.toMatch(/hash/i);
    });

    it('accepts the x-tenant-id alias and several connections per tenant', async () => {
      await createTenant(t, 'multi');
      for (const source of ['okta', 'azure-ad']) {
        const res = await t.app.inject({ method: 'POST', url: BASE, headers: { authorization: t.auth, 'x-tenant-id': 'multi' }, payload: { source, connectionName: source } });
        expect(res.statusCode).toBe(201);
        expect(res.json().syncToUserManagement).toBe(true);
      }
      const list = (await t.app.inject({ url: `${BASE}?tenantId=multi`, headers: headers() })).json();
      expect(list.map((c: { source: string }) => c.source)).toEqual(['okta', 'azure-ad']);
    });

    it('rejects bad input with a 400 naming the field, writing nothing', async () => {
      await createTenant(t, 'strict');
      const before = await t.db.kysely.selectFrom('connections').select('id').execute();
      const cases: [Record<string, string>, unknown, string][] = [
        [headers('strict'), { source: 'google', connectionName: 'x' }, 'source'],
        [headers('strict'), { source: 'okta' }, 'connectionName'],
        [headers('strict'), { source: 'okta', connectionName: '   ' }, 'connectionName'],
        [headers('strict'), { source: 'okta', connectionName: 'x'.repeat(201) }, 'connectionName'],
        [headers('strict'), { source: 'okta', connectionName: 'x', syncToUserManagement: 'yes' }, 'syncToUserManagement'],
        [headers(), { source: 'okta', connectionName: 'x' }, 'headers.frontegg-tenant-id'],
        [headers('bad tenant!'), { source: 'okta', connectionName: 'x' }, 'headers.frontegg-tenant-id'],
      ];
      for (const [h, payload, field] of cases) {
        const res = await t.app.inject({ method: 'POST', url: BASE, headers: h, payload: payload as object });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().field).toBe(field);
      }
      const unknownSource = await t.app.inject({ method: 'POST', url: BASE, headers: headers('strict'), payload: { source: 'google', connectionName: 'x' } });
      expect(unknownSource.json().message).toContain('okta, azure-ad, onelogin, jumpcloud, rippling, pingone, other');
      const malformed = await t.app.inject({ method: 'POST', url: BASE, headers: { ...headers('strict'), 'content-type': 'application/json' }, payload: '{"source":"okta",' });
      expect(malformed.statusCode).toBe(400);
      expect(await t.db.kysely.selectFrom('connections').select('id').execute()).toEqual(before);
    });

    it('answers 404 for an unknown tenant and an unknown connection', async () => {
      const res = await t.app.inject({ method: 'POST', url: BASE, headers: headers('ghost'), payload: { source: 'okta', connectionName: 'x' } });
      expect(res.statusCode).toBe(404);
      for (const method of ['GET', 'DELETE'] as const) {
        expect((await t.app.inject({ method, url: `${BASE}/nope`, headers: headers() })).statusCode).toBe(404);
      }
      expect((await t.app.inject({ method: 'PATCH', url: `${BASE}/nope`, headers: headers(), payload: { syncToUserManagement: true } })).statusCode).toBe(404);
    });

    it('filters the list by tenantId, source, connectionName and id', async () => {
      await createTenant(t, 'filter-a');
      await createTenant(t, 'filter-b');
      const a = await createConnection(t, 'filter-a', 'onelogin');
      await createConnection(t, 'filter-b', 'jumpcloud');
      const query = async (q: string) => (await t.app.inject({ url: `${BASE}?${q}`, headers: headers() })).json().map((c: { id: string }) => c.id);
      expect(await query('tenantId=filter-a')).toEqual([a.id]);
      expect(await query(`id=${a.id}`)).toEqual([a.id]);
      expect(await query('source=onelogin&tenantId=filter-b')).toEqual([]);
      expect(await query('connectionName=onelogin%20connection&tenantId=filter-a')).toEqual([a.id]);
      expect((await t.app.inject({ url: `${BASE}?source=nope`, headers: headers() })).statusCode).toBe(400);
    });

    it('PATCH toggles syncToUserManagement and validates its body', async () => {
      await createTenant(t, 'patchy');
      const c = await createConnection(t, 'patchy');
      const res = await t.app.inject({ method: 'PATCH', url: `${BASE}/${c.id}`, headers: headers(), payload: { syncToUserManagement: false } });
      expect(res.statusCode).toBe(204);
      expect((await t.app.inject({ url: `${BASE}/${c.id}`, headers: headers() })).json().syncToUserManagement).toBe(false);
      for (const payload of [{}, { syncToUserManagement: 'no' }, { token: 'x' }]) {
        expect((await t.app.inject({ method: 'PATCH', url: `${BASE}/${c.id}`, headers: headers(), payload })).statusCode).toBe(400);
      }
    });

    it('DELETE with removeUsersAndGroups=true removes everything the connection provisioned', async () => {
      await createTenant(t, 'del-true');
      const c = await createConnection(t, 'del-true');
      const other = await createConnection(t, 'del-true', 'azure-ad');
      await provision(t, 'del-true', c.id);
      await provision(t, 'del-true', other.id);
      const res = await t.app.inject({ method: 'DELETE', url: `${BASE}/${c.id}?removeUsersAndGroups=true`, headers: headers() });
      expect(res.statusCode).toBe(204);
      expect(await counts(t, c.id)).toEqual({ users: 0, groups: 0, members: 0, detached: [] });
      expect(await counts(t, other.id)).toEqual({ users: 1, groups: 1, members: 1, detached: [0] });
      expect(await t.app.services.connections.authenticateScim(c.id, c.token)).toBeUndefined();
      expect((await t.app.inject({ url: `${BASE}/${c.id}`, headers: headers() })).statusCode).toBe(404);
    });

    it('DELETE defaults to keeping users and groups, detached, and stops the token at once', async () => {
      await createTenant(t, 'del-false');
      const c = await createConnection(t, 'del-false');
      await provision(t, 'del-false', c.id);
      expect(await t.app.services.connections.authenticateScim(c.id, c.token)).toMatchObject({ tenantId: 'del-false', connectionId: c.id });
      const res = await t.app.inject({ method: 'DELETE', url: `${BASE}/${c.id}`, headers: headers() });
      expect(res.statusCode).toBe(204);
      expect(await counts(t, c.id)).toEqual({ users: 1, groups: 1, members: 1, detached: [1] });
      expect(await t.app.services.connections.authenticateScim(c.id, c.token)).toBeUndefined();
      const bad = await t.app.inject({ method: 'DELETE', url: `${BASE}/${c.id}?removeUsersAndGroups=maybe`, headers: headers() });
      expect(bad.statusCode).toBe(400);
    });

    it('a token opens only its own connection', async () => {
      await createTenant(t, 'iso');
      const a = await createConnection(t, 'iso');
      const b = await createConnection(t, 'iso');
      expect(await t.app.services.connections.authenticateScim(b.id, a.token)).toBeUndefined();
      expect(await t.app.services.connections.authenticateScim(a.id, b.token)).toBeUndefined();
      expect(await t.app.services.connections.authenticateScim(a.id, `${a.token}x`)).toBeUndefined();
      expect(await t.app.services.connections.authenticateScim(a.id, a.token)).toBeDefined();
    });
  });
}
