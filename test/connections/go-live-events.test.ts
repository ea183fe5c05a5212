/**
 * Going live: switching a staging connection to syncToUserManagement writes, in the transaction of
 * the switch, user.created for each user (as a SCIM create gives it, with its current active), then
 * group.created for each group, then group.user_added for each user membership — once per switch,
 * again after a switch off and on, never for a switch off; the directory API shows the data, and the
 * connection's next SCIM writes record their own events.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { getJson, provisioner } from '../directory/support.js';
import { feedCaughtUp } from '../webhooks/helpers.js';
import { CONFIGS, feedOf, insertGroup, insertUsers, switchSync, type FeedEvent } from './go-live-support.js';

/** What a user.created says of a user, without what differs between two connections' copies of it. */
function portable(data: Record<string, any>) {
  const { id: _id, connectionId: _connection, createdAt: _created, updatedAt: _updated, scim, ...rest } = data;
  const { id: _scimId, meta: _meta, ...resource } = scim;
  return { ...rest, scim: resource };
}

/** The connection's events by type, counted in the database, and whether they share one transaction. */
async function eventCounts(t: TestApp, connectionId: string) {
  await feedCaughtUp(t);
  const rows = await t.db.kysely.selectFrom('events').select(['type', 'seq', 'tx_order', 'occurred_at']).where('connection_id', '=', connectionId).where('type', '<>', 'connection.created').orderBy('seq').execute();
  const byType: Record<string, number> = {};
  for (const row of rows) byType[row.type] = (byType[row.type] ?? 0) + 1;
  return { byType, rows };
}

