/** Detached data: what a deleted connection leaves behind, and removing it by hand with its events. */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { eventsOf, expectError, getJson, provisioner, sortedIds, type Provisioner } from './support.js';

const REMOVAL_EVENTS = ['user.deleted', 'group.deleted', 'group.user_removed'];

async function deleteConnection(t: TestApp, id: string, removeUsersAndGroups: boolean): Promise<void> {
  const res = await t.app.inject({
    method: 'DELETE',
    url: `/directory/resources/v1/configurations/scim2/${id}?removeUsersAndGroups=${removeUsersAndGroups}`,
    headers: { authorization: t.auth },
  });
  expect(res.statusCode, res.body).toBe(204);
}

function purge(t: TestApp, tenantId: string, body?: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${tenantId}/detached/purge`,
    headers: { authorization: t.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
}

const del = (t: TestApp, kind: 'users' | 'groups', id: string) => t.app.inject({ method: 'DELETE', url: `/api/v1/${kind}/${id}`, headers: { authorization: t.auth } });

/** Counts of rows left for a former connection, straight from the tables. */
async function rowsOf(t: TestApp, connectionId: string) {
  const count = async (table: 'scim_users' | 'scim_groups' | 'scim_group_members') =>
    Number((await t.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('connection_id', '=', connectionId).executeTakeFirstOrThrow()).n);
  return { users: await count('scim_users'), groups: await count('scim_groups'), members: await count('scim_group_members') };
}

for (const dialect of dialectsUnderTest()) {
  describe(`detached data [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let gone: Provisioner; // deleted with removeUsersAndGroups=false
    let live: Provisioner;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      await createTenant(t, 'acme');
      await createTenant(t, 'globex');
      gone = await provisioner(t, 'acme');
      live = await provisioner(t, 'acme');
      ids.ann = (await gone.user('ann@acme.test', { name: { givenName: 'Ann', familyName: 'Old' } })).id;
      ids.bea = (await gone.user('bea@acme.test')).id;
      ids.sub = (await gone.group('Sub', [ids.bea])).id;
      ids.team = (await gone.group('Team', [ids.ann, ids.bea, ids.sub])).id;
      ids.liz = (await live.user('liz@acme.test')).id;
      ids.liveGroup = (await live.group('Live', [ids.liz])).id;
      await deleteConnection(t, gone.id, false);
    });

    it('keeps a deleted connection’s users and groups in the tenant lists, detached, with their former connectionId', async () => {
      const users = await getJson(t, '/api/v1/tenants/acme/users');
      expect(sortedIds(users.items)).toEqual([ids.ann, ids.bea, ids.liz].sort());
      for (const u of users.items) expect(u.detached).toBe(u.id !== ids.liz);
      expect(users.items.find((u: any) => u.id === ids.ann)).toMatchObject({ connectionId: gone.id, detached: true, groups: [{ id: ids.team, displayName: 'Team' }] });
      const groups = await getJson(t, '/api/v1/tenants/acme/groups');
      expect(sortedIds(groups.items)).toEqual([ids.sub, ids.team, ids.liveGroup].sort());
      expect(groups.items.find((g: any) => g.id === ids.team)).toMatchObject({ connectionId: gone.id, detached: true });
      // The former connection still filters; the connection itself is gone.
      expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/users?connectionId=${gone.id}`)).items)).toEqual([ids.ann, ids.bea].sort());
      expectError(await t.app.inject({ url: `/api/v1/connections/${gone.id}/users`, headers: { authorization: t.auth } }), 404);
      expect(await getJson(t, `/api/v1/users/${ids.bea}`)).toMatchObject({ detached: true, groups: [{ id: ids.sub }, { id: ids.team }] });
      expect((await getJson(t, `/api/v1/groups/${ids.team}/members`)).items).toHaveLength(3);
    });

    it('leaves nothing visible after a connection is deleted with removeUsersAndGroups=true', async () => {
      const wiped = await provisioner(t, 'acme');
      const user = (await wiped.user('wiped@acme.test')).id;
      const group = (await wiped.group('Wiped', [user])).id;
      await deleteConnection(t, wiped.id, true);
      expect((await getJson(t, `/api/v1/tenants/acme/users?connectionId=${wiped.id}`)).items).toEqual([]);
      expect((await getJson(t, `/api/v1/tenants/acme/groups?connectionId=${wiped.id}`)).items).toEqual([]);
      expectError(await t.app.inject({ url: `/api/v1/users/${user}`, headers: { authorization: t.auth } }), 404);
      expectError(await t.app.inject({ url: `/api/v1/groups/${group}`, headers: { authorization: t.auth } }), 404);
      expect(await rowsOf(t, wiped.id)).toEqual({ users: 0, groups: 0, members: 0 });
    });

    it('refuses to delete live users and groups: they belong to their identity provider', async () => {
      const user = expectError(await del(t, 'users', ids.liz), 409);
      expect(user.code).toBe('conflict');
      expect(user.message).toMatch(/identity provider/);
      expect(user.message).toContain(live.id);
      expectError(await del(t, 'groups', ids.liveGroup), 409);
      expect((await getJson(t, `/api/v1/users/${ids.liz}`)).groups).toEqual([{ id: ids.liveGroup, displayName: 'Live' }]);
    });

    it('deletes a detached user with its memberships, writing group.user_removed and user.deleted in order', async () => {
      const before = await getJson(t, `/api/v1/users/${ids.ann}`);
      expect((await del(t, 'users', ids.ann)).statusCode).toBe(204);
      expectError(await t.app.inject({ url: `/api/v1/users/${ids.ann}`, headers: { authorization: t.auth } }), 404);
      expectError(await del(t, 'users', ids.ann), 404);
      const members = (await getJson(t, `/api/v1/groups/${ids.team}/members`)).items.map((m: any) => m.id).sort();
      expect(members).toEqual([ids.bea, ids.sub].sort());
      const isAnn = (e: { data: any }) => e.data.userId === ids.ann || e.data.id === ids.ann;
      const events = await eventsOf(t, 'acme', REMOVAL_EVENTS, (list) => list.filter(isAnn).length >= 2);
      const mine = events.filter(isAnn);
      expect(mine.map((e) => e.type)).toEqual(['group.user_removed', 'user.deleted']);
      expect(mine[0]).toMatchObject({ connectionId: gone.id, data: { groupId: ids.team, userId: ids.ann } });
      // Events carry the normalised user without the directory API's groups and effective roles.
      const { groups: _groups, roles: _roles, ...normalised } = before;
      expect(mine[1].connectionId).toBe(gone.id);
      expect(mine[1].data).toMatchObject({ ...normalised, detached: true });
    });

    it('deletes a detached group, removing it from the groups that contained it, writing group.deleted', async () => {
      expect((await del(t, 'groups', ids.sub)).statusCode).toBe(204);
      expectError(await t.app.inject({ url: `/api/v1/groups/${ids.sub}`, headers: { authorization: t.auth } }), 404);
      expect((await getJson(t, `/api/v1/groups/${ids.team}/members`)).items.map((m: any) => m.id)).toEqual([ids.bea]);
      expect((await getJson(t, `/api/v1/users/${ids.bea}`)).groups).toEqual([{ id: ids.team, displayName: 'Team' }]);
      const deleted = (await eventsOf(t, 'acme', ['group.deleted'], (list) => list.some((e) => e.data.id === ids.sub))).filter((e) => e.data.id === ids.sub);
      expect(deleted).toHaveLength(1);
      expect(deleted[0]).toMatchObject({ connectionId: gone.id, data: { id: ids.sub, displayName: 'Sub', detached: true, tenantId: 'acme' } });
      expectError(await del(t, 'groups', ids.sub), 404);
    });

    it('purges only the named former connection, then everything, with one event per resource', async () => {
      const other = await provisioner(t, 'acme');
      const o1 = (await other.user('o1@acme.test')).id;
      const o2 = (await other.user('o2@acme.test')).id;
      const og = (await other.group('Other', [o1, o2])).id;
      await deleteConnection(t, other.id, false);

      const first = await purge(t, 'acme', { connectionId: gone.id });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toEqual({ deletedUsers: 1, deletedGroups: 1 }); // bea and Team are what is left
      expect(await rowsOf(t, gone.id)).toEqual({ users: 0, groups: 0, members: 0 });
      expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/users?connectionId=${other.id}`)).items)).toEqual([o1, o2].sort());
      const ofBeaOrTeam = (e: { data: any }) => [e.data.id, e.data.userId].some((id) => id === ids.bea || id === ids.team);
      let events = (await eventsOf(t, 'acme', REMOVAL_EVENTS, (list) => list.filter(ofBeaOrTeam).length >= 3)).filter(ofBeaOrTeam);
      expect(events.map((e) => [e.type, e.data.id ?? e.data.userId])).toEqual([
        ['group.user_removed', ids.bea],
        ['user.deleted', ids.bea],
        ['group.deleted', ids.team],
      ]);
      expect(events.every((e) => e.connectionId === gone.id)).toBe(true);

      const rest = await purge(t, 'acme');
      expect(rest.json()).toEqual({ deletedUsers: 2, deletedGroups: 1 });
      const ofOther = (e: { connectionId: string | null }) => e.connectionId === other.id;
      events = (await eventsOf(t, 'acme', REMOVAL_EVENTS, (list) => list.filter(ofOther).length >= 5)).filter(ofOther);
      expect(events).toHaveLength(5);
      expect(events.filter((e) => e.type === 'user.deleted').map((e) => e.data.id).sort()).toEqual([o1, o2].sort());
      expect(events.filter((e) => e.type === 'group.user_removed')).toHaveLength(2);
      expect(events.filter((e) => e.type === 'group.deleted').map((e) => e.data.id)).toEqual([og]);
      expect(events.every((e) => e.connectionId === other.id)).toBe(true);
      expect(await rowsOf(t, other.id)).toEqual({ users: 0, groups: 0, members: 0 });

      // Nothing detached is left; live data is untouched.
      expect(await purge(t, 'acme', {}).then((r) => r.json())).toEqual({ deletedUsers: 0, deletedGroups: 0 });
      expect(sortedIds((await getJson(t, '/api/v1/tenants/acme/users')).items)).toEqual([ids.liz]);
      expect(sortedIds((await getJson(t, '/api/v1/tenants/acme/groups')).items)).toEqual([ids.liveGroup]);
      expect((await getJson(t, `/api/v1/users/${ids.liz}`)).groups).toHaveLength(1);
    });

    it('purges big leftovers in batches, every row with its event', async () => {
      await createTenant(t, 'bulk');
      const conn = await provisioner(t, 'bulk');
      const created: string[] = [];
      for (let i = 0; i < 520; i++) created.push((await conn.user(`u${i}@bulk.test`)).id);
      await conn.group('All', created.slice(0, 300));
      await deleteConnection(t, conn.id, false);
      const res = await purge(t, 'bulk');
      expect(res.json()).toEqual({ deletedUsers: 520, deletedGroups: 1 });
      const feed = await eventsOf(t, 'bulk', REMOVAL_EVENTS, (list) => list.length >= 821);
      expect(feed).toHaveLength(821);
      expect(feed.filter((e) => e.type === 'user.deleted').map((e) => e.data.id).sort()).toEqual(created.slice().sort());
      expect(feed.filter((e) => e.type === 'group.user_removed')).toHaveLength(300);
      expect(feed.filter((e) => e.type === 'group.deleted')).toHaveLength(1);
      expect(await rowsOf(t, conn.id)).toEqual({ users: 0, groups: 0, members: 0 });
    }, 120_000);

    it('deletes each detached row once when purges and deletes race', async () => {
      await createTenant(t, 'race');
      const conn = await provisioner(t, 'race');
      const created: string[] = [];
      for (let i = 0; i < 40; i++) created.push((await conn.user(`r${i}@race.test`)).id);
      await deleteConnection(t, conn.id, false);
      const [a, b, one] = await Promise.all([purge(t, 'race'), purge(t, 'race', { connectionId: conn.id }), del(t, 'users', created[7])]);
      expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
      expect([204, 404]).toContain(one.statusCode);
      const total = a.json().deletedUsers + b.json().deletedUsers + (one.statusCode === 204 ? 1 : 0);
      expect(total).toBe(40);
      const deleted = await eventsOf(t, 'race', ['user.deleted'], (list) => list.length >= 40);
      expect(deleted.map((e) => e.data.id).sort()).toEqual(created.slice().sort());
    });

    it("never touches another tenant's detached data", async () => {
      const theirs = await provisioner(t, 'acme');
      const user = (await theirs.user('keep@acme.test')).id;
      await theirs.group('Keep', [user]);
      await deleteConnection(t, theirs.id, false);
      expect(await getJson(t, '/api/v1/tenants/globex/users')).toEqual({ items: [], nextCursor: null });
      expect((await getJson(t, `/api/v1/tenants/globex/groups?connectionId=${theirs.id}`)).items).toEqual([]);
      expect((await purge(t, 'globex', { connectionId: theirs.id })).json()).toEqual({ deletedUsers: 0, deletedGroups: 0 });
      expect((await purge(t, 'globex')).json()).toEqual({ deletedUsers: 0, deletedGroups: 0 });
      expect(await rowsOf(t, theirs.id)).toEqual({ users: 1, groups: 1, members: 1 });
      expect(await eventsOf(t, 'globex', REMOVAL_EVENTS)).toEqual([]);
      expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/users?connectionId=${theirs.id}`)).items)).toEqual([user]);
    });
  });
}
