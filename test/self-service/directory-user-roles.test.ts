/**
 * Mapped group roles reaching user tokens: a token minted with `directoryUserId` carries that
 * directory user's effective roles (the default role plus the roles mapped to its SCIM groups) and
 * their permissions; a vendor token's `directoryUserId` claim grants them as of each request. Only
 * users of the token's tenant, provisioned by a connection that syncs to user management and still
 * active, count.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { provisioner } from '../directory/support.js';
import { BASE, DELETE, READ, VENDOR_AUDIENCE, VENDOR_ISSUER, WRITE, bearer, hs256, jwt, payloadOf, setSelfService, show, vendorClaims } from './support.js';

const VENDOR_SECRET = 'directory-user-roles-vendor-secret-0123456789';
const rolesUrl = (tenantId: string, groupId: string) => `/api/v1/tenants/${tenantId}/groups/${groupId}/roles`;

for (const dialect of dialectsUnderTest()) {
  describe(`directory user roles in user tokens [${dialect}]`, () => {
    const t = useTestApp(dialect, { VENDOR_JWT_SECRET: VENDOR_SECRET, VENDOR_JWT_ISSUER: VENDOR_ISSUER, VENDOR_JWT_AUDIENCE: VENDOR_AUDIENCE });
    const ids: Record<string, string> = {};

    const mint = (body: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/api/v1/user-tokens', headers: { authorization: t.auth }, payload: { tenantId: 'dur', userId: 'person-1', ...body } });
    const mapRoles = async (groupId: string, roleKeys: string[]) => {
      const res = await t.app.inject({ method: 'PUT', url: rolesUrl('dur', groupId), headers: { authorization: t.auth }, payload: { roleKeys } });
      expect(res.statusCode, show(res)).toBe(200);
    };
    const vendorToken = (claims: Record<string, unknown>) => jwt({ alg: 'HS256', typ: 'JWT' }, vendorClaims({ tenantId: 'dur', permissions: [], ...claims }), hs256(VENDOR_SECRET));
    const create = (token: string) => t.app.inject({ method: 'POST', url: BASE, headers: bearer(token), payload: { source: 'okta', connectionName: 'Made by a mapped admin' } });

    beforeAll(async () => {
      await createTenant(t, 'dur');
      await createTenant(t, 'other-dur');
      await setSelfService(t, true);
      const live = await provisioner(t, 'dur');
      const staging = await provisioner(t, 'dur', false);
      const foreign = await provisioner(t, 'other-dur');
      ids.ann = (await live.user('ann@dur.test')).id;
      ids.bob = (await live.user('bob@dur.test')).id;
      ids.gone = (await live.user('gone@dur.test')).id;
      ids.itAdmins = (await live.group('IT Admins', [ids.ann, ids.gone])).id;
      ids.stan = (await staging.user('stan@dur.test')).id;
      ids.stagingAdmins = (await staging.group('Staging Admins', [ids.stan])).id;
      ids.olga = (await foreign.user('olga@other.test')).id;
      await mapRoles(ids.itAdmins, ['admin']);
      await mapRoles(ids.stagingAdmins, ['admin']);
      const deactivated = await live.patch(`/Users/${ids.gone}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
      expect(deactivated.statusCode).toBe(200);
    });

    it('mints the effective roles of a member of a mapped group, and their permissions', async () => {
      const res = await mint({ directoryUserId: ids.ann });
      expect(res.statusCode, show(res)).toBe(201);
      const claims = payloadOf(res.json().token);
      expect(claims.roles).toEqual(['admin', 'read-only']);
      expect(claims.directoryUserId).toBe(ids.ann);
      expect([...claims.permissions].sort()).toEqual([DELETE, READ, WRITE].sort());
      // The token does what the mapped role allows.
      const created = await create(res.json().token);
      expect(created.statusCode, show(created)).toBe(201);
      const session = await t.app.inject({ method: 'POST', url: '/ui/portal/session', payload: { token: res.json().token } });
      expect(session.json().permissions).toEqual(expect.arrayContaining([READ, WRITE, DELETE]));
    });

    it('gives a user of no mapped group the default role, and adds given roles and permissions', async () => {
      const bob = await mint({ directoryUserId: ids.bob });
      expect(bob.statusCode, show(bob)).toBe(201);
      expect(payloadOf(bob.json().token)).toMatchObject({ roles: ['read-only'], permissions: [READ] });
      expect((await create(bob.json().token)).statusCode).toBe(403);

      const withMore = await mint({ directoryUserId: ids.bob, roles: ['admin'], permissions: ['app.custom'] });
      expect(withMore.statusCode, show(withMore)).toBe(201);
      const claims = payloadOf(withMore.json().token);
      expect([...claims.roles].sort()).toEqual(['admin', 'read-only']);
      expect(claims.permissions).toEqual(expect.arrayContaining(['app.custom', READ, WRITE, DELETE]));
    });

    it('refuses a directory user outside the tenant directory (400) or no longer active (409)', async () => {
      for (const [name, id] of [
        ['a staging connection’s user', ids.stan],
        ["another tenant's user", ids.olga],
        ['an unknown id', '00000000-0000-4000-8000-000000000000'],
      ]) {
        const res = await mint({ directoryUserId: id });
        expect(res.statusCode, `${name}: ${show(res)}`).toBe(400);
        expect(res.json()).toMatchObject({ code: 'validation_failed', field: 'directoryUserId' });
      }
      const deactivated = await mint({ directoryUserId: ids.gone });
      expect(deactivated.statusCode, show(deactivated)).toBe(409);
      expect(deactivated.json()).toMatchObject({ code: 'conflict', field: 'directoryUserId' });
      expect((await mint({ directoryUserId: '' })).statusCode).toBe(400);
      expect((await mint({ directoryUserId: 'x'.repeat(65) })).statusCode).toBe(400);
    });

    it('grants a vendor token the roles of its directoryUserId as of each request', async () => {
      const token = vendorToken({ directoryUserId: ids.ann });
      expect((await create(token)).statusCode).toBe(201);
      // The mapping goes: the same token loses the permission on its next request.
      await mapRoles(ids.itAdmins, []);
      try {
        const res = await create(token);
        expect(res.statusCode, show(res)).toBe(403);
        expect((await t.app.inject({ url: BASE, headers: bearer(token) })).statusCode).toBe(200);
      } finally {
        await mapRoles(ids.itAdmins, ['admin']);
      }
      // Users outside the tenant directory, or deactivated, grant nothing; the token stays valid.
      for (const id of [ids.stan, ids.olga, ids.gone]) {
        const other = vendorToken({ directoryUserId: id, permissions: [READ] });
        expect((await t.app.inject({ url: BASE, headers: bearer(other) })).statusCode).toBe(200);
        expect((await create(other)).statusCode).toBe(403);
      }
      // A claim that is not a directory user id refuses the token.
      for (const bad of [42, '', 'x'.repeat(65)]) {
        expect((await t.app.inject({ url: BASE, headers: bearer(vendorToken({ directoryUserId: bad, permissions: [READ] })) })).statusCode).toBe(401);
      }
    });

    it('records the directory user in the token’s audit entry', async () => {
      const res = await mint({ directoryUserId: ids.ann });
      const { items } = (await t.app.inject({ url: '/api/v1/audit?action=user_token.created&limit=1', headers: { authorization: t.auth } })).json();
      expect(items[0].data).toMatchObject({ jti: payloadOf(res.json().token).jti, directoryUserId: ids.ann, roles: ['admin', 'read-only'] });
    });
  });
}
