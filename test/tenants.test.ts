import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from './support/databases.js';
import { createConnection, createTenant } from './support/fixtures.js';
import { useTestApp } from './support/test-app.js';

const BASE = '/tenants/resources/tenants/v1';

for (const dialect of dialectsUnderTest()) {
  describe(`tenants API [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const headers = () => ({ authorization: t.auth });

    it('creates a tenant with a chosen id, and 409 on a duplicate', async () => {
      const res = await t.app.inject({ method: 'POST', url: BASE, headers: headers(), payload: { tenantId: 'acme-corp', name: 'Acme Corp' } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ tenantId: 'acme-corp', name: 'Acme Corp' });
      expect(res.json().createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      const dup = await t.app.inject({ method: 'POST', url: BASE, headers: headers(), payload: { tenantId: 'acme-corp', name: 'Again' } });
      expect(dup.statusCode).toBe(409);
      expect(dup.json()).toMatchObject({ code: 'conflict', field: 'tenantId' });
    });

    it('generates a tenant id when none is given', async () => {
      const res = await t.app.inject({ method: 'POST', url: BASE, headers: headers(), payload: { name: 'Generated' } });
      expect(res.statusCode).toBe(201);
      expect(res.json().tenantId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it.each([
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name: 5 }, 'name'],
      [{ name: 'ok', tenantId: 'has spaces' }, 'tenantId'],
      [{ name: 'ok', tenantId: 'x'.repeat(129) }, 'tenantId'],
    ])('rejects %j naming %s', async (payload, field) => {
      const res = await t.app.inject({ method: 'POST', url: BASE, headers: headers(), payload });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', field });
    });

    it('pages the list with a true total', async () => {
      for (let i = 0; i < 7; i++) await createTenant(t, `page-${i}`, `Paged ${i}`);
      const first = (await t.app.inject({ url: `${BASE}?_limit=3&_offset=0&_filter=paged`, headers: headers() })).json();
      expect(first.items.map((x: { tenantId: string }) => x.tenantId)).toEqual(['page-0', 'page-1', 'page-2']);
      expect(first._metadata).toMatchObject({ totalItems: 7, totalPages: 3 });
      const last = (await t.app.inject({ url: `${BASE}?_limit=3&_offset=6&_filter=PAGED`, headers: headers() })).json();
      expect(last.items.map((x: { tenantId: string }) => x.tenantId)).toEqual(['page-6']);
      const bad = await t.app.inject({ url: `${BASE}?_limit=0`, headers: headers() });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().field).toBe('querystring._limit');
    });

    it('treats LIKE wildcards in the search literally', async () => {
      await createTenant(t, 'wild-1', 'Fifty%Off');
      const res = (await t.app.inject({ url: `${BASE}?_filter=${encodeURIComponent('%off')}`, headers: headers() })).json();
      expect(res.items.map((x: { name: string }) => x.name)).toEqual(['Fifty%Off']);
    });

    it('gets one tenant and answers 404 for an unknown one', async () => {
      await createTenant(t, 'get-me', 'Get Me');
      expect((await t.app.inject({ url: `${BASE}/get-me`, headers: headers() })).json().name).toBe('Get Me');
      const missing = await t.app.inject({ url: `${BASE}/nobody`, headers: headers() });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe('not_found');
    });

    it('deleting a tenant deletes its connections, tokens and provisioned data', async () => {
      const tenantId = await createTenant(t, 'doomed', 'Doomed');
      const keep = await createTenant(t, 'kept', 'Kept');
      const doomed = await createConnection(t, tenantId);
      const kept = await createConnection(t, keep);
      const now = new Date().toISOString();
      for (const [tenant, connection] of [[tenantId, doomed.id], [keep, kept.id]]) {
        await t.db.kysely.insertInto('scim_users').values({
          id: `u-${connection}`, tenant_id: tenant, connection_id: connection, user_name: 'a@x', user_name_norm: 'a@x',
          external_id: null, display_name: null, display_name_norm: null, given_name: null, family_name: null, email_norm: null,
          active: 1, resource: '{}', version: 1, created_at: now, updated_at: now,
        }).execute();
      }
      const res = await t.app.inject({ method: 'DELETE', url: `${BASE}/doomed`, headers: headers() });
      expect(res.statusCode).toBe(204);
      expect((await t.app.inject({ url: `${BASE}/doomed`, headers: headers() })).statusCode).toBe(404);
      const users = await t.db.kysely.selectFrom('scim_users').select('tenant_id').execute();
      expect(users.map((u) => u.tenant_id)).toEqual(['kept']);
      const tokens = await t.db.kysely.selectFrom('connection_tokens').select('tenant_id').execute();
      expect(tokens.map((x) => x.tenant_id)).not.toContain('doomed');
      expect(await t.app.services.connections.authenticateScim(doomed.id, doomed.token)).toBeUndefined();
      expect(await t.app.services.connections.authenticateScim(kept.id, kept.token)).toBeDefined();
      expect((await t.app.inject({ method: 'DELETE', url: `${BASE}/doomed`, headers: headers() })).statusCode).toBe(404);
    });
  });
}
