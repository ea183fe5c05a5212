/** One user, one group, a group's members; and the errors of every directory route. */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { allPages, expectError, getJson, provisioner, type Provisioner } from './support.js';

for (const dialect of dialectsUnderTest()) {
  describe(`directory resources and errors [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let conn: Provisioner;
    let staging: Provisioner;
    const ids: Record<string, string> = {};
    const users: string[] = [];

    beforeAll(async () => {
      await createTenant(t, 'acme');
      conn = await provisioner(t, 'acme');
      staging = await provisioner(t, 'acme', false);
      for (let i = 0; i < 5; i++) users.push((await conn.user(`member${i}@acme.test`, { name: { givenName: `M${i}`, familyName: 'Ember' } })).id);
      ids.child = (await conn.group('Child', [users[0]])).id;
      ids.parent = (await conn.group('Parent', [...users, ids.child])).id;
      ids.empty = (await conn.group('Empty')).id;
      ids.stan = (await staging.user('stan@acme.test')).id;
    });

    it('reads a user with its groups and the full SCIM resource', async () => {
      const user = await getJson(t, `/api/v1/users/${users[0]}`);
      expect(user).toMatchObject({
        id: users[0],
        tenantId: 'acme',
        connectionId: conn.id,
        userName: 'member0@acme.test',
        email: 'member0@acme.test',
        firstName: 'M0',
        lastName: 'Ember',
        displayName: 'M0 Ember',
        active: true,
        detached: false,
      });
      expect(user.groups).toEqual([
        { id: ids.child, displayName: 'Child' },
        { id: ids.parent, displayName: 'Parent' },
      ]);
      expect(user.scim).toMatchObject({ id: users[0], userName: 'member0@acme.test', emails: [{ value: 'member0@acme.test', primary: true }] });
      expect((await getJson(t, `/api/v1/users/${users[4]}`)).groups).toEqual([{ id: ids.parent, displayName: 'Parent' }]);
    });

    it("reads a staging connection's user by id too", async () => {
      expect(await getJson(t, `/api/v1/users/${ids.stan}`)).toMatchObject({ id: ids.stan, connectionId: staging.id, groups: [] });
    });

    it('reads a group', async () => {
      const group = await getJson(t, `/api/v1/groups/${ids.parent}`);
      expect(group).toMatchObject({ id: ids.parent, tenantId: 'acme', connectionId: conn.id, displayName: 'Parent', externalId: null, detached: false });
      expect(group.scim).toMatchObject({ id: ids.parent, displayName: 'Parent' });
      expect(group.createdAt).toEqual(expect.any(String));
    });

    it("pages a group's members: users in the normalised shape, nested groups marked as groups", async () => {
      const all = await getJson(t, `/api/v1/groups/${ids.parent}/members?limit=500`);
      expect(all.nextCursor).toBeNull();
      expect(all.items).toHaveLength(6);
      const nested = all.items.filter((m: any) => m.type === 'group');
      expect(nested).toHaveLength(1);
      expect(nested[0]).toMatchObject({ type: 'group', id: ids.child, displayName: 'Child', connectionId: conn.id });
      const memberUsers = all.items.filter((m: any) => m.type === 'user');
      expect(memberUsers.map((u: any) => u.id).sort()).toEqual(users.slice().sort());
      expect(memberUsers.find((u: any) => u.id === users[1])).toMatchObject({ type: 'user', userName: 'member1@acme.test', firstName: 'M1', groups: [{ id: ids.parent }] });

      for (const limit of [1, 2, 5, 6]) {
        const { items, pages } = await allPages(t, `/api/v1/groups/${ids.parent}/members`, limit);
        expect(items.map((m) => m.id)).toEqual(all.items.map((m: any) => m.id));
        expect(pages).toBe(Math.ceil(6 / limit));
      }
      expect(await getJson(t, `/api/v1/groups/${ids.empty}/members`)).toEqual({ items: [], nextCursor: null });
    });

    it('answers 401 on every route without an environment token', async () => {
      const routes: [string, string][] = [
        ['GET', '/api/v1/tenants/acme/users'],
        ['GET', '/api/v1/tenants/acme/groups'],
        ['POST', '/api/v1/tenants/acme/detached/purge'],
        ['GET', `/api/v1/users/${users[0]}`],
        ['DELETE', `/api/v1/users/${users[0]}`],
        ['GET', `/api/v1/groups/${ids.parent}`],
        ['DELETE', `/api/v1/groups/${ids.parent}`],
        ['GET', `/api/v1/groups/${ids.parent}/members`],
        ['GET', `/api/v1/connections/${conn.id}/users`],
        ['GET', `/api/v1/connections/${conn.id}/groups`],
      ];
      for (const [method, url] of routes) {
        for (const authorization of [undefined, 'Bearer rc_env_not-a-token', `Bearer ${conn.token}`]) {
          const res = await t.app.inject({ method: method as 'GET', url, headers: authorization ? { authorization } : {} });
          expectError(res, 401);
        }
      }
      // Nothing was deleted by those attempts.
      expect((await getJson(t, `/api/v1/users/${users[0]}`)).id).toBe(users[0]);
    });

    it('answers 404 for unknown tenants, connections, users and groups', async () => {
      const get = (url: string) => t.app.inject({ url, headers: { authorization: t.auth } });
      expect(expectError(await get('/api/v1/tenants/nope/users'), 404).message).toContain('nope');
      expectError(await get('/api/v1/tenants/nope/groups'), 404);
      expectError(await get('/api/v1/connections/nope/users'), 404);
      expectError(await get('/api/v1/connections/nope/groups'), 404);
      expectError(await get('/api/v1/users/nope'), 404);
      expectError(await get('/api/v1/groups/nope'), 404);
      expectError(await get('/api/v1/groups/nope/members'), 404);
      // A user's id is not a group's, and the reverse.
      expectError(await get(`/api/v1/groups/${users[0]}`), 404);
      expectError(await get(`/api/v1/users/${ids.parent}`), 404);
      expectError(await t.app.inject({ method: 'DELETE', url: '/api/v1/users/nope', headers: { authorization: t.auth } }), 404);
      expectError(await t.app.inject({ method: 'DELETE', url: '/api/v1/groups/nope', headers: { authorization: t.auth } }), 404);
      expectError(await t.app.inject({ method: 'POST', url: '/api/v1/tenants/nope/detached/purge', headers: { authorization: t.auth } }), 404);
    });

    it('answers 400 naming the field for bad input', async () => {
      const get = (url: string) => t.app.inject({ url, headers: { authorization: t.auth } });
      const cases: [string, string][] = [
        ['/api/v1/tenants/acme/users?limit=0', 'querystring.limit'],
        ['/api/v1/tenants/acme/users?limit=501', 'querystring.limit'],
        ['/api/v1/tenants/acme/users?limit=ten', 'querystring.limit'],
        ['/api/v1/tenants/acme/users?active=maybe', 'querystring.active'],
        ['/api/v1/tenants/acme/users?updatedSince=yesterday', 'querystring.updatedSince'],
        ['/api/v1/tenants/acme/users?updatedSince=2024-01-01', 'querystring.updatedSince'],
        [`/api/v1/tenants/acme/users?email=${'x'.repeat(321)}`, 'querystring.email'],
        ['/api/v1/tenants/acme/users?cursor=not-a-cursor', 'querystring.cursor'],
        ['/api/v1/tenants/acme/groups?limit=1000', 'querystring.limit'],
        ['/api/v1/tenants/acme/groups?cursor=%21%21', 'querystring.cursor'],
        [`/api/v1/connections/${conn.id}/users?limit=-1`, 'querystring.limit'],
        [`/api/v1/connections/${conn.id}/groups?updatedSince=soon`, 'querystring.updatedSince'],
        [`/api/v1/groups/${ids.parent}/members?limit=501`, 'querystring.limit'],
        [`/api/v1/groups/${ids.parent}/members?cursor=abc`, 'querystring.cursor'],
        ['/api/v1/tenants/bad%20tenant!/users', 'params.tenantId'],
        [`/api/v1/users/${'x'.repeat(65)}`, 'params.id'],
      ];
      for (const [url, field] of cases) expectError(await get(url), 400, field);

      // A cursor is only good for the kind of list that returned it.
      const usersPage = await getJson(t, `/api/v1/connections/${conn.id}/users?limit=1`);
      const groupsPage = await getJson(t, `/api/v1/connections/${conn.id}/groups?limit=1`);
      const membersPage = await getJson(t, `/api/v1/groups/${ids.parent}/members?limit=1`);
      expectError(await get(`/api/v1/tenants/acme/groups?cursor=${encodeURIComponent(usersPage.nextCursor)}`), 400, 'querystring.cursor');
      expectError(await get(`/api/v1/tenants/acme/users?cursor=${encodeURIComponent(groupsPage.nextCursor)}`), 400, 'querystring.cursor');
      expectError(await get(`/api/v1/tenants/acme/users?cursor=${encodeURIComponent(membersPage.nextCursor)}`), 400, 'querystring.cursor');
      expectError(await get(`/api/v1/groups/${ids.parent}/members?cursor=${encodeURIComponent(usersPage.nextCursor)}`), 400, 'querystring.cursor');

      const purge = (payload: unknown) =>
        t.app.inject({ method: 'POST', url: '/api/v1/tenants/acme/detached/purge', headers: { authorization: t.auth, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
      expectError(await purge({ connectionId: 5 }), 400, 'connectionId');
      expectError(await purge({ connectionId: '' }), 400, 'connectionId');
      expectError(await purge({ connection: 'x' }), 400, 'connection');
      expectError(await purge(['x']), 400);
    });
  });
}
