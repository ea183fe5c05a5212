/**
 * The failed-authentication throttle never refuses a working credential because of someone else's
 * failures. Okta, Entra ID and every customer of one IdP share egress addresses: one tenant's IdP
 * sending bad tokens from such an address must not lock out the others, and a probe behind a shared
 * address must never be throttled (a failing liveness probe restarts the pod). What fails is throttled
 * (429 with Retry-After instead of 401); what works passes, every time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { SCIM_PATH } from '../support/scim-requests.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { BASE, READ, bearer, mintToken, setSelfService } from '../self-service/support.js';

/** One egress address that many customers' IdPs share. */
const SHARED = '203.0.113.77';

function scimGet(t: TestApp, connectionId: string, token: string) {
  return t.app.inject({ url: `${SCIM_PATH}/${connectionId}/Users`, remoteAddress: SHARED, headers: { authorization: `Bearer ${token}` } });
}

for (const dialect of dialectsUnderTest()) {
  describe(`throttling from a shared address never refuses a working credential [${dialect}]`, () => {
    const t = useTestApp(dialect, { AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_SECONDS: '60', SCIM_RATE_LIMIT: '0' });
    let a: { id: string; token: string };
    let b: { id: string; token: string };
    let userToken: string;

    beforeAll(async () => {
      await createTenant(t, 'tenant-a');
      await createTenant(t, 'tenant-b');
      a = await createConnection(t, 'tenant-a');
      b = await createConnection(t, 'tenant-b');
      await setSelfService(t, true);
      userToken = await mintToken(t, { tenantId: 'tenant-b', permissions: [READ] });
    });

    it('answers bad tokens 429 and tenant B’s token, the environment token, a user token and the probes 200, every time', async () => {
      const bad: number[] = [];
      for (let i = 0; i < 30; i++) {
        // Tenant A's IdP keeps sending a revoked token; another client guesses at the management API.
        bad.push((await scimGet(t, a.id, `rc_scim_revoked${i}`)).statusCode);
        bad.push((await t.app.inject({ url: '/tenants/resources/tenants/v1', remoteAddress: SHARED, headers: { authorization: `Bearer rc_env_guess${i}` } })).statusCode);
        // Meanwhile, from the very same address:
        expect((await scimGet(t, b.id, b.token)).statusCode).toBe(200);
        expect((await t.app.inject({ url: '/tenants/resources/tenants/v1', remoteAddress: SHARED, headers: { authorization: t.auth } })).statusCode).toBe(200);
        expect((await t.app.inject({ url: BASE, remoteAddress: SHARED, headers: bearer(userToken) })).statusCode).toBe(200);
        for (const url of ['/healthz', '/readyz', '/docs/json']) expect((await t.app.inject({ url, remoteAddress: SHARED })).statusCode, url).toBe(200);
      }
      expect(bad.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(new Set(bad.slice(5))).toEqual(new Set([429]));
      const refused = await scimGet(t, a.id, 'rc_scim_revoked');
      expect(refused.json()).toMatchObject({ status: '429', detail: expect.stringMatching(/retry after \d+ seconds/) });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('lets tenant A’s own working token through too, though its connection is the one failing', async () => {
      expect((await scimGet(t, a.id, 'rc_scim_revoked')).statusCode).toBe(429);
      expect((await scimGet(t, a.id, a.token)).statusCode).toBe(200);
    });
  });

  describe(`a shared address re-flooded every time the window reopens [${dialect}]`, () => {
    const t = useTestApp(dialect, { AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_SECONDS: '1', SCIM_RATE_LIMIT: '0' });
    let a: { id: string };
    let b: { id: string; token: string };

    beforeAll(async () => {
      await createTenant(t, 'flood-a');
      await createTenant(t, 'flood-b');
      a = await createConnection(t, 'flood-a');
      b = await createConnection(t, 'flood-b');
    });

    it('keeps answering tenant B 200 through every window', async () => {
      const forB: number[] = [];
      const bad: number[] = [];
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 8; i++) {
          bad.push((await scimGet(t, a.id, `rc_scim_bad${round}_${i}`)).statusCode);
          forB.push((await scimGet(t, b.id, b.token)).statusCode);
        }
        await sleep(1050);
      }
      expect(new Set(forB)).toEqual(new Set([200]));
      expect(bad.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
    });
  });
}
