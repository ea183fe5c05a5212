/**
 * The longest user token Rollcall honours: `exp − iat` at most USER_TOKEN_MAX_LIFETIME_SECONDS
 * (default a day), so `iat` is required and may not lie in the future. A vendor-signed token with
 * `exp: 1e308` — valid for ever — is refused, with the reason for the operator (the caller sees the
 * one message all refusals share). Rollcall does not mint what it would refuse.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { BASE, READ, bearer, hs256, jwt, nowSeconds, setSelfService } from './support.js';

const VENDOR_SECRET = 'vendor-shared-secret-0123456789abcdef';

const vendorToken = (claims: Record<string, unknown>) =>
  jwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'vendor-user', tenantId: 'lifetimes', permissions: [READ], ...claims }, hs256(VENDOR_SECRET));

async function expectRefused(t: TestApp, token: string, reason: RegExp): Promise<void> {
  const res = await t.app.inject({ url: BASE, headers: bearer(token) });
  expect(res.statusCode).toBe(401);
  expect(res.json()).toMatchObject({ code: 'unauthorized', message: 'The user token is invalid or has expired' });
  expect((await t.app.services.userTokens.check(token)).refused).toMatch(reason);
}

for (const dialect of dialectsUnderTest()) {
  describe(`the lifetime of user tokens [${dialect}]`, () => {
    const t = useTestApp(dialect, { VENDOR_JWT_SECRET: VENDOR_SECRET });

    beforeAll(async () => {
      await createTenant(t, 'lifetimes');
      await setSelfService(t, true);
    });

    it('accepts a vendor token of up to a day', async () => {
      const now = nowSeconds();
      for (const lifetime of [60, 3600, 86_400]) {
        expect((await t.app.inject({ url: BASE, headers: bearer(vendorToken({ iat: now, exp: now + lifetime })) })).statusCode).toBe(200);
      }
    });

    it('refuses exp 1e308, a lifetime past the cap, a missing iat and an iat in the future', async () => {
      const now = nowSeconds();
      await expectRefused(t, vendorToken({ iat: now, exp: 1e308 }), /lifetime .* exceeds USER_TOKEN_MAX_LIFETIME_SECONDS \(86400\)/);
      await expectRefused(t, vendorToken({ iat: now, exp: now + 86_401 }), /exceeds USER_TOKEN_MAX_LIFETIME_SECONDS/);
      await expectRefused(t, vendorToken({ exp: now + 600 }), /no iat claim/);
      await expectRefused(t, vendorToken({ iat: String(now), exp: now + 600 }), /no iat claim/);
      // A far-future iat would otherwise stretch any lifetime: exp is within a day of it, but not of now.
      await expectRefused(t, vendorToken({ iat: now + 10 * 365 * 86_400, exp: now + 10 * 365 * 86_400 + 600 }), /iat is in the future/);
    });
  });

  describe(`USER_TOKEN_MAX_LIFETIME_SECONDS set lower [${dialect}]`, () => {
    const t = useTestApp(dialect, { VENDOR_JWT_SECRET: VENDOR_SECRET, USER_TOKEN_MAX_LIFETIME_SECONDS: '600' });

    beforeAll(async () => {
      await createTenant(t, 'lifetimes');
      await setSelfService(t, true);
    });

    it('refuses longer vendor tokens and does not mint longer ones', async () => {
      const now = nowSeconds();
      expect((await t.app.inject({ url: BASE, headers: bearer(vendorToken({ iat: now, exp: now + 600 })) })).statusCode).toBe(200);
      await expectRefused(t, vendorToken({ iat: now, exp: now + 3600 }), /\(600\)/);
      const mint = (expiresIn?: number) =>
        t.app.inject({ method: 'POST', url: '/api/v1/user-tokens', headers: { authorization: t.auth }, payload: { tenantId: 'lifetimes', userId: 'u', ...(expiresIn ? { expiresIn } : {}) } });
      const tooLong = await mint(601);
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json()).toMatchObject({ field: 'expiresIn', message: expect.stringMatching(/USER_TOKEN_MAX_LIFETIME_SECONDS/) });
      // The default (an hour) shrinks to the cap.
      const byDefault = await mint();
      expect(byDefault.statusCode).toBe(201);
      expect(byDefault.json().expiresIn).toBe(600);
      expect((await mint(600)).statusCode).toBe(201);
    });
  });
}

describe('USER_TOKEN_MAX_LIFETIME_SECONDS', () => {
  it('defaults to a day and is validated at start-up', () => {
    expect(loadConfig({}).userTokens.maxLifetimeSeconds).toBe(86_400);
    expect(loadConfig({ USER_TOKEN_MAX_LIFETIME_SECONDS: '3600' }).userTokens.maxLifetimeSeconds).toBe(3600);
    expect(() => loadConfig({ USER_TOKEN_MAX_LIFETIME_SECONDS: '59' })).toThrow(/USER_TOKEN_MAX_LIFETIME_SECONDS must be between 60 and 2592000/);
    expect(() => loadConfig({ USER_TOKEN_MAX_LIFETIME_SECONDS: 'forever' })).toThrow(/USER_TOKEN_MAX_LIFETIME_SECONDS must be a whole number/);
  });
});
