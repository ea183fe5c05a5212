/**
 * Abuse limits: a per-connection SCIM rate limit (429 SCIM error with Retry-After), failed
 * authentications throttled per client address and target (failing credentials beyond a threshold →
 * 429; test/security/shared-address-throttle.test.ts shows that working ones never are), and the caps
 * on body size, filter length and depth, PATCH operations and Bulk operations, each a clear 4xx.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { SCIM_PATH, USER_URN, newScimClient, patchOp, q, type ScimClient } from '../support/scim-requests.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

function scimGet(t: TestApp, connectionId: string, token: string, remoteAddress = '127.0.0.1') {
  return t.app.inject({ url: `${SCIM_PATH}/${connectionId}/Users`, remoteAddress, headers: { authorization: `Bearer ${token}` } });
}

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM rate limit per connection [${dialect}]`, () => {
    // One token a second: a burst of ten on a loaded machine cannot earn an eleventh while it runs.
    const t = useTestApp(dialect, { SCIM_RATE_LIMIT: '1', SCIM_RATE_BURST: '10', AUTH_FAILURE_LIMIT: '0' });
    let a: { id: string; token: string };
    let b: { id: string; token: string };

    beforeAll(async () => {
      await createTenant(t, 'limited');
      a = await createConnection(t, 'limited');
      b = await createConnection(t, 'limited');
    });

    it('lets a burst through, then answers 429 with Retry-After and a SCIM error; other connections are unaffected', async () => {
      const burst = await Promise.all(Array.from({ length: 10 }, () => scimGet(t, a.id, a.token)));
      expect(burst.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
      const limited = await scimGet(t, a.id, a.token);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(limited.json()).toMatchObject({ schemas: [ERROR_URN], status: '429', detail: expect.stringMatching(/retry after 1 seconds/) });
      expect(limited.headers['retry-after']).toBe('1');
      // Another connection has its own bucket, even from the same address and tenant.
      expect((await scimGet(t, b.id, b.token)).statusCode).toBe(200);
      // The bucket refills at 1 per second.
      await new Promise((r) => setTimeout(r, 1050));
      expect((await scimGet(t, a.id, a.token)).statusCode).toBe(200);
      // The 429 is in the connection's request log, where the vendor can see it.
      await t.app.requestLog.flush();
      const logs = await t.app.inject({ url: `/api/v1/logs?connectionId=${a.id}&status=429`, headers: { authorization: t.auth } });
      expect(logs.json().items.length).toBeGreaterThanOrEqual(1);
    });

    it('counts only authenticated requests: bad tokens do not drain a connection\'s bucket', async () => {
      await createTenant(t, 'limited-2');
      const c = await createConnection(t, 'limited-2');
      for (let i = 0; i < 30; i++) expect((await scimGet(t, c.id, 'rc_scim_forged')).statusCode).toBe(401);
      expect((await scimGet(t, c.id, c.token)).statusCode).toBe(200);
    });
  });

  describe(`failed-authentication throttle per address [${dialect}]`, () => {
    const t = useTestApp(dialect, { AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_SECONDS: '60', SCIM_RATE_LIMIT: '0' });
    let a: { id: string; token: string };
    let b: { id: string; token: string };

    beforeAll(async () => {
      await createTenant(t, 'throttle');
      a = await createConnection(t, 'throttle');
      b = await createConnection(t, 'throttle');
    });

    it('answers failing tokens 429 once an address failed 5 times; working tokens from it still pass', async () => {
      const from = '198.51.100.10';
      expect((await scimGet(t, a.id, 'rc_scim_guess0', from)).statusCode).toBe(401);
      // A working token used from the same address meanwhile.
      expect((await scimGet(t, a.id, a.token, from)).statusCode).toBe(200);
      for (let i = 1; i < 5; i++) expect((await scimGet(t, a.id, `rc_scim_guess${i}`, from)).statusCode).toBe(401);
      const blocked = await scimGet(t, a.id, 'rc_scim_guess5', from);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json()).toMatchObject({ schemas: [ERROR_URN], status: '429', detail: expect.stringMatching(/failed authentication/) });
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(50);
      // Management routes too, with the management error shape.
      const management = await t.app.inject({ url: '/tenants/resources/tenants/v1', remoteAddress: from, headers: { authorization: 'Bearer rc_env_guess' } });
      expect(management.statusCode).toBe(429);
      expect(management.json()).toMatchObject({ code: 'rate_limited' });
      expect(management.headers['retry-after']).toBeDefined();
      // Working tokens keep working from this address, seen before or not: other IdP tenants behind the
      // same egress address must not suffer for one misconfigured neighbour.
      expect((await scimGet(t, a.id, a.token, from)).statusCode).toBe(200);
      expect((await scimGet(t, b.id, b.token, from)).statusCode).toBe(200);
      // Other addresses are unaffected (guessing at connection a is, from anywhere: its own count is over the limit).
      expect((await scimGet(t, b.id, 'rc_scim_guess6', '198.51.100.11')).statusCode).toBe(401);
      expect((await scimGet(t, a.id, 'rc_scim_guess7', '198.51.100.11')).statusCode).toBe(429);
      expect((await scimGet(t, b.id, b.token, '198.51.100.11')).statusCode).toBe(200);
    });

    it('does not count a signed-out browser asking who is signed in, but counts wrong dashboard sign-ins and stale cookies', async () => {
      const from = '198.51.100.30';
      // The dashboard asks GET /ui/session on every page load; without a cookie that is no guess.
      for (let i = 0; i < 10; i++) expect((await t.app.inject({ url: '/ui/session', remoteAddress: from })).statusCode).toBe(204);
      const credential = await t.app.services.auth.createCredential('browser');
      const signIn = (secret: string) => t.app.inject({ method: 'POST', url: '/ui/session', remoteAddress: from, payload: { clientId: credential.clientId, secret } });
      for (let i = 0; i < 4; i++) expect((await signIn(`wrong-${i}`)).statusCode).toBe(401);
      // A forged session cookie is a guess like a forged token.
      expect((await t.app.inject({ url: '/ui/session', remoteAddress: from, headers: { cookie: 'rollcall_session=rc_sess_forged' } })).statusCode).toBe(401);
      expect((await signIn(credential.secret)).statusCode).toBe(429);
    });

    it('throttles wrong vendor secrets at POST /auth/vendor, before checking them', async () => {
      const credential = await t.app.services.auth.createCredential('throttled');
      const exchange = (remoteAddress: string, payload: object) => t.app.inject({ method: 'POST', url: '/auth/vendor', remoteAddress, payload });
      // The vendor's backend signs in from its usual address before anyone guesses.
      expect((await exchange('198.51.100.21', credential)).statusCode).toBe(200);
      const from = '198.51.100.20';
      for (let i = 0; i < 5; i++) expect((await exchange(from, { clientId: credential.clientId, secret: `wrong-${i}` })).statusCode).toBe(401);
      const res = await exchange(from, credential);
      expect(res.statusCode).toBe(429);
      expect(res.json()).toMatchObject({ code: 'rate_limited' });
      // The clientId is being guessed at: a new address waits, the vendor's usual one does not.
      expect((await exchange('198.51.100.22', credential)).statusCode).toBe(429);
      expect((await exchange('198.51.100.21', credential)).statusCode).toBe(200);
    });

    it('counts an IPv6 client by its /64', async () => {
      // A connection id of its own per request, so that only the address is counted.
      for (let i = 1; i <= 5; i++) expect((await scimGet(t, randomUUID(), 'rc_scim_v6', `2001:db8:7:1::${i}`)).statusCode).toBe(401);
      expect((await scimGet(t, randomUUID(), 'rc_scim_v6', '2001:db8:7:1:ffff::9')).statusCode).toBe(429);
      expect((await scimGet(t, randomUUID(), 'rc_scim_v6', '2001:db8:7:2::1')).statusCode).toBe(401);
    });
  });

  describe(`request caps [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let client: ScimClient;
    let userId: string;
    let groupId: string;

    beforeAll(async () => {
      await createTenant(t, 'caps');
      client = await newScimClient(t, 'caps');
      userId = (await client.createUser({ userName: 'capped' })).id;
      groupId = (await client.createGroup({ displayName: 'Capped' })).id;
    });

    const expectScim = (res: { statusCode: number; json(): any; headers: Record<string, unknown> }, status: number, scimType?: string) => {
      expect(res.statusCode).toBe(status);
      expect(String(res.headers['content-type'])).toMatch(/^application\/scim\+json/);
      expect(res.json()).toMatchObject({ schemas: [ERROR_URN], status: String(status), detail: expect.any(String), ...(scimType ? { scimType } : {}) });
    };

    it('caps the body at 1 MiB: 413 on SCIM and on the management API', async () => {
      const big = JSON.stringify({ schemas: [USER_URN], userName: 'big', title: 'x'.repeat(1_100_000) });
      expectScim(await client.request({ method: 'POST', path: '/Users', body: big }), 413);
      const management = await t.app.inject({ method: 'POST', url: '/tenants/resources/tenants/v1', headers: { authorization: t.auth, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(1_100_000) }) });
      expect(management.statusCode).toBe(413);
      expect(management.json()).toMatchObject({ code: 'payload_too_large' });
    });

    it('caps filters at 8,192 characters and 100 levels: 400 invalidFilter', async () => {
      expectScim(await client.get(`/Users?filter=${q(`userName eq "${'a'.repeat(8200)}"`)}`), 400, 'invalidFilter');
      expectScim(await client.get(`/Users?filter=${q(`${'('.repeat(120)}userName pr${')'.repeat(120)}`)}`), 400, 'invalidFilter');
      expectScim(await client.get(`/Users?filter=${q(Array.from({ length: 150 }, (_, i) => `not (userName eq "${i}"`).join(' and ') + ')'.repeat(150))}`), 400, 'invalidFilter');
      expectScim(await client.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: `userName eq "${'a'.repeat(8200)}"` }), 400, 'invalidFilter');
      // Just inside the limits is fine.
      expect((await client.get(`/Users?filter=${q(`${'('.repeat(50)}userName pr${')'.repeat(50)}`)}`)).statusCode).toBe(200);
    });

    it('caps PATCH at 1,000 operations: 400 tooMany, nothing applied', async () => {
      const ops = Array.from({ length: 1001 }, (_, i) => ({ op: 'replace', path: 'title', value: `t${i}` }));
      expectScim(await client.patch(`/Users/${userId}`, patchOp(...ops)), 400, 'tooMany');
      expect((await client.get(`/Users/${userId}`)).json()).not.toHaveProperty('title');
      expectScim(await client.patch(`/Groups/${groupId}`, patchOp(...ops)), 400, 'tooMany');
    });

    it('caps Bulk at 1,000 operations: 413, nothing applied', async () => {
      const res = await client.post('/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: Array.from({ length: 1001 }, (_, i) => ({ method: 'POST', bulkId: `b${i}`, path: '/Users', data: { schemas: [USER_URN], userName: `bulk${i}` } })),
      });
      expectScim(res, 413);
      expect((await client.get(`/Users?filter=${q('userName sw "bulk"')}`)).json().totalResults).toBe(0);
    });

    it('caps page sizes at 1,000 rather than failing', async () => {
      const res = await client.get('/Users?count=100000');
      expect(res.statusCode).toBe(200);
      expect(res.json().itemsPerPage).toBeLessThanOrEqual(1000);
    });
  });
}
