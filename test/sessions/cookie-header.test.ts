/**
 * The Cookie header comes from anyone: @fastify/cookie parses it (src/sessions/cookies.ts), a malformed
 * or hostile one is answered 401 (or the route's usual answer), never 500, and the session cookie is
 * found among others, the first of two with its name winning.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';
import { dashboardSignIn } from './support.js';

const MALFORMED = [
  '',
  ';',
  ';;;',
  '=',
  '==',
  'rollcall_session',
  'rollcall_session=',
  'rollcall_session==',
  '=rollcall_session',
  'rollcall_session="',
  'rollcall_session=""',
  'rollcall_session=%',
  'rollcall_session=%E0%A4%A',
  'rollcall_session=rc_sess_' + 'A'.repeat(5000),
  'rollcall_portal=a.b.c',
  'rollcall_portal=rc_sess_\u00e9\u00e8',
  'rollcall_session=\u0000',
  ' ; rollcall_session = rc_sess_x ; ',
  'a=1; '.repeat(500),
  'rollcall_session=rc_sess_x; rollcall_portal=rc_sess_y; rollcall_session=rc_sess_z',
  '__proto__=1; constructor=2; toString=3',
];

for (const dialect of dialectsUnderTest()) {
  describe(`malformed Cookie headers [${dialect}]`, () => {
    const t = useTestApp(dialect);

    it('are answered without a 5xx on every session route and on the management API', async () => {
      const requests: { method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: object }[] = [
        { method: 'GET', url: '/ui/session' },
        { method: 'DELETE', url: '/ui/session' },
        { method: 'GET', url: '/ui/portal/session' },
        { method: 'DELETE', url: '/ui/portal/session' },
        { method: 'GET', url: '/tenants/resources/tenants/v1' },
        { method: 'POST', url: '/tenants/resources/tenants/v1', payload: { tenantId: 'cookie-x', name: 'x' } },
        { method: 'GET', url: '/directory/resources/v1/configurations/scim2' },
      ];
      for (const cookie of MALFORMED) {
        for (const { method, url, payload } of requests) {
          const res = await t.app.inject({ method, url, headers: { cookie, 'x-csrf-token': 'x' }, ...(payload ? { payload } : {}) });
          expect(res.statusCode, `${method} ${url} cookie=${JSON.stringify(cookie.slice(0, 60))}`).toBeLessThan(500);
          if (!url.startsWith('/ui/')) expect(res.statusCode, `${method} ${url}`).toBe(401);
        }
      }
    });

    it('takes the first of two cookies with the session cookie\'s name, as browsers send the most specific first', async () => {
      const browser = await dashboardSignIn(t);
      const forged = 'rollcall_session=rc_sess_forged';
      expect((await t.app.inject({ url: '/ui/session', headers: { cookie: `${browser.cookie}; ${forged}` } })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/ui/session', headers: { cookie: `${forged}; ${browser.cookie}` } })).statusCode).toBe(401);
      const create = (cookie: string) =>
        t.app.inject({ method: 'POST', url: '/tenants/resources/tenants/v1', headers: { cookie, 'x-csrf-token': browser.csrf }, payload: { tenantId: 'first-wins', name: 'x' } });
      expect((await create(`${forged}; ${browser.cookie}`)).statusCode).toBe(401);
      expect((await create(`${browser.cookie}; ${forged}`)).statusCode).toBe(201);
    });

    it('finds the session cookie among others, however spaced', async () => {
      const browser = await dashboardSignIn(t);
      for (const cookie of [`theme=dark; ${browser.cookie}`, `${browser.cookie};other=1`, ` ${browser.cookie} `, `junk; ${browser.cookie}; =; x`]) {
        expect((await t.app.inject({ url: '/ui/session', headers: { cookie } })).statusCode, cookie).toBe(200);
      }
    });
  });
}