for (const dialect of dialectsUnderTest()) {
  describe(`going live [${dialect}]`, () => {
    const t = useTestApp(dialect);

    it('emits user.created per user, group.created per group, group.user_added per user membership, in that order', async () => {
      const tenant = 'gl-events';
      await createTenant(t, tenant);
      const live = await provisioner(t, tenant);
      const twinPayload = { name: { givenName: 'Tia', familyName: 'Twin' }, displayName: 'Tia Twin', active: false, title: 'Engineer' };
      await live.user('twin@gl.test', twinPayload);
      const staging = await provisioner(t, tenant, false);
      const a = await staging.user('amy@gl.test');
      const b = await staging.user('ben@gl.test', { active: false });
      const twin = await staging.user('twin@gl.test', twinPayload);
      const eng = await staging.group('Eng', [a.id, b.id]);
      const ops = await staging.group('Ops', [twin.id, eng.id]);
      // The staging users are not in the directory yet, and told the app nothing.
      const before = await feedOf(t, tenant);
      const liveTwin = before.items.find((e) => e.type === 'user.created' && e.data.userName === 'twin@gl.test')!;
      expect(before.items.filter((e) => e.connectionId === staging.id).map((e) => e.type)).toEqual(['connection.created']);
      expect((await getJson(t, `/api/v1/tenants/${tenant}/users`)).items.map((u: { id: string }) => u.id)).not.toContain(a.id);

      await switchSync(t, staging.id, true);

      const { items } = await feedOf(t, tenant, before.cursor);
      const order = (await t.db.kysely.selectFrom('scim_users').select('id').where('connection_id', '=', staging.id).orderBy('created_at').orderBy('id').execute()).map((r) => r.id);
      const groupOrder = (await t.db.kysely.selectFrom('scim_groups').select('id').where('connection_id', '=', staging.id).orderBy('created_at').orderBy('id').execute()).map((r) => r.id);
      expect(items.map((e) => e.type)).toEqual([...order.map(() => 'user.created'), ...groupOrder.map(() => 'group.created'), 'group.user_added', 'group.user_added', 'group.user_added']);
      expect(items.every((e) => e.connectionId === staging.id)).toBe(true);
      const users = items.filter((e) => e.type === 'user.created');
      expect(users.map((e) => e.data.id)).toEqual(order);
      expect(users.find((e) => e.data.id === b.id)!.data).toMatchObject({ userName: 'ben@gl.test', active: false, detached: false, connectionId: staging.id, tenantId: tenant });
      // Exactly what a SCIM create of the same user gives, but for what names this copy.
      const goneLiveTwin = users.find((e) => e.data.id === twin.id)!;
      expect(portable(goneLiveTwin.data)).toEqual(portable(liveTwin.data));
      expect(goneLiveTwin.data.scim.id).toBe(twin.id);
      const groups = items.filter((e) => e.type === 'group.created');
      expect(groups.map((e) => e.data.id)).toEqual(groupOrder);
      expect(groups.find((e) => e.data.id === ops.id)!.data).toMatchObject({ displayName: 'Ops', connectionId: staging.id, detached: false });
      const added = (events: FeedEvent[]) => events.filter((e) => e.type === 'group.user_added').map((e) => `${e.data.groupId}/${e.data.userId}`).sort();
      // The nested group (eng in ops) is no user membership.
      expect(added(items)).toEqual([`${eng.id}/${a.id}`, `${eng.id}/${b.id}`, `${ops.id}/${twin.id}`].sort());

      // The directory shows them now, with their groups.
      const listed = (await getJson(t, `/api/v1/tenants/${tenant}/users?limit=100`)).items.map((u: { id: string }) => u.id);
      expect(listed).toEqual(expect.arrayContaining(order));
      expect((await getJson(t, `/api/v1/users/${a.id}`)).groups).toEqual([{ id: eng.id, displayName: 'Eng' }]);
      expect((await getJson(t, `/api/v1/tenants/${tenant}/groups?limit=100`)).items.map((g: { id: string }) => g.id)).toEqual(expect.arrayContaining(groupOrder));
      const [audit] = (await getJson(t, `/api/v1/audit?tenantId=${tenant}&action=connection.updated`)).items;
      expect(audit.data).toMatchObject({ changes: { syncToUserManagement: true } });

      // The connection's token was resolved while staging; its next write records its event.
      const cy = await staging.user('cy@gl.test');
      const next = await feedOf(t, tenant, items.at(-1)!.cursor);
      expect(next.items.map((e) => [e.type, e.data.id])).toEqual([['user.created', cy.id]]);
    });

    it('emits nothing when switched off, and everything again when switched on again', async () => {
      const tenant = 'gl-again';
      await createTenant(t, tenant);
      const staging = await provisioner(t, tenant, false);
      const u = await staging.user('uma@gl.test');
      await staging.group('Team', [u.id]);
      await switchSync(t, staging.id, true);
      const first = await feedOf(t, tenant);
      expect(first.items.map((e) => e.type)).toEqual(['connection.created', 'user.created', 'group.created', 'group.user_added']);

      // Switching on what is on already emits nothing; so does switching off.
      await switchSync(t, staging.id, true);
      await switchSync(t, staging.id, false);
      expect((await feedOf(t, tenant, first.cursor)).items).toEqual([]);
      expect((await getJson(t, `/api/v1/tenants/${tenant}/users`)).items).toEqual([]);

      await switchSync(t, staging.id, true);
      const again = await feedOf(t, tenant, first.cursor);
      expect(again.items.map((e) => [e.type, e.data.id ?? e.data.userId])).toEqual([
        ['user.created', u.id],
        ['group.created', expect.any(String)],
        ['group.user_added', u.id],
      ]);
    });

    it('switches an empty connection on without events, and a rename alone emits none', async () => {
      await createTenant(t, 'gl-empty');
      const { id } = await createConnection(t, 'gl-empty', 'okta', false);
      const rename = await t.app.inject({ method: 'PATCH', url: `${CONFIGS}/${id}`, headers: { authorization: t.auth }, payload: { connectionName: 'Renamed' } });
      expect(rename.statusCode).toBe(204);
      await switchSync(t, id, true);
      expect((await eventCounts(t, id)).rows).toEqual([]);
      expect((await getJson(t, `${CONFIGS}/${id}`))).toMatchObject({ connectionName: 'Renamed', syncToUserManagement: true });
      const missing = await t.app.inject({ method: 'PATCH', url: `${CONFIGS}/00000000-0000-4000-8000-000000000000`, headers: { authorization: t.auth }, payload: { syncToUserManagement: true } });
      expect(missing.statusCode).toBe(404);
    });

    it('emits once when two switches race', async () => {
      await createTenant(t, 'gl-race');
      const { id } = await createConnection(t, 'gl-race', 'okta', false);
      const users = await insertUsers(t, 'gl-race', id, 'race', 50);
      await insertGroup(t, 'gl-race', id, 'race-group', users);
      const answers = await Promise.all(
        [0, 1, 2].map(() => t.app.inject({ method: 'PATCH', url: `${CONFIGS}/${id}`, headers: { authorization: t.auth }, payload: { syncToUserManagement: true } })),
      );
      expect(answers.map((r) => r.statusCode)).toEqual([204, 204, 204]);
      expect((await eventCounts(t, id)).byType).toEqual({ 'user.created': 50, 'group.created': 1, 'group.user_added': 50 });
    });

    it('announces every SCIM write that races the switch exactly once', async () => {
      await createTenant(t, 'gl-writes');
      const { id } = await createConnection(t, 'gl-writes', 'okta', false);
      await insertUsers(t, 'gl-writes', id, 'before', 500);
      const token = (await t.app.inject({ method: 'POST', url: `/api/v1/connections/${id}/tokens`, headers: { authorization: t.auth }, payload: {} })).json().token as string;
      const create = (i: number) =>
        t.app.inject({
          method: 'POST',
          url: `/directory/resources/scim/v2.0/${id}/Users`,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
          payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `racing-${i}@example.test` },
        });
      const writes = (async () => {
        const answers = [];
        for (let i = 0; i < 60; i += 4) answers.push(...(await Promise.all([0, 1, 2, 3].map((k) => create(i + k)))));
        return answers;
      })();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await switchSync(t, id, true);
      expect((await writes).map((r) => r.statusCode)).toEqual(Array(60).fill(201));
      const { byType } = await eventCounts(t, id);
      expect(byType['user.created']).toBe(560);
      const created = await t.db.kysely.selectFrom('events').select('resource_id').where('connection_id', '=', id).where('type', '=', 'user.created').execute();
      expect(new Set(created.map((e) => e.resource_id)).size).toBe(560);
    });

    it('takes a 2,000-user connection live in one transaction', async () => {
      const tenant = 'gl-large';
      await createTenant(t, tenant);
      const { id } = await createConnection(t, tenant, 'okta', false);
      const users = await insertUsers(t, tenant, id, 'large', 2000);
      // Every user in "everyone" and in one of five teams: 4,000 memberships, more than a page per page of users.
      await insertGroup(t, tenant, id, 'everyone', users, 0);
      for (let g = 0; g < 5; g++) await insertGroup(t, tenant, id, `team-${g}`, users.filter((_, i) => i % 5 === g), g + 1);
      const preview = await getJson(t, `/api/v1/connections/${id}/go-live-preview`);
      expect(preview).toMatchObject({ users: { total: 2000, active: 1800, inactive: 200 }, groups: { total: 6 }, memberships: 4000 });

      await switchSync(t, id, true);

      const { byType, rows } = await eventCounts(t, id);
      expect(byType).toEqual({ 'user.created': 2000, 'group.created': 6, 'group.user_added': 4000 });
      // One transaction: one tx_order (PostgreSQL) and one instant, with nothing between its events.
      expect(new Set(rows.map((r) => String(r.tx_order))).size).toBe(1);
      expect(new Set(rows.map((r) => r.occurred_at)).size).toBe(1);
      if (dialect === 'sqlite') expect(Number(rows.at(-1)!.seq) - Number(rows[0].seq) + 1).toBe(rows.length);
      // In order: every user, then every group, then every membership, each once.
      const types = rows.map((r) => r.type);
      expect(types.lastIndexOf('user.created')).toBe(1999);
      expect(types.lastIndexOf('group.created')).toBe(2005);
      const detail = await t.db.kysely.selectFrom('events').select(['type', 'resource_id', 'data']).where('connection_id', '=', id).where('type', 'in', ['user.created', 'group.user_added']).execute();
      expect(new Set(detail.filter((e) => e.type === 'user.created').map((e) => e.resource_id)).size).toBe(2000);
      const memberships = new Set(detail.filter((e) => e.type === 'group.user_added').map((e) => e.data));
      expect(memberships.size).toBe(4000);
    });
  });
}
