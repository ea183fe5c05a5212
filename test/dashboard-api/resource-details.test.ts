/** GET /api/v1/users/{id} with groups, roles and the SCIM resource; GET /api/v1/groups/{id} with its member count. */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { patchOp } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';
import { getJson, provisioner, type Provisioner } from '../directory/support.js';

for (const dialect of dialectsUnderTest()) {
  describe(`user and group details [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let p: Provisioner;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      await createTenant(t, 'detail');
      await createTenant(t, 'detail-other');
      p = await provisioner(t, 'detail');
      ids.ann = (await p.user('ann@detail.test', { title: 'Engineer', externalId: 'okta-ann' })).id;
      ids.bob = (await p.user('bob@detail.test')).id;
      ids.child = (await p.group('Child', [ids.ann])).id;
      ids.parent = (await p.group('Parent', [ids.ann, ids.bob, ids.child])).id;
      ids.empty = (await p.group('Empty')).id;
      // Another tenant's group of the same shape must not change the counts.
      const other = await provisioner(t, 'detail-other');
      const stranger = await other.user('stranger@other.test');
      await other.group('Parent', [stranger.id]);
      const mapped = await t.app.inject({ method: 'PUT', url: `/api/v1/tenants/detail/groups/${ids.child}/roles`, headers: { authorization: t.auth }, payload: { roleKeys: ['admin'] } });
      expect(mapped.statusCode, mapped.body).toBe(200);
    });

    it('returns a user with its direct groups, effective roles and raw SCIM resource', async () => {
      const user = await getJson(t, `/api/v1/users/${ids.ann}`);
      expect(user).toMatchObject({ id: ids.ann, tenantId: 'detail', connectionId: p.id, userName: 'ann@detail.test', email: 'ann@detail.test' });
      expect(user.groups).toEqual([
        { id: ids.child, displayName: 'Child' },
        { id: ids.parent, displayName: 'Parent' },
      ]);
      expect(user.roles).toEqual(['admin', 'read-only']);
      expect(user.scim).toMatchObject({ id: ids.ann, userName: 'ann@detail.test', title: 'Engineer', externalId: 'okta-ann' });
      expect(await getJson(t, `/api/v1/users/${ids.bob}`)).toMatchObject({ groups: [{ id: ids.parent, displayName: 'Parent' }], roles: ['read-only'] });
    });

    it('returns a group with its direct member count, users and nested groups', async () => {
      expect(await getJson(t, `/api/v1/groups/${ids.parent}`)).toMatchObject({ id: ids.parent, displayName: 'Parent', memberCount: 3, scim: { displayName: 'Parent' } });
      expect((await getJson(t, `/api/v1/groups/${ids.child}`)).memberCount).toBe(1);
      expect((await getJson(t, `/api/v1/groups/${ids.empty}`)).memberCount).toBe(0);
      const removed = await p.patch(`/Groups/${ids.parent}`, patchOp({ op: 'remove', path: `members[value eq "${ids.bob}"]` }));
      expect(removed.statusCode, removed.body).toBeLessThan(300);
      expect((await getJson(t, `/api/v1/groups/${ids.parent}`)).memberCount).toBe(2);
      // The lists carry the same count for each group.
      const list = await getJson(t, '/api/v1/tenants/detail/groups');
      expect(Object.fromEntries(list.items.map((g: { id: string; memberCount: number }) => [g.id, g.memberCount]))).toEqual({ [ids.parent]: 2, [ids.child]: 1, [ids.empty]: 0 });
    });
  });
}
