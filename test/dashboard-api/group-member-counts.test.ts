/**
 * The directory's group lists carry each group's `memberCount` (the dashboard's Members column), read
 * from the counts kept as members come and go rather than counted per request, so a page stays one
 * read per group whatever a group's size; `ids` narrows a list to named users or groups (the
 * dashboard names the users and groups of membership events with it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { expectError, getJson, provisioner, type Provisioner } from '../directory/support.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

for (const dialect of dialectsUnderTest()) {
  describe(`group member counts and id lists [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let okta: Provisioner;
    let foreign: Provisioner;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      await createTenant(t, 'acme');
      await createTenant(t, 'globex');
      okta = await provisioner(t, 'acme');
      foreign = await provisioner(t, 'globex');
      for (const name of ['ann', 'bob', 'cyd']) ids[name] = (await okta.user(`${name}@acme.test`)).id;
      ids.empty = (await okta.group('Empty')).id;
      ids.eng = (await okta.group('Engineering', [ids.ann, ids.bob, ids.cyd])).id;
      ids.all = (await okta.group('Everyone', [ids.ann, ids.eng])).id;
      ids.globex = (await foreign.group('Globex', [(await foreign.user('gus@globex.test')).id])).id;
    });

    const countsOf = (items: { displayName: string; memberCount: number }[]) => Object.fromEntries(items.map((g) => [g.displayName, g.memberCount]));

    it('lists each group with its direct member count, users and nested groups alike, on both group lists', async () => {
      expect(countsOf((await getJson(t, '/api/v1/tenants/acme/groups')).items)).toEqual({ Empty: 0, Engineering: 3, Everyone: 2 });
      expect(countsOf((await getJson(t, `/api/v1/connections/${okta.id}/groups`)).items)).toEqual({ Empty: 0, Engineering: 3, Everyone: 2 });
      expect(countsOf((await getJson(t, '/api/v1/tenants/globex/groups')).items)).toEqual({ Globex: 1 });
      expect((await getJson(t, `/api/v1/groups/${ids.eng}`)).memberCount).toBe(3);

      const patch = await okta.patch(`/Groups/${ids.eng}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${ids.cyd}"]` }] });
      expect(patch.statusCode).toBeLessThan(300);
      expect((await okta.delete(`/Users/${ids.ann}`)).statusCode).toBe(204);
      expect(countsOf((await getJson(t, '/api/v1/tenants/acme/groups')).items)).toEqual({ Empty: 0, Engineering: 1, Everyone: 1 });
    });

    it('reads the kept count, not the member rows: a page costs the same for a 100,000-member group', async () => {
      // Set the kept count apart from the rows: the answer shows the kept number, so no row is counted.
      await t.db.kysely.updateTable('scim_member_counts').set({ n: 100_000 }).where('tenant_id', '=', 'acme').where('group_id', '=', ids.eng).execute();
      expect(countsOf((await getJson(t, '/api/v1/tenants/acme/groups')).items).Engineering).toBe(100_000);
      expect((await getJson(t, `/api/v1/groups/${ids.eng}`)).memberCount).toBe(100_000);
      await t.db.kysely.updateTable('scim_member_counts').set({ n: 1 }).where('tenant_id', '=', 'acme').where('group_id', '=', ids.eng).execute();
    });

    it('narrows a list to the ids named, leaving out unknown ones and another tenant’s', async () => {
      const users = await getJson(t, `/api/v1/tenants/acme/users?ids=${ids.bob},${ids.cyd},nobody,${ids.bob}`);
      expect(users.items.map((u: { userName: string }) => u.userName).sort()).toEqual(['bob@acme.test', 'cyd@acme.test']);
      const groups = await getJson(t, `/api/v1/tenants/acme/groups?ids=${ids.all},${ids.globex}`);
      expect(groups.items.map((g: { displayName: string; memberCount: number }) => [g.displayName, g.memberCount])).toEqual([['Everyone', 1]]);
      expect((await getJson(t, `/api/v1/connections/${okta.id}/groups?ids=${ids.empty}`)).items.map((g: { id: string }) => g.id)).toEqual([ids.empty]);
      expect((await getJson(t, `/api/v1/tenants/globex/users?ids=${ids.bob}`)).items).toEqual([]);
    });

    it('refuses an ids list naming none, more than 100, or an overlong id, with a 400 naming the field', async () => {
      const get = (query: string) => t.app.inject({ url: `/api/v1/tenants/acme/users?${query}`, headers: { authorization: t.auth } });
      expectError(await get('ids=,,'), 400, 'querystring.ids');
      expectError(await get(`ids=${Array.from({ length: 101 }, (_, i) => `u${i}`).join(',')}`), 400, 'querystring.ids');
      expectError(await get(`ids=${'x'.repeat(65)}`), 400, 'querystring.ids');
      expectError(await get(`ids=${'x,'.repeat(3300)}`), 400, 'querystring.ids');
      expect((await get(`ids=${Array.from({ length: 100 }, (_, i) => `u${i}`).join(',')}`)).statusCode).toBe(200);
    });
  });
}
