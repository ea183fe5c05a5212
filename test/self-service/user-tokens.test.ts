/**
 * POST /api/v1/user-tokens: what a minted token carries, its limits, how its permissions are
 * resolved, the signing key every instance shares, and that a user token is never an environment
 * token on the management API.
 */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { PUBLIC_URL, useTestApp } from '../support/test-app.js';
import { BASE, DELETE, READ, WRITE, bearer, mintToken, payloadOf, setSelfService, show } from './support.js';

const URL = '/api/v1/user-tokens';
const CONFIGURED_KEY = 'configured-user-token-signing-key-0123456789';

for (const dialect of dialectsUnderTest()) {
  describe(`user tokens [${dialect}]`, () => {
    const t = useTestApp(dialect, { AUTH_FAILURE_LIMIT: '0' });
    const mint = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: URL, headers: { authorization: t.auth }, payload });

    it('mints a signed JWT with sub, tenantId, permissions and a one-hour expiry, and a portal URL', async () => {
      await createTenant(t, 'acme');
      const res = await mint({ tenantId: 'acme', userId: 'u-42', email: 'admin@acme.test', permissions: [READ] });
      expect(res.statusCode, show(res)).toBe(201);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['expiresIn', 'portalUrl', 'token']);
      expect(body.expiresIn).toBe(3600);
      expect(body.portalUrl).toBe(`${PUBLIC_URL}/portal?token=${body.token}`);
      const [header] = body.token.split('.');
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256', typ: 'JWT', kid: expect.stringMatching(/^rc-[0-9a-f]{12}$/) });
      const claims = payloadOf(body.token);
      expect(claims).toMatchObject({ iss: PUBLIC_URL, aud: `${PUBLIC_URL}/portal`, sub: 'u-42', tenantId: 'acme', email: 'admin@acme.test', permissions: [READ], roles: [] });
      expect(claims.exp - claims.iat).toBe(3600);
      expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(5);
      expect(claims.jti).toEqual(expect.any(String));
    });

    it('takes expiresIn up to 24 hours and refuses more (or less than a minute)', async () => {
      const day = await mint({ tenantId: 'acme', userId: 'u', expiresIn: 86_400 });
      expect(day.statusCode).toBe(201);
      expect(day.json().expiresIn).toBe(86_400);
      const claims = payloadOf(day.json().token);
      expect(claims.exp - claims.iat).toBe(86_400);
      for (const expiresIn of [86_401, 59, 0, -1, 1.5, '3600']) {
        const res = await mint({ tenantId: 'acme', userId: 'u', expiresIn });
        expect(res.statusCode, `${expiresIn}: ${res.body}`).toBe(400);
        expect(res.json().field).toBe('expiresIn');
      }
    });

    it('resolves permissions from roles, adds explicit ones, and falls back to the default role', async () => {
      const admin = payloadOf(await mintToken(t, { tenantId: 'acme', roles: ['admin'] }));
      expect(admin.roles).toEqual(['admin']);
      expect([...admin.permissions].sort()).toEqual([DELETE, READ, WRITE].sort());
      const both = payloadOf(await mintToken(t, { tenantId: 'acme', roles: ['read-only'], permissions: ['app.billing.read'] }));
      expect(both.permissions.sort()).toEqual(['app.billing.read', READ].sort());
      const fallback = payloadOf(await mintToken(t, { tenantId: 'acme' }));
      expect(fallback).toMatchObject({ roles: ['read-only'], permissions: [READ] });
      const none = payloadOf(await mintToken(t, { tenantId: 'acme', permissions: [] }));
      expect(none).toMatchObject({ roles: [], permissions: [] });
    });

    it('refuses unknown roles and tenants and malformed input', async () => {
      const unknownRole = await mint({ tenantId: 'acme', userId: 'u', roles: ['admin', 'superuser'] });
      expect(unknownRole.statusCode).toBe(400);
      expect(unknownRole.json()).toMatchObject({ field: 'roles', message: expect.stringContaining('superuser') });
      expect((await mint({ tenantId: 'nobody', userId: 'u' })).statusCode).toBe(404);
      for (const payload of [{ tenantId: 'acme' }, { userId: 'u' }, { tenantId: 'acme', userId: '' }, { tenantId: 'acme', userId: 'u', email: 'not-an-email' }, { tenantId: 'acme', userId: 'u', permissions: ['has space'] }, { tenantId: 'acme', userId: 'u', extra: 1 }]) {
        const res = await mint(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      }
    });

    it('signs with one key per environment, kept in the database and shared by every instance', async () => {
      const token = await mintToken(t, { tenantId: 'acme', permissions: [READ] });
      await setSelfService(t, true);
      const keys = await t.db.kysely.selectFrom('settings').select('key').where('key', '=', 'user-tokens.signing-key').execute();
      expect(keys).toHaveLength(1);
      // A second instance on the same database verifies the first one's token, and its own tokens open the first.
      const second = await buildApp({ config: t.config, db: t.db });
      await second.ready();
      try {
        expect((await second.inject({ url: BASE, headers: bearer(token) })).statusCode).toBe(200);
        const credential = await second.services.auth.createCredential('second');
        const exchanged = await second.services.auth.exchange(credential.clientId, credential.secret);
        const minted = await second.inject({ method: 'POST', url: URL, headers: { authorization: `Bearer ${exchanged!.token}` }, payload: { tenantId: 'acme', userId: 'u', permissions: [READ] } });
        expect((await t.app.inject({ url: BASE, headers: bearer(minted.json().token) })).statusCode).toBe(200);
      } finally {
        await second.close();
      }
      expect(await t.db.kysely.selectFrom('settings').select('key').where('key', '=', 'user-tokens.signing-key').execute()).toHaveLength(1);
      // The settings API never shows the key.
      expect((await t.app.inject({ url: '/api/v1/settings', headers: { authorization: t.auth } })).body).not.toContain('signing');
    });

    it('is not an environment token: every management route answers 401', async () => {
      const token = await mintToken(t, { tenantId: 'acme', permissions: [READ, WRITE, DELETE] });
      const connection = await t.app.inject({ method: 'POST', url: BASE, headers: { authorization: t.auth, 'frontegg-tenant-id': 'acme' }, payload: { source: 'okta', connectionName: 'c' } });
      const id = connection.json().id;
      const routes: [string, string, unknown?][] = [
        ['GET', '/tenants/resources/tenants/v1'],
        ['POST', '/tenants/resources/tenants/v1', { name: 'Evil' }],
        ['GET', '/tenants/resources/tenants/v1/acme'],
        ['DELETE', '/tenants/resources/tenants/v1/acme'],
        ['PATCH', `${BASE}/${id}`, { syncToUserManagement: false }],
        ['GET', '/api/v1/events'],
        ['GET', '/api/v1/tenants/acme/users'],
        ['GET', '/api/v1/tenants/acme/groups'],
        ['GET', '/api/v1/logs'],
        ['GET', '/api/v1/webhooks'],
        ['GET', '/api/v1/roles'],
        ['POST', '/api/v1/roles', { key: 'evil', name: 'Evil', permissions: [READ] }],
        ['PATCH', '/api/v1/roles/admin', { name: 'Evil' }],
        ['DELETE', '/api/v1/roles/admin'],
        ['GET', '/api/v1/permissions'],
        ['PUT', '/api/v1/tenants/acme/groups/g1/roles', { roleKeys: ['admin'] }],
        ['GET', '/api/v1/settings'],
        ['PATCH', '/api/v1/settings', { selfService: { scimProvisioning: false } }],
        ['POST', URL, { tenantId: 'acme', userId: 'u', roles: ['admin'] }],
        ['GET', '/api/v1/audit'],
      ];
      for (const [method, url, payload] of routes) {
        const res = await t.app.inject({ method: method as 'GET', url, headers: bearer(token), ...(payload ? { payload: payload } : {}) });
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(401);
        expect(res.json().message).toContain('environment token');
      }
      expect((await t.app.inject({ url: '/api/v1/roles/admin', headers: { authorization: t.auth } })).json().name).toBe('Admin');
      expect((await t.app.inject({ url: '/tenants/resources/tenants/v1/acme', headers: { authorization: t.auth } })).statusCode).toBe(200);
    });

    it('does not open the SCIM server', async () => {
      const token = await mintToken(t, { tenantId: 'acme', permissions: [READ, WRITE, DELETE] });
      const [connection] = (await t.app.inject({ url: `${BASE}?tenantId=acme`, headers: { authorization: t.auth } })).json();
      const res = await t.app.inject({ url: `/directory/resources/scim/v2.0/${connection.id}/Users`, headers: bearer(token) });
      expect(res.statusCode).toBe(401);
    });
  });

  describe(`user tokens with USER_TOKEN_SIGNING_KEY [${dialect}]`, () => {
    const t = useTestApp(dialect, { USER_TOKEN_SIGNING_KEY: CONFIGURED_KEY });

    it('signs with the configured key and stores none', async () => {
      await createTenant(t, 'acme');
      await setSelfService(t, true);
      const token = await mintToken(t, { tenantId: 'acme', permissions: [READ] });
      expect((await t.app.inject({ url: BASE, headers: bearer(token) })).statusCode).toBe(200);
      expect(await t.db.kysely.selectFrom('settings').select('key').where('key', '=', 'user-tokens.signing-key').execute()).toHaveLength(0);
      const { createHmac } = await import('node:crypto');
      const [h, p, s] = token.split('.');
      expect(createHmac('sha256', CONFIGURED_KEY).update(`${h}.${p}`).digest('base64url')).toBe(s);
    });
  });
}
