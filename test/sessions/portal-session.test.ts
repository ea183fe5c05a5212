/**
 * The self-service portal's cookie session: opened with a user token, it acts exactly as that token
 * on the SCIM configuration endpoints — its tenant only, its permissions, the builder switch — and
 * nowhere else; CSRF on unsafe methods; a cross-site (CHIPS) cookie over https.
 */
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/security/secrets.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { BASE, DELETE, READ, WRITE, mintToken, setSelfService } from '../self-service/support.js';
import { attributes, dashboardSignIn, portalSignIn, setCookie, setCookies, type Browser } from './support.js';

for (const dialect of dialectsUnderTest()) {
  describe(`portal session [${dialect}]`, () => {
    // Shorter than the default one-hour user token, so both bounds of the session's expiry show.
    const t = useTestApp(dialect, { UI_SESSION_TTL_SECONDS: '600' });
    let otherConnection: string;

    const as = (browser: Browser, method: 'GET' | 'POST' | 'DELETE', url: string, extra: { headers?: Record<string, string>; payload?: object; csrf?: boolean } = {}) =>
      t.app.inject({
        method,
        url,
        headers: { cookie: browser.cookie, ...(extra.csrf === false ? {} : { 'x-csrf-token': browser.csrf }), ...extra.headers },
        ...(extra.payload ? { payload: extra.payload } : {}),
      });

    it('opens with a valid user token: the session, and an HttpOnly, SameSite=None, Secure, Partitioned cookie', async () => {
      await createTenant(t, 'acme');
      await createTenant(t, 'other');
      otherConnection = (await createConnection(t, 'other')).id;
      await setSelfService(t, true);
      const token = await mintToken(t, { tenantId: 'acme', userId: 'u-1', email: 'admin@acme.test', permissions: [READ, WRITE] });
      const { res } = await portalSignIn(t, token);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['csrfToken', 'email', 'expiresAt', 'kind', 'permissions', 'scimProvisioning', 'tenantId', 'theme', 'userId']);
      expect(body.theme).toEqual({ brandColor: null, logoUrl: null, productName: null });
      expect(body).toMatchObject({ kind: 'portal', tenantId: 'acme', userId: 'u-1', email: 'admin@acme.test', scimProvisioning: true });
      expect(body.permissions.sort()).toEqual([READ, WRITE].sort());
      const attrs = attributes(setCookie(res, 'rollcall_portal'));
      expect(attrs.has('httponly')).toBe(true);
      expect(attrs.get('samesite')).toBe('None');
      expect(attrs.has('secure')).toBe(true);
      expect(attrs.has('partitioned')).toBe(true);
      expect(attrs.get('path')).toBe('/');
      // UI_SESSION_TTL_SECONDS (600) comes before the token's expiry (3600).
      expect(Number(attrs.get('max-age'))).toBe(600);
      expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(600_000);
      expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(590_000);
    });

    it("ends with the user token when that comes first, and stores the caller, never the token", async () => {
      const token = await mintToken(t, { tenantId: 'acme', userId: 'u-short', permissions: [READ], expiresIn: 120 });
      const browser = await portalSignIn(t, token);
      const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp;
      expect(browser.res.json().expiresAt).toBe(new Date(exp * 1000).toISOString());
      expect(Number(attributes(setCookie(browser.res, 'rollcall_portal')).get('max-age'))).toBeLessThanOrEqual(120);
      const row = await t.db.kysely.selectFrom('ui_sessions').selectAll().where('token_hash', '=', hashToken(browser.token)).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ kind: 'portal', tenant_id: 'acme', user_id: 'u-short', email: null, credential_id: null, issuer: 'rollcall' });
      expect(JSON.parse(row.permissions!)).toEqual([READ]);
      const stored = JSON.stringify(await t.db.kysely.selectFrom('ui_sessions').selectAll().execute());
      for (const secret of [browser.token, browser.csrf, token]) expect(stored).not.toContain(secret);
      expect(browser.res.json().email).toBeNull();
    });

    it('refuses an invalid user token with 401 and sets no cookie', async () => {
      const token = await mintToken(t, { tenantId: 'acme', permissions: [READ] });
      const [h, p] = token.split('.');
      for (const bad of ['nope', `${h}.${p}.AAAA`, `${h}.${p}`, 'rc_env_x']) {
        const res = await t.app.inject({ method: 'POST', url: '/ui/portal/session', payload: { token: bad } });
        expect(res.statusCode, bad).toBe(401);
        expect(setCookies(res)).toEqual([]);
      }
      for (const payload of [{}, { token: '' }, { token: 'x'.repeat(8193) }, { token: 5 }]) {
        expect((await t.app.inject({ method: 'POST', url: '/ui/portal/session', payload })).statusCode).toBe(400);
      }
    });

    it('answers GET /ui/portal/session while live, with the builder switch read live', async () => {
      const browser = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ] }));
      const res = await as(browser, 'GET', '/ui/portal/session');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(browser.res.json());
      await setSelfService(t, false);
      try {
        expect((await as(browser, 'GET', '/ui/portal/session')).json().scimProvisioning).toBe(false);
      } finally {
        await setSelfService(t, true);
      }
      for (const cookie of ['', 'rollcall_portal=rc_sess_forged', `rollcall_session=${browser.token}`]) {
        expect((await t.app.inject({ url: '/ui/portal/session', headers: { cookie } })).statusCode).toBe(401);
      }
    });

    it("lists only its own tenant's configurations, whatever tenant the request names", async () => {
      const own = await createConnection(t, 'acme');
      const browser = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ] }));
      const res = await as(browser, 'GET', BASE);
      expect(res.statusCode).toBe(200);
      const ids = res.json().map((c: { id: string; tenantId: string }) => c.id);
      expect(ids).toContain(own.id);
      expect(ids).not.toContain(otherConnection);
      expect(res.json().every((c: { tenantId: string }) => c.tenantId === 'acme')).toBe(true);
      expect((await as(browser, 'GET', `${BASE}/${otherConnection}`)).statusCode).toBe(404);
      for (const headers of [{ 'frontegg-tenant-id': 'other' }, { 'x-tenant-id': 'other' }] as Record<string, string>[]) {
        expect((await as(browser, 'GET', BASE, { headers })).statusCode).toBe(403);
      }
      expect((await as(browser, 'GET', `${BASE}?tenantId=other`)).statusCode).toBe(403);
    });

    it('needs the write permission to create and the delete permission to delete', async () => {
      const payload = { source: 'okta', connectionName: 'From the portal' };
      const reader = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ] }));
      const refused = await as(reader, 'POST', BASE, { payload });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().message).toContain(WRITE);
      const writer = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ, WRITE] }));
      const created = await as(writer, 'POST', BASE, { payload });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().tenantId).toBe('acme');
      const id = created.json().id;
      expect((await as(writer, 'DELETE', `${BASE}/${id}`)).statusCode).toBe(403);
      const deleter = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [DELETE] }));
      expect((await as(deleter, 'DELETE', `${BASE}/${otherConnection}`)).statusCode).toBe(404);
      expect((await as(deleter, 'DELETE', `${BASE}/${id}`)).statusCode).toBe(204);
    });

    it('needs the CSRF token on unsafe methods, and a same-site Origin', async () => {
      const writer = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ, WRITE] }));
      const payload = { source: 'okta', connectionName: 'Csrf' };
      for (const headers of [{}, { 'x-csrf-token': 'wrong' }] as Record<string, string>[]) {
        const res = await as(writer, 'POST', BASE, { payload, headers, csrf: false });
        expect(res.statusCode).toBe(403);
        expect(res.json().message).toBe('Missing or invalid CSRF token');
      }
      expect((await as(writer, 'POST', BASE, { payload, headers: { origin: 'https://vendor-app.example' } })).statusCode).toBe(403);
    });

    it('is refused (403) while the builder switch is off', async () => {
      const browser = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ] }));
      await setSelfService(t, false);
      try {
        const res = await as(browser, 'GET', BASE);
        expect(res.statusCode).toBe(403);
        expect(res.json().message).toBe('SCIM provisioning is not enabled for self-service');
      } finally {
        await setSelfService(t, true);
      }
    });

    it('opens nothing but the self-service routes (401)', async () => {
      const browser = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ, WRITE, DELETE] }));
      for (const url of ['/api/v1/webhooks', '/tenants/resources/tenants/v1', '/api/v1/settings']) {
        const res = await as(browser, 'GET', url);
        expect(res.statusCode, url).toBe(401);
      }
      const res = await as(browser, 'POST', '/api/v1/user-tokens', { payload: { tenantId: 'other', userId: 'x', permissions: [READ] } });
      expect(res.statusCode).toBe(401);
    });

    it('refuses an expired session (401)', async () => {
      const browser = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ] }));
      await t.db.kysely.updateTable('ui_sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('token_hash', '=', hashToken(browser.token)).execute();
      expect((await as(browser, 'GET', BASE)).statusCode).toBe(401);
      expect((await as(browser, 'GET', '/ui/portal/session')).statusCode).toBe(401);
    });

    it('lets an Authorization header win over the portal cookie', async () => {
      const browser = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ] }));
      // The environment token sees every tenant's configurations and opens routes the cookie would not.
      const list = await t.app.inject({ url: BASE, headers: { cookie: browser.cookie, authorization: t.auth } });
      expect(list.statusCode).toBe(200);
      expect(list.json().map((c: { id: string }) => c.id)).toContain(otherConnection);
      expect((await t.app.inject({ url: '/api/v1/webhooks', headers: { cookie: browser.cookie, authorization: t.auth } })).statusCode).toBe(200);
      expect((await t.app.inject({ url: BASE, headers: { cookie: browser.cookie, authorization: 'Bearer rc_env_nope' } })).statusCode).toBe(401);
    });

    it('gives way to a live dashboard session in the same browser', async () => {
      const portal = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ] }));
      const dashboard = await dashboardSignIn(t);
      const res = await t.app.inject({ url: '/api/v1/webhooks', headers: { cookie: `${portal.cookie}; ${dashboard.cookie}` } });
      expect(res.statusCode).toBe(200);
    });

    it('acts only with the portal session when the page says so (x-rollcall-session: portal), whatever else the browser holds', async () => {
      await createConnection(t, 'other');
      await createConnection(t, 'acme');
      const portal = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ] }));
      const dashboard = await dashboardSignIn(t);
      const cookie = `${portal.cookie}; ${dashboard.cookie}`;
      // The dashboard's rights are not borrowed: a management route refuses the portal session.
      expect((await t.app.inject({ url: '/api/v1/webhooks', headers: { cookie, 'x-rollcall-session': 'portal' } })).statusCode).toBe(401);
      const list = await t.app.inject({ url: '/directory/resources/v1/configurations/scim2', headers: { cookie, 'x-rollcall-session': 'portal' } });
      expect(list.statusCode).toBe(200);
      expect(new Set(list.json<{ tenantId: string }[]>().map((c) => c.tenantId))).toEqual(new Set(['acme']));
      // And the dashboard page names its own session.
      expect((await t.app.inject({ url: '/api/v1/webhooks', headers: { cookie, 'x-rollcall-session': 'dashboard' } })).statusCode).toBe(200);
    });

    it('signs out: DELETE needs the CSRF token, then the session is gone and the cookie cleared', async () => {
      const browser = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ] }));
      expect((await as(browser, 'DELETE', '/ui/portal/session', { csrf: false })).statusCode).toBe(403);
      const res = await as(browser, 'DELETE', '/ui/portal/session');
      expect(res.statusCode).toBe(204);
      const cleared = attributes(setCookie(res, 'rollcall_portal'));
      expect(cleared.get('max-age')).toBe('0');
      // A partitioned cookie is only cleared by a partitioned Set-Cookie.
      expect(cleared.has('partitioned')).toBe(true);
      expect((await as(browser, 'GET', BASE)).statusCode).toBe(401);
      const again = await t.app.inject({ method: 'DELETE', url: '/ui/portal/session' });
      expect(again.statusCode).toBe(204);
      expect(attributes(setCookie(again, 'rollcall_portal')).get('max-age')).toBe('0');
    });
  });
}

describe('portal cookie over plain http', () => {
  const [dialect] = dialectsUnderTest();
  const t = useTestApp(dialect, { PUBLIC_URL: 'http://localhost:3000' });

  it('is SameSite=Lax, neither Secure nor Partitioned (browsers refuse SameSite=None without Secure)', async () => {
    await createTenant(t, 'acme');
    const { res } = await portalSignIn(t, await mintToken(t, { tenantId: 'acme', permissions: [READ] }));
    const attrs = attributes(setCookie(res, 'rollcall_portal'));
    expect(attrs.get('samesite')).toBe('Lax');
    expect(attrs.has('secure')).toBe(false);
    expect(attrs.has('partitioned')).toBe(false);
    expect(attrs.has('httponly')).toBe(true);
  });
});
