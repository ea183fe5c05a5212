/**
 * GET /api/v1/connections/{id}/go-live-preview: exact counts and samples of a staging connection —
 * users active and inactive, groups, user memberships (nested groups left out), the roles its groups
 * would grant, and the users whose primary email a live or detached user of the tenant has already;
 * 409 once live; self-service with the read permission, for the token's own tenant only.
 */
import { describe, expect, it } from 'vitest';
import { READ, WRITE, bearer, mintToken, setSelfService, show } from '../self-service/support.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { provisioner } from '../directory/support.js';
import { CONFIGS, insertGroup, insertUsers, previewUrl, switchSync } from './go-live-support.js';

/** The connection's user ids in (created_at, id) order, as the samples take them. */
async function userOrder(t: TestApp, connectionId: string): Promise<string[]> {
  const rows = await t.db.kysely.selectFrom('scim_users').select('id').where('connection_id', '=', connectionId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => r.id);
}

async function setRoles(t: TestApp, tenantId: string, groupId: string, roleKeys: string[]): Promise<void> {
  const res = await t.app.inject({ method: 'PUT', url: `/api/v1/tenants/${tenantId}/groups/${groupId}/roles`, headers: { authorization: t.auth }, payload: { roleKeys } });
  expect(res.statusCode, res.body).toBe(200);
}

