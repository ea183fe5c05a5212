/**
 * The Cookie header comes from anyone: parsing it never throws, and a malformed or hostile one is
 * answered 401 (or the route's usual answer), never 500.
 */
import { describe, expect, it } from 'vitest';
import { parseCookies, serializeCookie } from '../../src/sessions/cookies.js';
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

describe('parseCookies', () => {
  it('reads name=value pairs, trimmed, first occurrence winning, quotes dropped', () => {
    const cookies = parseCookies(' a=1; b = two ;c="3"; a=4; flag; =x; d=e=f');
    expect([...cookies]).toEqual([['a', '1'], ['b', 'two'], ['c', '3'], ['d', 'e=f']]);
  });

  it('never throws on malformed input', () => {
    for (const header of [...MALFORMED, undefined]) expect(() => parseCookies(header)).not.toThrow();
    expect(parseCookies(undefined).size).toBe(0);
    expect(parseCookies('__proto__=1').get('__proto__')).toBe('1');
  });

  it('writes cookies with their scope, and clears them with Max-Age=0', () => {
    expect(serializeCookie('n', 'v', { sameSite: 'Strict', secure: true, partitioned: false }, 60)).toBe('n=v; HttpOnly; SameSite=Strict; Path=/; Max-Age=60; Secure');
    expect(serializeCookie('n', '', { sameSite: 'None', secure: true, partitioned: true }, -5)).toBe('n=; HttpOnly; SameSite=None; Path=/; Max-Age=0; Secure; Partitioned');
  });
});

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

    it('finds the session cookie among others, however spaced', async () => {
      const browser = await dashboardSignIn(t);
      for (const cookie of [`theme=dark; ${browser.cookie}`, `${browser.cookie};other=1`, ` ${browser.cookie} `, `junk; ${browser.cookie}; =; x`]) {
        expect((await t.app.inject({ url: '/ui/session', headers: { cookie } })).statusCode, cookie).toBe(200);
      }
    });
  });
}
