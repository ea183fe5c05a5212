/**
 * Deleting a staging connection (syncToUserManagement: false): its users and groups were never in the
 * tenant directory, so they are removed whatever removeUsersAndGroups says, without user or group
 * events, and never show up afterwards as detached data. A connection that syncs keeps them, detached.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { eventsOf, getJson, provisioner } from './support.js';

const CONFIGS = '/directory/resources/v1/configurations/scim2';

for (const dialect of dialectsUnderTest()) {
  describe(`deleting a staging connection [${dialect}]`, () => {
    const t = useTestApp(dialect);

    it('removes what it provisioned, without events, even with removeUsersAndGroups=false', async () => {
      await createTenant(t, 'stage');
      const staging = await provisioner(t, 'stage', false);
      const live = await provisioner(t, 'stage');
      const stan = await staging.user('stan@stage.test');
      const group = await staging.group('Staging Group', [stan.id]);
      const roles = await t.app.inject({ method: 'PUT', url: `/api/v1/tenants/stage/groups/${group.id}/roles`, headers: { authorization: t.auth }, payload: { roleKeys: ['admin'] } });
      expect(roles.statusCode, roles.body).toBe(200);
      const ann = await live.user('ann@stage.test');

      const res = await t.app.inject({ method: 'DELETE', url: `${CONFIGS}/${staging.id}?removeUsersAndGroups=false`, headers: { authorization: t.auth } });
      expect(res.statusCode, res.body).toBe(204);

      // Gone from the database, so from every list, the detached purge and the groups API alike.
      const left = async (table: 'scim_users' | 'scim_groups' | 'scim_group_members' | 'group_roles') =>
        (await sql<{ tenant_id: string }>`select tenant_id from ${sql.table(table)} where tenant_id = 'stage'`.execute(t.db.kysely)).rows.length;
      expect(await left('scim_users')).toBe(1);
      expect(await left('scim_groups')).toBe(0);
      expect(await left('scim_group_members')).toBe(0);
      expect(await left('group_roles')).toBe(0);
      const users = await getJson(t, '/api/v1/tenants/stage/users');
      expect(users.items.map((u: { id: string }) => u.id)).toEqual([ann.id]);
      expect((await getJson(t, '/api/v1/tenants/stage/groups')).items).toEqual([]);
      await getJson(t, `/api/v1/users/${stan.id}`, 404);

      // The app never saw them: no user or group events, and the connection's event says they were removed.
      const events = await eventsOf(t, 'stage', ['connection.deleted', 'user.deleted', 'group.deleted'], (items) => items.some((e) => e.type === 'connection.deleted'));
      expect(events.map((e) => e.type)).toEqual(['connection.deleted']);
      expect(events[0].data).toMatchObject({ id: staging.id, syncToUserManagement: false, removeUsersAndGroups: true });
      const [audit] = (await getJson(t, '/api/v1/audit?tenantId=stage&action=connection.deleted')).items;
      expect(audit.data).toMatchObject({ removeUsersAndGroups: true });
    });

    it('still keeps a syncing connection’s users and groups, detached, with removeUsersAndGroups=false', async () => {
      await createTenant(t, 'kept');
      const live = await provisioner(t, 'kept');
      const ann = await live.user('ann@kept.test');
      await live.group('Kept Group', [ann.id]);
      const res = await t.app.inject({ method: 'DELETE', url: `${CONFIGS}/${live.id}?removeUsersAndGroups=false`, headers: { authorization: t.auth } });
      expect(res.statusCode, res.body).toBe(204);
      const users = await getJson(t, '/api/v1/tenants/kept/users');
      expect(users.items).toMatchObject([{ id: ann.id, detached: true }]);
      expect((await getJson(t, '/api/v1/tenants/kept/groups')).items).toMatchObject([{ displayName: 'Kept Group', detached: true }]);
    });
  });
}
