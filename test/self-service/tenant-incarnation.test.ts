/**
 * A user token belongs to one tenant as it existed when the token was issued: once that tenant is
 * deleted and a tenant of the same id is created again (another customer, or a fresh start), the old
 * token — and a portal session opened with it — opens nothing. Rollcall's tokens name the tenant's
 * creation time (`tenantCreatedAt`); a vendor's must have been issued (`iat`) after the tenant was
 * created. Tokens issued for the new tenant work.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { PUBLIC_URL, useTestApp, type TestApp } from '../support/test-app.js';
import { portalSignIn } from '../sessions/support.js';
import { BASE, READ, bearer, hs256, jwt, mintToken, nowSeconds, payloadOf, setSelfService, storedSigningKey } from './support.js';

const VENDOR_SECRET = 'vendor-shared-secret-0123456789abcdef';

const list = (t: TestApp, token: string) => t.app.inject({ url: BASE, headers: bearer(token) });
const vendorToken = (tenantId: string, iat: number) => jwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'vendor-user', tenantId, permissions: [READ], iat, exp: iat + 3600 }, hs256(VENDOR_SECRET));

async function recreate(t: TestApp, tenantId: string): Promise<void> {
  const deleted = await t.app.inject({ method: 'DELETE', url: `/tenants/resources/tenants/v1/${tenantId}`, headers: { authorization: t.auth } });
  expect(deleted.statusCode).toBe(204);
  await createTenant(t, tenantId);
}

for (const dialect of dialectsUnderTest()) {
  describe(`user tokens and a tenant deleted and created again [${dialect}]`, () => {
    const t = useTestApp(dialect, { VENDOR_JWT_SECRET: VENDOR_SECRET });

    beforeAll(async () => {
      await setSelfService(t, true);
    });

    it('refuses a Rollcall token of the tenant that was deleted; a token of the new one works', async () => {
      await createTenant(t, 'reborn');
      const old = await mintToken(t, { tenantId: 'reborn', permissions: [READ] });
      expect((await list(t, old)).statusCode).toBe(200);
      await recreate(t, 'reborn');
      const refused = await list(t, old);
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ code: 'unauthorized', message: 'The user token is invalid or has expired' });
      expect((await t.app.services.userTokens.check(old)).refused).toMatch(/issued before tenant "reborn" was created/);
      expect((await list(t, await mintToken(t, { tenantId: 'reborn', permissions: [READ] }))).statusCode).toBe(200);
      // What binds it: the tenant's creation time, exactly.
      const created = (await t.app.inject({ url: '/tenants/resources/tenants/v1/reborn', headers: { authorization: t.auth } })).json().createdAt;
      expect(payloadOf(old).tenantCreatedAt).not.toBe(created);
      expect(payloadOf(await mintToken(t, { tenantId: 'reborn' })).tenantCreatedAt).toBe(created);
    });

    it('judges a Rollcall token without tenantCreatedAt (minted before it existed) by its iat', async () => {
      await createTenant(t, 'legacy');
      const key = await storedSigningKey(t);
      const header = JSON.parse(Buffer.from((await mintToken(t, { tenantId: 'legacy' })).split('.')[0], 'base64url').toString('utf8'));
      const legacy = (iat: number) => jwt(header, { iss: PUBLIC_URL, aud: `${PUBLIC_URL}/portal`, sub: 'u', tenantId: 'legacy', permissions: [READ], iat, exp: iat + 3600 }, hs256(key));
      expect((await list(t, legacy(nowSeconds()))).statusCode).toBe(200);
      expect((await list(t, legacy(nowSeconds() - 600))).statusCode).toBe(401);
    });

    it('refuses a vendor token issued before the tenant was created; one issued after works', async () => {
      await createTenant(t, 'vendor-made');
      expect((await list(t, vendorToken('vendor-made', nowSeconds()))).statusCode).toBe(200);
      // Issued for the tenant that was there ten minutes ago (it has been deleted and created since).
      expect((await list(t, vendorToken('vendor-made', nowSeconds() - 600))).statusCode).toBe(401);
      // Within the vendor clock tolerance (30 s) of the creation: its clock is not ours.
      expect((await list(t, vendorToken('vendor-made', nowSeconds() - 20))).statusCode).toBe(200);
    });

    it('still answers a token of a tenant that does not exist (now) as before: an empty list, a 404 on create', async () => {
      const token = vendorToken('not-yet', nowSeconds() - 600);
      expect((await list(t, token)).json()).toEqual([]);
    });

    it('ends a portal session opened before the tenant was deleted and created again', async () => {
      await createTenant(t, 'portal-reborn');
      const browser = await portalSignIn(t, await mintToken(t, { tenantId: 'portal-reborn', permissions: [READ] }));
      const viaCookie = () => t.app.inject({ url: BASE, headers: { cookie: browser.cookie } });
      expect((await viaCookie()).statusCode).toBe(200);
      await recreate(t, 'portal-reborn');
      expect((await viaCookie()).statusCode).toBe(401);
      expect((await t.app.inject({ url: '/ui/portal/session', headers: { cookie: browser.cookie } })).statusCode).toBe(401);
    });
  });
}
