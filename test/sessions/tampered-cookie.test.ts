/**
 * Session cookies as @fastify/cookie reads and writes them (src/sessions/cookies.ts): a cookie altered
 * in any way — one character changed, cut short, lengthened, a signature-like suffix, percent-encoded
 * junk — opens nothing (401) on the session routes and the management API; one Set-Cookie per
 * sign-in, carrying the token as issued; and an unsafe request without the CSRF token, or with a
 * wrong one, gets 403 with the management API's error body.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { BASE, READ, WRITE, mintToken, setSelfService } from '../self-service/support.js';
import { dashboardSignIn, portalSignIn, setCookies } from './support.js';

/** Variants of a session token that must open nothing. */
function tampered(token: string): string[] {
  const other = (c: string) => (c === 'A' ? 'B' : 'A');
  const flip = (i: number) => token.slice(0, i) + other(token[i]) + token.slice(i + 1);
  return [
    flip('rc_sess_'.length),
    flip(Math.floor(token.length / 2)),
    flip(token.length - 1),
    token.slice(0, -1),
    `${token}A`,
    `${token}.c2lnbmF0dXJl`,
    // Percent-encoded, which the parser decodes: another last character all the same.
    `${token.slice(0, -1)}%${other(token.at(-1)!).charCodeAt(0).toString(16)}`,
    token.toUpperCase(),
  ];
}

for (const dialect of dialectsUnderTest()) {
  describe(`tampered session cookies [${dialect}]`, () => {
    const t = useTestApp(dialect);

    it('a dashboard cookie altered in any way is refused (401) by GET /ui/session and the management API', async () => {
      const browser = await dashboardSignIn(t);
      for (const value of tampered(browser.token)) {
        const cookie = `rollcall_session=${value}`;
        expect((await t.app.inject({ url: '/ui/session', headers: { cookie } })).statusCode, value).toBe(401);
        const api = await t.app.inject({ url: '/tenants/resources/tenants/v1', headers: { cookie } });
        expect(api.statusCode, value).toBe(401);
        expect(api.json().code).toBe('unauthorized');
      }
      // The real one still opens the session.
      expect((await t.app.inject({ url: '/ui/session', headers: { cookie: browser.cookie } })).statusCode).toBe(200);
    });

    it('a portal cookie altered in any way is refused (401) by GET /ui/portal/session and the self-service routes', async () => {
      await createTenant(t, 'tamper');
      await setSelfService(t, true);
      const browser = await portalSignIn(t, await mintToken(t, { tenantId: 'tamper', permissions: [READ] }));
      for (const value of tampered(browser.token)) {
        const cookie = `rollcall_portal=${value}`;
        expect((await t.app.inject({ url: '/ui/portal/session', headers: { cookie } })).statusCode, value).toBe(401);
        expect((await t.app.inject({ url: BASE, headers: { cookie, 'x-rollcall-session': 'portal' } })).statusCode, value).toBe(401);
      }
      expect((await t.app.inject({ url: BASE, headers: { cookie: browser.cookie } })).statusCode).toBe(200);
    });

    it('sign-in writes exactly one Set-Cookie, with the token unencoded and unsigned', async () => {
      const browser = await dashboardSignIn(t);
      const written = setCookies(browser.res);
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(/^rollcall_session=rc_sess_[A-Za-z0-9_-]{43};/);
    });

    it('refuses an unsafe request without the CSRF token, or with a wrong one, with 403 and the API error body', async () => {
      const browser = await dashboardSignIn(t);
      await setSelfService(t, true);
      const portal = await portalSignIn(t, await mintToken(t, { tenantId: 'tamper', permissions: [READ, WRITE] }));
      const attempts = [
        { url: '/tenants/resources/tenants/v1', cookie: browser.cookie, payload: { tenantId: 'csrf-body', name: 'x' } },
        { url: BASE, cookie: portal.cookie, payload: { source: 'okta', connectionName: 'Csrf body' } },
      ];
      for (const { url, cookie, payload } of attempts) {
        for (const headers of [{}, { 'x-csrf-token': 'wrong' }, { 'x-csrf-token': `${browser.csrf}x` }] as Record<string, string>[]) {
          const res = await t.app.inject({ method: 'POST', url, headers: { cookie, ...headers }, payload });
          expect(res.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(403);
          expect(res.json()).toEqual({ statusCode: 403, error: 'Forbidden', code: 'forbidden', message: 'Missing or invalid CSRF token' });
        }
      }
    });
  });
}