for (const dialect of dialectsUnderTest()) {
  describe(`go-live preview [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const get = (url: string, headers: Record<string, string> = { authorization: t.auth }) => t.app.inject({ url, headers });

    it('counts and samples exactly what going live would show, and changes nothing', async () => {
      const tenant = 'gl-preview';
      await createTenant(t, tenant);
      const live = await provisioner(t, tenant);
      const ann = await live.user('ann@gl.test');
      await live.user('zed@gl.test');
      // A connection deleted without its data: dora stays in the directory, detached.
      const gone = await provisioner(t, tenant);
      const dora = await gone.user('dora@gl.test');
      expect((await t.app.inject({ method: 'DELETE', url: `${CONFIGS}/${gone.id}?removeUsersAndGroups=false`, headers: { authorization: t.auth } })).statusCode).toBe(204);
      // Another staging connection is not in the directory: no match.
      await (await provisioner(t, tenant, false)).user('erin@gl.test');

      const staging = await provisioner(t, tenant, false);
      const a = await staging.user('ANN@gl.test', { displayName: 'Ann Again' });
      const b = await staging.user('bob@gl.test');
      const c = await staging.user('carol@gl.test', { active: false });
      const d = await staging.user('dora@gl.test');
      await staging.user('erin@gl.test');
      await staging.user('frank', { emails: [] });
      const eng = await staging.group('Eng', [a.id, b.id]);
      const ops = await staging.group('Ops', [b.id, c.id]);
      // A nested group is a member, not a user membership.
      const all = await staging.group('All', [eng.id, d.id]);
      await setRoles(t, tenant, eng.id, ['admin']);
      await setRoles(t, tenant, ops.id, ['admin', 'read-only']);

      const res = await get(previewUrl(staging.id));
      expect(res.statusCode, res.body).toBe(200);
      const order = await userOrder(t, staging.id);
      const byId = new Map([a, b, c, d].map((u) => [u.id as string, u]));
      const body = res.json();
      expect(body).toEqual({
        connectionId: staging.id,
        live: false,
        users: {
          total: 6,
          active: 5,
          inactive: 1,
          sample: order.map((id) => {
            const known = byId.get(id);
            if (!known) return expect.objectContaining({ id });
            return { id, userName: known.userName, displayName: known.displayName ?? null, email: known.userName, active: known.active !== false };
          }),
        },
        groups: {
          total: 3,
          sample: expect.arrayContaining([
            { id: eng.id, displayName: 'Eng', members: 2 },
            { id: ops.id, displayName: 'Ops', members: 2 },
            { id: all.id, displayName: 'All', members: 1 },
          ]),
        },
        memberships: 5,
        roles: [
          { key: 'admin', name: 'Admin', users: 3 },
          { key: 'read-only', name: 'Read-only', users: 2 },
        ],
        matches: {
          total: 2,
          sample: [
            { userId: a.id, userName: 'ANN@gl.test', email: 'ANN@gl.test', existingUserId: ann.id, existingConnectionId: live.id, matchedBy: 'email' },
            { userId: d.id, userName: 'dora@gl.test', email: 'dora@gl.test', existingUserId: dora.id, existingConnectionId: gone.id, matchedBy: 'email' },
          ].sort((x, y) => order.indexOf(x.userId) - order.indexOf(y.userId)),
        },
      });
      expect(body.users.sample.find((u: { id: string }) => u.id === c.id).active).toBe(false);
      expect(body.users.sample.find((u: { userName: string }) => u.userName === 'frank').email).toBeNull();
      expect(body.groups.sample).toHaveLength(3);

      // A preview writes nothing: still staging, and no event of the connection but its creation.
      expect((await get(`${CONFIGS}/${staging.id}`)).json().syncToUserManagement).toBe(false);
      const events = await t.db.kysely.selectFrom('events').select('type').where('connection_id', '=', staging.id).execute();
      expect(events).toEqual([{ type: 'connection.created' }]);
    });

    it('samples the first 20 users and groups in creation order, and counts them all', async () => {
      const tenant = 'gl-sample';
      await createTenant(t, tenant);
      const { id } = await createConnection(t, tenant, 'okta', false);
      const users = await insertUsers(t, tenant, id, 'sample-user', 25);
      for (let i = 0; i < 22; i++) await insertGroup(t, tenant, id, `sample-group-${String(i).padStart(2, '0')}`, users.slice(0, i + 1), i);
      const body = (await get(previewUrl(id))).json();
      expect(body.users).toMatchObject({ total: 25, active: 23, inactive: 2 });
      expect(body.users.sample.map((u: { id: string }) => u.id)).toEqual(users.slice(0, 20));
      expect(body.groups.total).toBe(22);
      expect(body.groups.sample.map((g: { id: string; members: number }) => [g.id, g.members])).toEqual(Array.from({ length: 20 }, (_, i) => [`sample-group-${String(i).padStart(2, '0')}`, i + 1]));
      expect(body.memberships).toBe((22 * 23) / 2);
      expect(body.roles).toEqual([]);
      expect(body.matches).toEqual({ total: 0, sample: [] });
    });

    it('answers 409 for a live connection and 404 for an unknown one', async () => {
      await createTenant(t, 'gl-live');
      const live = await createConnection(t, 'gl-live', 'okta', true);
      const res = await get(previewUrl(live.id));
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({ statusCode: 409, code: 'conflict' });
      const staging = await createConnection(t, 'gl-live', 'okta', false);
      expect((await get(previewUrl(staging.id))).statusCode).toBe(200);
      await switchSync(t, staging.id, true);
      expect((await get(previewUrl(staging.id))).statusCode).toBe(409);
      const missing = await get(previewUrl('00000000-0000-4000-8000-000000000000'));
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe('not_found');
    });

    it('takes a user token of the tenant with the read permission; another tenant’s connection is a 404', async () => {
      await createTenant(t, 'gl-own');
      await createTenant(t, 'gl-other');
      const own = await createConnection(t, 'gl-own', 'okta', false);
      const foreign = await createConnection(t, 'gl-other', 'okta', false);
      await setSelfService(t, true);
      try {
        const reader = bearer(await mintToken(t, { tenantId: 'gl-own', permissions: [READ] }));
        const writer = bearer(await mintToken(t, { tenantId: 'gl-own', permissions: [WRITE] }));
        const nobody = bearer(await mintToken(t, { tenantId: 'gl-own', permissions: [] }));
        const ok = await get(previewUrl(own.id), reader);
        expect(ok.statusCode, show(ok)).toBe(200);
        expect(ok.json()).toMatchObject({ connectionId: own.id, live: false, users: { total: 0 } });
        expect((await get(previewUrl(own.id), writer)).statusCode).toBe(403);
        expect((await get(previewUrl(own.id), nobody)).statusCode).toBe(403);
        expect((await get(previewUrl(foreign.id), reader)).statusCode).toBe(404);
        expect((await get(previewUrl(own.id), { ...reader, 'frontegg-tenant-id': 'gl-other' })).statusCode).toBe(403);
        // The vendor's token sees every tenant's.
        expect((await get(previewUrl(foreign.id))).statusCode).toBe(200);
      } finally {
        await setSelfService(t, false);
      }
      const reader = bearer(await mintToken(t, { tenantId: 'gl-own', permissions: [READ] }));
      expect((await get(previewUrl(own.id), reader)).statusCode).toBe(403);
    });
  });
}
