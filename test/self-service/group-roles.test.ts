/**
 * Group → role mapping: effective roles in the directory API, and `user.updated` (with `roles`)
 * exactly when a mapping change or a SCIM membership change alters a user's effective roles.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { patchOp } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';
import { eventsOf, getJson, provisioner, type Provisioner } from '../directory/support.js';
import { show } from './support.js';

const rolesUrl = (tenantId: string, groupId: string) => `/api/v1/tenants/${tenantId}/groups/${groupId}/roles`;

for (const dialect of dialectsUnderTest()) {
  describe(`group roles [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const put = (tenantId: string, groupId: string, roleKeys: unknown) =>
      t.app.inject({ method: 'PUT', url: rolesUrl(tenantId, groupId), headers: { authorization: t.auth }, payload: { roleKeys } });
    let p: Provisioner;
    const ids: Record<string, string> = {};
    const userRoles = async (name: string) => (await getJson(t, `/api/v1/users/${ids[name]}`)).roles;

    it('gives every user the default role until a group maps more', async () => {
      await createTenant(t, 'gr');
      await createTenant(t, 'gr-other');
      p = await provisioner(t, 'gr');
      for (const name of ['ann', 'bob', 'cid']) ids[name] = (await p.user(`${name}@gr.test`)).id;
      ids.eng = (await p.group('Engineering', [ids.ann])).id;
      ids.ops = (await p.group('Operations', [ids.bob])).id;
      ids.readers = (await p.group('Readers', [ids.cid])).id;
      expect(await userRoles('ann')).toEqual(['read-only']);
      expect((await getJson(t, rolesUrl('gr', ids.eng))).roleKeys).toEqual([]);
    });

    it('maps roles to a group and shows them in the directory API', async () => {
      const res = await put('gr', ids.eng, ['admin', 'admin']);
      expect(res.statusCode, show(res)).toBe(200);
      expect(res.json()).toEqual({ tenantId: 'gr', groupId: ids.eng, roleKeys: ['admin'] });
      expect((await getJson(t, rolesUrl('gr', ids.eng))).roleKeys).toEqual(['admin']);
      expect(await userRoles('ann')).toEqual(['admin', 'read-only']);
      const list = await getJson(t, '/api/v1/tenants/gr/users?limit=10');
      const byName = Object.fromEntries(list.items.map((u: { userName: string; roles: string[] }) => [u.userName, u.roles]));
      expect(byName).toEqual({ 'ann@gr.test': ['admin', 'read-only'], 'bob@gr.test': ['read-only'], 'cid@gr.test': ['read-only'] });
      const members = await getJson(t, `/api/v1/groups/${ids.eng}/members`);
      expect(members.items[0].roles).toEqual(['admin', 'read-only']);
      expect((await getJson(t, `/api/v1/connections/${p.id}/users?limit=10`)).items.every((u: { roles: unknown }) => Array.isArray(u.roles))).toBe(true);
    });

    it('emits user.updated only when a membership change alters effective roles', async () => {
      // SCIM PATCH answers 200 with the group or 204 without it; both are success.
      const op = async (groupId: string, ...ops: Record<string, unknown>[]) => {
        const res = await p.patch(`/Groups/${groupId}`, patchOp(...ops));
        return { statusCode: res.statusCode === 204 ? 200 : res.statusCode };
      };
      expect((await op(ids.eng, { op: 'add', path: 'members', value: [{ value: ids.bob }] })).statusCode).toBe(200); // bob gains admin
      expect((await op(ids.eng, { op: 'remove', path: `members[value eq "${ids.ann}"]` })).statusCode).toBe(200); // ann loses admin
      // A group mapped to the default role changes nobody's roles.
      expect((await put('gr', ids.readers, ['read-only'])).statusCode).toBe(200);
      expect((await op(ids.readers, { op: 'add', path: 'members', value: [{ value: ids.ann }] })).statusCode).toBe(200);
      // bob has admin through eng; mapping ops to admin too changes nothing, and leaving eng keeps admin through ops.
      expect((await put('gr', ids.ops, ['admin'])).statusCode).toBe(200);
      expect((await op(ids.eng, { op: 'remove', path: `members[value eq "${ids.bob}"]` })).statusCode).toBe(200);
      // Deleting ops takes bob's admin away.
      expect((await p.delete(`/Groups/${ids.ops}`)).statusCode).toBe(204);
      // PUT replaces eng's members with cid: cid gains admin.
      const replaced = await p.put(`/Groups/${ids.eng}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', members: [{ value: ids.cid }] });
      expect(replaced.statusCode, show(replaced)).toBe(200);
      // A change that is not about roles, last, so the feed has caught up once it shows.
      expect((await p.patch(`/Users/${ids.ann}`, patchOp({ op: 'replace', path: 'title', value: 'CTO' }))).statusCode).toBe(200);

      const events = await eventsOf(t, 'gr', ['user.updated'], (items) => items.some((e) => e.data.changedAttributes.includes('title')));
      const roleEvents = events.filter((e) => e.data.changedAttributes.join() === 'roles').map((e) => [e.data.userName, e.data.roles]);
      expect(roleEvents).toEqual([
        ['ann@gr.test', ['admin', 'read-only']], // mapping eng → admin
        ['bob@gr.test', ['admin', 'read-only']], // bob joins eng
        ['ann@gr.test', ['read-only']], // ann leaves eng
        ['bob@gr.test', ['read-only']], // ops deleted
        ['cid@gr.test', ['admin', 'read-only']], // PUT eng members
      ]);
      const first = events.find((e) => e.data.changedAttributes.join() === 'roles')!;
      expect(first).toMatchObject({ connectionId: p.id, data: { id: ids.ann, tenantId: 'gr', changedAttributes: ['roles'] } });
      expect(await userRoles('cid')).toEqual(['admin', 'read-only']);
      expect(await userRoles('bob')).toEqual(['read-only']);
    });

    it('drops a deleted role from mappings and effective roles', async () => {
      await t.app.inject({ method: 'POST', url: '/api/v1/roles', headers: { authorization: t.auth }, payload: { key: 'temp', name: 'Temp', permissions: [] } });
      expect((await put('gr', ids.eng, ['admin', 'temp'])).json().roleKeys).toEqual(['admin', 'temp']);
      expect(await userRoles('cid')).toEqual(['admin', 'read-only', 'temp']);
      expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/roles/temp', headers: { authorization: t.auth } })).statusCode).toBe(204);
      expect((await getJson(t, rolesUrl('gr', ids.eng))).roleKeys).toEqual(['admin']);
      expect(await userRoles('cid')).toEqual(['admin', 'read-only']);
    });

    it('keeps staging connections silent but shows their users’ roles', async () => {
      const staging = await provisioner(t, 'gr', false);
      const dan = (await staging.user('dan@gr.test')).id;
      const group = (await staging.group('Staging', [dan])).id;
      expect((await put('gr', group, ['admin'])).statusCode).toBe(200);
      const eve = (await staging.user('eve@gr.test')).id;
      expect([200, 204]).toContain((await staging.patch(`/Groups/${group}`, patchOp({ op: 'add', path: 'members', value: [{ value: eve }] }))).statusCode);
      expect((await getJson(t, `/api/v1/users/${eve}`)).roles).toEqual(['admin', 'read-only']);
      const marker = await p.patch(`/Users/${ids.bob}`, patchOp({ op: 'replace', path: 'title', value: 'marker' }));
      expect(marker.statusCode).toBe(200);
      const events = await eventsOf(t, 'gr', ['user.updated'], (items) => items.some((e) => e.data.title === 'marker' || e.data.scim?.title === 'marker'));
      expect(events.filter((e) => e.connectionId === staging.id)).toEqual([]);
    });

    it('refuses unknown groups, other tenants’ groups, unknown roles and bad bodies', async () => {
      expect((await put('gr', 'no-such-group', ['admin'])).statusCode).toBe(404);
      expect((await put('gr-other', ids.eng, ['admin'])).statusCode).toBe(404);
      expect((await t.app.inject({ url: rolesUrl('gr-other', ids.eng), headers: { authorization: t.auth } })).statusCode).toBe(404);
      const unknown = await put('gr', ids.eng, ['admin', 'ghost']);
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ field: 'roleKeys', message: expect.stringContaining('ghost') });
      expect((await put('gr', ids.eng, 'admin')).statusCode).toBe(400);
      expect((await put('gr', ids.eng, ['bad key'])).statusCode).toBe(400);
      expect((await getJson(t, rolesUrl('gr', ids.eng))).roleKeys).toEqual(['admin']);
    });

    it('audits mapping changes (and not a PUT that changes nothing), and [] removes the mapping', async () => {
      const before = (await getJson(t, '/api/v1/audit?tenantId=gr&action=group.roles_updated')).items.length;
      expect((await put('gr', ids.eng, ['admin'])).statusCode).toBe(200);
      expect((await getJson(t, '/api/v1/audit?tenantId=gr&action=group.roles_updated')).items).toHaveLength(before);
      expect((await put('gr', ids.eng, [])).json().roleKeys).toEqual([]);
      const [latest] = (await getJson(t, '/api/v1/audit?tenantId=gr&action=group.roles_updated')).items;
      expect(latest).toMatchObject({ tenantId: 'gr', target: { type: 'group', id: ids.eng }, data: { before: ['admin'], after: [] }, actor: { type: 'credential' } });
      expect(await userRoles('cid')).toEqual(['read-only']);
    });
  });
}
