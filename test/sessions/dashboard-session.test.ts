/**
 * The dashboard's cookie session: sign-in with a vendor credential, the cookie's attributes, the
 * session standing in for an environment token on the management API, CSRF and Origin checks on
 * unsafe methods, expiry, sign-out, storage as a hash, and the Authorization header winning.
 */
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/security/secrets.js';
import { dialectsUnderTest } from '../support/databases.js';
import { PUBLIC_URL, useTestApp } from '../support/test-app.js';
import { attributes, dashboardSignIn, setCookie, setCookies } from './support.js';

const TENANTS = '/tenants/resources/tenants/v1';
const CSRF_MESSAGE = 'Missing or invalid CSRF token';

for (const dialect of dialectsUnderTest()) {
  describe(`dashboard session [${dialect}]`, () => {
    const t = useTestApp(dialect);

    it('signs in with a vendor credential: 200 with the session, and an HttpOnly, SameSite=Strict, Secure cookie', async () => {
      const { res, clientId, token } = await dashboardSignIn(t);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['clientId', 'credentialName', 'csrfToken', 'expiresAt', 'kind']);
      expect(body).toMatchObject({ kind: 'dashboard', clientId, credentialName: 'ui', csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(28_700_000);
      expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(28_800_000);
      expect(token).toMatch(/^rc_sess_[A-Za-z0-9_-]{43}$/);
      expect(body.csrfToken).not.toBe(token);
      const attrs = attributes(setCookie(res, 'rollcall_session'));
      expect(attrs.has('httponly')).toBe(true);
      expect(attrs.get('samesite')).toBe('Strict');
      expect(attrs.get('path')).toBe('/');
      expect(attrs.get('max-age')).toBe('28800');
      // PUBLIC_URL of the tests is https.
      expect(attrs.has('secure')).toBe(true);
      expect(attrs.has('partitioned')).toBe(false);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('answers GET /ui/session with the same session while the cookie is live, 401 for a cookie that opens none', async () => {
      const browser = await dashboardSignIn(t, 'Ops team laptop');
      const res = await t.app.inject({ url: '/ui/session', headers: { cookie: browser.cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(browser.res.json());
      expect(res.json().credentialName).toBe('Ops team laptop');
      for (const cookie of ['rollcall_session=rc_sess_forged', `rollcall_session=${browser.token}x`]) {
        const none = await t.app.inject({ url: '/ui/session', headers: { cookie } });
        expect(none.statusCode, cookie).toBe(401);
        expect(none.json().code).toBe('unauthorized');
      }
    });

    it('answers GET /ui/session without a dashboard cookie with 204: the sign-in page asks on every load', async () => {
      const browser = await dashboardSignIn(t);
      // No cookie, another cookie, the portal's cookie, or the empty one a sign-out leaves: nobody is signed in.
      for (const cookie of [undefined, 'other=1', `rollcall_portal=${browser.token}`, 'rollcall_session=']) {
        const none = await t.app.inject({ url: '/ui/session', headers: cookie ? { cookie } : {} });
        expect(none.statusCode, String(cookie)).toBe(204);
        expect(none.body).toBe('');
        expect(setCookies(none)).toEqual([]);
      }
    });

    it('refuses a wrong secret and an unknown clientId with 401, and validates the body', async () => {
      const credential = await t.app.services.auth.createCredential('wrong');
      for (const payload of [{ clientId: credential.clientId, secret: 'nope' }, { clientId: 'nobody', secret: credential.secret }]) {
        const res = await t.app.inject({ method: 'POST', url: '/ui/session', payload });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ code: 'unauthorized', message: 'Invalid clientId or secret' });
        expect(setCookies(res)).toEqual([]);
      }
      for (const payload of [{}, { clientId: 'x' }, { clientId: 'x'.repeat(201), secret: 'y' }, { clientId: 'x', secret: 'y'.repeat(257) }, { clientId: 1, secret: 'y' }]) {
        const res = await t.app.inject({ method: 'POST', url: '/ui/session', payload });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      }
    });

    it('opens the management API like an environment token: reads with the cookie alone', async () => {
      const browser = await dashboardSignIn(t);
      const res = await t.app.inject({ url: TENANTS, headers: { cookie: browser.cookie } });
      expect(res.statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/v1/webhooks', headers: { cookie: browser.cookie } })).statusCode).toBe(200);
    });

    it('needs the CSRF token on unsafe methods: 403 without it or with a wrong one, 2xx with it', async () => {
      const browser = await dashboardSignIn(t);
      const create = (tenantId: string, headers: Record<string, string>) =>
        t.app.inject({ method: 'POST', url: TENANTS, headers: { cookie: browser.cookie, ...headers }, payload: { tenantId, name: 'Csrf' } });
      const other = await dashboardSignIn(t, 'other');
      const attempts: Record<string, string>[] = [{}, { 'x-csrf-token': 'wrong' }, { 'x-csrf-token': '' }, { 'x-csrf-token': other.csrf }, { 'x-csrf-token': browser.token }];
      for (const headers of attempts) {
        const res = await create('csrf-refused', headers);
        expect(res.statusCode, JSON.stringify(headers)).toBe(403);
        expect(res.json()).toMatchObject({ code: 'forbidden', message: CSRF_MESSAGE });
      }
      expect((await t.app.inject({ url: `${TENANTS}/csrf-refused`, headers: { authorization: t.auth } })).statusCode).toBe(404);
      const ok = await create('csrf-ok', { 'x-csrf-token': browser.csrf });
      expect(ok.statusCode, ok.body).toBe(201);
      const removed = await t.app.inject({ method: 'DELETE', url: `${TENANTS}/csrf-ok`, headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrf } });
      expect(removed.statusCode).toBeLessThan(300);
    });

    it("refuses an unsafe request from a foreign Origin, even with the CSRF token; Rollcall's own origins pass", async () => {
      const browser = await dashboardSignIn(t);
      const create = (tenantId: string, origin: string) =>
        t.app.inject({ method: 'POST', url: TENANTS, headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrf, origin }, payload: { tenantId, name: 'Origin' } });
      for (const origin of ['https://evil.example', 'null', 'https://rollcall.test.evil.example', 'http://rollcall.test', 'not a url']) {
        const res = await create('origin-refused', origin);
        expect(res.statusCode, origin).toBe(403);
        expect(res.json().code).toBe('forbidden');
      }
      expect((await create('origin-public', PUBLIC_URL)).statusCode).toBe(201);
      // inject() calls http://localhost:80: the request's own origin.
      expect((await create('origin-own', 'http://localhost')).statusCode).toBe(201);
      // Safe methods need neither.
      expect((await t.app.inject({ url: TENANTS, headers: { cookie: browser.cookie, origin: 'https://evil.example' } })).statusCode).toBe(200);
      // Sign-in from a foreign page is refused too.
      const credential = await t.app.services.auth.createCredential('origin');
      const signIn = await t.app.inject({ method: 'POST', url: '/ui/session', headers: { origin: 'https://evil.example' }, payload: credential });
      expect(signIn.statusCode).toBe(403);
      expect(setCookies(signIn)).toEqual([]);
    });

    it('stores only the SHA-256 of the session token', async () => {
      const browser = await dashboardSignIn(t);
      const rows = await t.db.kysely.selectFrom('ui_sessions').selectAll().execute();
      const stored = JSON.stringify(rows);
      expect(stored).not.toContain(browser.token);
      expect(stored).not.toContain(browser.csrf);
      const row = rows.find((r) => r.token_hash === hashToken(browser.token));
      expect(row).toMatchObject({ kind: 'dashboard', tenant_id: null, permissions: null });
      expect(row?.credential_id).toEqual(expect.any(String));
    });

    it('refuses an expired session (401) and prunes it', async () => {
      const browser = await dashboardSignIn(t);
      await t.db.kysely.updateTable('ui_sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('token_hash', '=', hashToken(browser.token)).execute();
      expect((await t.app.inject({ url: '/ui/session', headers: { cookie: browser.cookie } })).statusCode).toBe(401);
      const res = await t.app.inject({ url: TENANTS, headers: { cookie: browser.cookie } });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toMatch(/expired/);
      await t.app.services.sessions.pruneJob().run();
      const left = await t.db.kysely.selectFrom('ui_sessions').select('id').where('token_hash', '=', hashToken(browser.token)).execute();
      expect(left).toEqual([]);
    });

    it('signs out: DELETE needs the CSRF token, deletes the session and clears the cookie; idempotent', async () => {
      const browser = await dashboardSignIn(t);
      const signOut = (headers: Record<string, string>) => t.app.inject({ method: 'DELETE', url: '/ui/session', headers });
      const refused = await signOut({ cookie: browser.cookie });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().message).toBe(CSRF_MESSAGE);
      expect((await t.app.inject({ url: '/ui/session', headers: { cookie: browser.cookie } })).statusCode).toBe(200);
      const res = await signOut({ cookie: browser.cookie, 'x-csrf-token': browser.csrf });
      expect(res.statusCode).toBe(204);
      const cleared = setCookie(res, 'rollcall_session');
      expect(cleared.startsWith('rollcall_session=;')).toBe(true);
      expect(attributes(cleared).get('max-age')).toBe('0');
      expect(attributes(cleared).get('path')).toBe('/');
      expect((await t.app.inject({ url: '/ui/session', headers: { cookie: browser.cookie } })).statusCode).toBe(401);
      expect((await t.app.inject({ url: TENANTS, headers: { cookie: browser.cookie } })).statusCode).toBe(401);
      // Again, and with no cookie at all: 204, and the cookie is cleared anyway.
      for (const headers of [{ cookie: browser.cookie }, {}] as Record<string, string>[]) {
        const again = await signOut(headers);
        expect(again.statusCode).toBe(204);
        expect(attributes(setCookie(again, 'rollcall_session')).get('max-age')).toBe('0');
      }
    });

    it('lets an Authorization header win over the cookie', async () => {
      const browser = await dashboardSignIn(t);
      for (const authorization of ['Bearer rc_env_nottherealtoken', 'Basic abc', 'Bearer ']) {
        const res = await t.app.inject({ url: TENANTS, headers: { cookie: browser.cookie, authorization } });
        expect(res.statusCode, authorization).toBe(401);
      }
      // A valid bearer token needs no CSRF token, cookie or not.
      const res = await t.app.inject({ method: 'POST', url: TENANTS, headers: { cookie: browser.cookie, authorization: t.auth }, payload: { tenantId: 'bearer-wins', name: 'B' } });
      expect(res.statusCode).toBe(201);
    });

    it('ends the sessions of a credential when it is re-keyed', async () => {
      const browser = await dashboardSignIn(t);
      await t.app.services.auth.registerCredential(browser.clientId, 'a-brand-new-secret-of-enough-length');
      expect((await t.app.inject({ url: '/ui/session', headers: { cookie: browser.cookie } })).statusCode).toBe(401);
    });
  });
}

describe('dashboard sign-in and the failed-authentication throttle', () => {
  const [dialect] = dialectsUnderTest();
  const t = useTestApp(dialect, { AUTH_FAILURE_LIMIT: '2' });

  it('counts wrong secrets like POST /auth/vendor does', async () => {
    const credential = await t.app.services.auth.createCredential('throttle');
    const wrong = () => t.app.inject({ method: 'POST', url: '/ui/session', payload: { clientId: credential.clientId, secret: 'nope' } });
    expect((await wrong()).statusCode).toBe(401);
    expect((await wrong()).statusCode).toBe(401);
    const throttled = await t.app.inject({ method: 'POST', url: '/ui/session', payload: credential });
    expect(throttled.statusCode).toBe(429);
  });
});

describe('dashboard cookie over plain http', () => {
  const [dialect] = dialectsUnderTest();
  const t = useTestApp(dialect, { PUBLIC_URL: 'http://localhost:3000', UI_SESSION_TTL_SECONDS: '600' });

  it('is not Secure, and lives UI_SESSION_TTL_SECONDS', async () => {
    const { res } = await dashboardSignIn(t);
    const attrs = attributes(setCookie(res, 'rollcall_session'));
    expect(attrs.has('secure')).toBe(false);
    expect(attrs.get('samesite')).toBe('Strict');
    expect(attrs.get('max-age')).toBe('600');
  });
});
