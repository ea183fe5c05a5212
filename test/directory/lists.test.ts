/** The tenant and connection lists: visibility, filters, paging, tenant isolation. */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { patchOp } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';
import { allPages, getJson, provisioner, sortedIds, type Provisioner } from './support.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const dialect of dialectsUnderTest()) {
  describe(`directory lists [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let okta: Provisioner;
    let entra: Provisioner;
    let staging: Provisioner;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      await createTenant(t, 'acme');
      await createTenant(t, 'globex');
      okta = await provisioner(t, 'acme');
      entra = await provisioner(t, 'acme');
      staging = await provisioner(t, 'acme', false);
      ids.ann = (await okta.user('Ann.Smith@Acme.TEST', { name: { givenName: 'Ann', familyName: 'Smith' } })).id;
      ids.bob = (await okta.user('bob@acme.test', { active: false })).id;
      ids.cyd = (await entra.user('cyd@acme.test', { displayName: 'Cyd C.' })).id;
      ids.stan = (await staging.user('stan@acme.test')).id;
      ids.eng = (await okta.group('Engineering', [ids.ann, ids.bob])).id;
      ids.ops = (await entra.group('Ops', [ids.cyd])).id;
      ids.stage = (await staging.group('Staging group', [ids.stan])).id;
    });

    it('lists the users of connections that sync to user management, in the normalised shape', async () => {
      const page = await getJson(t, '/api/v1/tenants/acme/users');
      expect(page.nextCursor).toBeNull();
      expect(sortedIds(page.items)).toEqual([ids.ann, ids.bob, ids.cyd].sort());
      const ann = page.items.find((u: any) => u.id === ids.ann);
      expect(ann).toMatchObject({
        id: ids.ann,
        tenantId: 'acme',
        connectionId: okta.id,
        userName: 'Ann.Smith@Acme.TEST',
        email: 'Ann.Smith@Acme.TEST',
        firstName: 'Ann',
        lastName: 'Smith',
        displayName: 'Ann Smith',
        active: true,
        detached: false,
        groups: [{ id: ids.eng, displayName: 'Engineering' }],
      });
      expect(ann.createdAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      expect(ann.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      expect(ann.scim).toMatchObject({ id: ids.ann, userName: 'Ann.Smith@Acme.TEST', name: { givenName: 'Ann', familyName: 'Smith' } });
      expect(page.items.find((u: any) => u.id === ids.cyd)).toMatchObject({ displayName: 'Cyd C.', firstName: null, groups: [{ id: ids.ops }] });
    });

    it('lists the groups of synced connections', async () => {
      const page = await getJson(t, '/api/v1/tenants/acme/groups');
      expect(sortedIds(page.items)).toEqual([ids.eng, ids.ops].sort());
      expect(page.items.find((g: any) => g.id === ids.eng)).toMatchObject({ tenantId: 'acme', connectionId: okta.id, displayName: 'Engineering', detached: false, scim: { displayName: 'Engineering' } });
      expect(page.nextCursor).toBeNull();
    });

    it('keeps a staging connection out of the tenant lists but shows it under /connections/{id}', async () => {
      expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/users?connectionId=${staging.id}`)).items)).toEqual([]);
      expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/groups?connectionId=${staging.id}`)).items)).toEqual([]);
      const users = await getJson(t, `/api/v1/connections/${staging.id}/users`);
      expect(users.items).toHaveLength(1);
      expect(users.items[0]).toMatchObject({ id: ids.stan, connectionId: staging.id, detached: false, groups: [{ id: ids.stage, displayName: 'Staging group' }] });
      expect(sortedIds((await getJson(t, `/api/v1/connections/${staging.id}/groups`)).items)).toEqual([ids.stage]);
      // A synced connection's lists hold only its own data.
      expect(sortedIds((await getJson(t, `/api/v1/connections/${okta.id}/users`)).items)).toEqual([ids.ann, ids.bob].sort());
      expect(sortedIds((await getJson(t, `/api/v1/connections/${entra.id}/groups`)).items)).toEqual([ids.ops]);
    });

    it('shows a staging connection in the tenant lists once it syncs to user management', async () => {
      const other = await provisioner(t, 'acme', false);
      const id = (await other.user('late@acme.test')).id;
      expect((await getJson(t, `/api/v1/tenants/acme/users?connectionId=${other.id}`)).items).toEqual([]);
      const patch = await t.app.inject({ method: 'PATCH', url: `/directory/resources/v1/configurations/scim2/${other.id}`, headers: { authorization: t.auth }, payload: { syncToUserManagement: true } });
      expect(patch.statusCode).toBe(204);
      expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/users?connectionId=${other.id}`)).items)).toEqual([id]);
    });

    it('filters by connectionId', async () => {
      expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/users?connectionId=${okta.id}`)).items)).toEqual([ids.ann, ids.bob].sort());
      expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/users?connectionId=${entra.id}`)).items)).toEqual([ids.cyd]);
      expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/groups?connectionId=${okta.id}`)).items)).toEqual([ids.eng]);
      expect((await getJson(t, '/api/v1/tenants/acme/users?connectionId=no-such-connection')).items).toEqual([]);
    });

    it('filters by active', async () => {
      expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/users?active=false`)).items)).toEqual([ids.bob]);
      const active = sortedIds((await getJson(t, `/api/v1/tenants/acme/users?active=true&connectionId=${okta.id}`)).items);
      expect(active).toEqual([ids.ann]);
      expect(sortedIds((await getJson(t, `/api/v1/connections/${okta.id}/users?active=false`)).items)).toEqual([ids.bob]);
    });

    it('filters by email, case-insensitively', async () => {
      for (const email of ['ann.smith@acme.test', 'ANN.SMITH@ACME.TEST', 'Ann.Smith@Acme.TEST']) {
        expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/users?email=${encodeURIComponent(email)}`)).items)).toEqual([ids.ann]);
      }
      expect((await getJson(t, '/api/v1/tenants/acme/users?email=nobody%40acme.test')).items).toEqual([]);
      // The staging user's email is not in the tenant directory, only in its connection's list.
      expect((await getJson(t, '/api/v1/tenants/acme/users?email=stan%40acme.test')).items).toEqual([]);
      expect(sortedIds((await getJson(t, `/api/v1/connections/${staging.id}/users?email=STAN%40acme.test`)).items)).toEqual([ids.stan]);
    });

    it('filters by updatedSince, whatever the offset the instant is written with', async () => {
      const conn = await provisioner(t, 'acme');
      await conn.user('old@acme.test');
      const touched = (await conn.user('touched@acme.test')).id;
      const group = (await conn.group('Old group')).id;
      await sleep(15);
      const since = new Date();
      await sleep(15);
      expect((await conn.patch(`/Users/${touched}`, patchOp({ op: 'replace', path: 'title', value: 'Boss' }))).statusCode).toBe(200);
      const fresh = (await conn.user('fresh@acme.test')).id;
      const utc = encodeURIComponent(since.toISOString());
      // The same instant two hours ahead of UTC: compared as an instant, not as text.
      const shifted = new Date(since.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
      for (const value of [utc, encodeURIComponent(shifted)]) {
        const users = await getJson(t, `/api/v1/tenants/acme/users?connectionId=${conn.id}&updatedSince=${value}`);
        expect(sortedIds(users.items)).toEqual([touched, fresh].sort());
      }
      expect(sortedIds((await getJson(t, `/api/v1/connections/${conn.id}/users?updatedSince=${utc}`)).items)).toEqual([touched, fresh].sort());
      expect((await getJson(t, `/api/v1/tenants/acme/groups?connectionId=${conn.id}&updatedSince=${utc}`)).items).toEqual([]);
      expect(sortedIds((await getJson(t, `/api/v1/tenants/acme/groups?connectionId=${conn.id}&updatedSince=2000-01-01T00:00:00Z`)).items)).toEqual([group]);
    });

    it('pages through more than a page with no gaps or repeats, in a stable order', async () => {
      await createTenant(t, 'big');
      const conn = await provisioner(t, 'big');
      const created: string[] = [];
      for (let i = 0; i < 105; i++) created.push((await conn.user(`user${String(i).padStart(3, '0')}@big.test`)).id);
      const groups: string[] = [];
      for (let i = 0; i < 11; i++) groups.push((await conn.group(`Group ${i}`)).id);

      const first = await getJson(t, '/api/v1/tenants/big/users');
      expect(first.items).toHaveLength(100); // the default limit
      expect(typeof first.nextCursor).toBe('string');

      // The reference order: (createdAt, id), every user once. Users created in the same
      // millisecond are ordered by id, so this need not be the creation order.
      const all = (await getJson(t, '/api/v1/tenants/big/users?limit=500')).items as { id: string; createdAt: string }[];
      expect(all.map((u) => u.id).sort()).toEqual(created.slice().sort());
      const byKey = (a: { id: string; createdAt: string }, b: { id: string; createdAt: string }) => (a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1);
      expect(all.slice().sort(byKey)).toEqual(all);
      const order = all.map((u) => u.id);

      for (const limit of [1, 7, 50, 104, 105, 500]) {
        const { items, pages } = await allPages(t, '/api/v1/tenants/big/users', limit);
        expect(items.map((u) => u.id)).toEqual(order);
        expect(pages).toBe(Math.ceil(105 / limit));
      }
      // Filters and paging together; the connection list pages the same way.
      const viaConnection = await allPages(t, `/api/v1/connections/${conn.id}/users?active=true`, 10);
      expect(viaConnection.items.map((u) => u.id)).toEqual(order);
      const groupOrder = ((await getJson(t, '/api/v1/tenants/big/groups?limit=500')).items as { id: string }[]).map((g) => g.id);
      expect(groupOrder.slice().sort()).toEqual(groups.slice().sort());
      const groupPages = await allPages(t, '/api/v1/tenants/big/groups', 3);
      expect(groupPages.items.map((g) => g.id)).toEqual(groupOrder);
      expect(groupPages.pages).toBe(4);
      expect((await allPages(t, `/api/v1/connections/${conn.id}/groups`, 5)).items.map((g) => g.id)).toEqual(groupOrder);

      // A change while paging does not move a user between pages: the order is by creation.
      const page1 = await getJson(t, '/api/v1/tenants/big/users?limit=50');
      expect((await conn.patch(`/Users/${created[10]}`, patchOp({ op: 'replace', path: 'title', value: 'Moved?' }))).statusCode).toBe(200);
      const rest = await allPages(t, '/api/v1/tenants/big/users', 50, page1.nextCursor);
      expect([...page1.items, ...rest.items].map((u: any) => u.id)).toEqual(order);
    });

    it('breaks ties on createdAt by id, so rows created in the same millisecond page correctly', async () => {
      await createTenant(t, 'ties');
      const conn = await provisioner(t, 'ties');
      const created: string[] = [];
      for (let i = 0; i < 9; i++) created.push((await conn.user(`tie${i}@ties.test`)).id);
      // Same instant for all: what a burst of writes inside one millisecond produces.
      await t.db.kysely.updateTable('scim_users').set({ created_at: '2030-01-01T00:00:00.000Z' }).where('tenant_id', '=', 'ties').execute();
      for (const limit of [1, 2, 4]) {
        const { items } = await allPages(t, '/api/v1/tenants/ties/users', limit);
        expect(items.map((u) => u.id)).toEqual(created.slice().sort());
      }
    });

    it('shows another tenant nothing of this one', async () => {
      expect(await getJson(t, '/api/v1/tenants/globex/users')).toEqual({ items: [], nextCursor: null });
      expect(await getJson(t, '/api/v1/tenants/globex/groups')).toEqual({ items: [], nextCursor: null });
      expect((await getJson(t, `/api/v1/tenants/globex/users?connectionId=${okta.id}`)).items).toEqual([]);
      expect((await getJson(t, `/api/v1/tenants/globex/users?email=ann.smith%40acme.test`)).items).toEqual([]);
      const mine = await provisioner(t, 'globex');
      const own = (await mine.user('ann.smith@acme.test')).id; // the same email, in another tenant
      expect(sortedIds((await getJson(t, '/api/v1/tenants/globex/users?email=ann.smith%40acme.test')).items)).toEqual([own]);
      expect(sortedIds((await getJson(t, '/api/v1/tenants/acme/users?email=ann.smith%40acme.test')).items)).toEqual([ids.ann]);
      // A cursor from one tenant's list only positions; it never shows the other tenant's rows.
      const acme = await getJson(t, '/api/v1/tenants/acme/users?limit=1');
      const globex = await getJson(t, `/api/v1/tenants/globex/users?cursor=${encodeURIComponent(acme.nextCursor)}`);
      expect(globex.items.every((u: any) => u.tenantId === 'globex')).toBe(true);
    });
  });
}
