/**
 * `q` on the directory's user and group lists: finds by each field, case-insensitively, matches
 * `%`, `_` and `\` literally, pages with the cursor, and stays inside its tenant and connection.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { allPages, expectError, getJson, provisioner, sortedIds, type Provisioner } from '../directory/support.js';

for (const dialect of dialectsUnderTest()) {
  describe(`directory search [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let main: Provisioner;
    let second: Provisioner;
    let staging: Provisioner;
    let foreign: Provisioner;
    const ids: Record<string, string> = {};
    const search = async (url: string, q: string) => (await getJson(t, `${url}${url.includes('?') ? '&' : '?'}q=${encodeURIComponent(q)}&limit=500`)).items;
    const found = async (url: string, q: string) => sortedIds(await search(url, q));
    const tenantUsers = '/api/v1/tenants/find/users';
    const tenantGroups = '/api/v1/tenants/find/groups';

    beforeAll(async () => {
      await createTenant(t, 'find');
      await createTenant(t, 'elsewhere');
      main = await provisioner(t, 'find');
      second = await provisioner(t, 'find');
      staging = await provisioner(t, 'find', false);
      foreign = await provisioner(t, 'elsewhere');
      ids.ann = (await main.user('Ann.Smith@Acme.TEST', { name: { givenName: 'Ann', familyName: 'Smith' } })).id;
      ids.bob = (await main.user('bob@acme.test', { displayName: 'Robert Tables', externalId: 'EXT-Bob-42' })).id;
      ids.carol = (await main.user('carol@acme.test', { emails: [{ value: 'other@home.test' }, { value: 'Carol.Work@Corp.EXAMPLE', primary: true }] })).id;
      ids.underscore = (await main.user('under_score@acme.test')).id;
      ids.underX = (await main.user('underXscore@acme.test')).id;
      ids.percent = (await main.user('pct@acme.test', { displayName: '100% Real' })).id;
      ids.thousand = (await main.user('plain@acme.test', { displayName: '1000 Real' })).id;
      ids.backslash = (await main.user('slash@acme.test', { displayName: 'back\\slash' })).id;
      ids.elodie = (await main.user('elodie@acme.test', { name: { givenName: 'Élodie', familyName: 'Durand' } })).id;
      ids.annQ = (await second.user('ann.q@acme.test')).id;
      ids.stan = (await staging.user('ann.staging@acme.test')).id;
      ids.foreignAnn = (await foreign.user('ann.smith@elsewhere.test', { externalId: 'EXT-Bob-42', displayName: '100% Real' })).id;
      for (let i = 0; i < 7; i++) ids[`page${i}`] = (await main.user(`Page-${i}@acme.test`)).id;
      ids.eng = (await main.group('Engineering', [ids.ann])).id;
      ids.salesUnderscore = (await main.group('Sales_Team')).id;
      ids.salesX = (await main.group('SalesXTeam')).id;
      ids.ext = (await main.createGroup({ displayName: 'Finance', externalId: 'GRP-Fin-7' })).id;
      ids.secondGroup = (await second.group('Engineering Two')).id;
      ids.foreignGroup = (await foreign.group('Engineering')).id;
    });

    it('finds users by userName, displayName, given and family name, externalId and primary email, ignoring case', async () => {
      expect(await found(tenantUsers, 'ANN.SMITH@')).toEqual([ids.ann]);
      expect(await found(tenantUsers, 'ann smith')).toEqual([ids.ann]);
      expect(await found(tenantUsers, 'SMIT')).toEqual([ids.ann]);
      expect(await found(tenantUsers, 'robert tab')).toEqual([ids.bob]);
      expect(await found(tenantUsers, 'ext-BOB-4')).toEqual([ids.bob]);
      expect(await found(tenantUsers, 'corp.example')).toEqual([ids.carol]);
      // Only the primary email is searched.
      expect(await found(tenantUsers, 'home.test')).toEqual([]);
      expect(await found(tenantUsers, 'ÉLODIE')).toEqual([ids.elodie]);
      expect(await found(tenantUsers, 'élodie dur')).toEqual([ids.elodie]);
      expect(await found(tenantUsers, 'nothing like this')).toEqual([]);
      const [ann] = await search(tenantUsers, 'ann smith');
      expect(ann).toMatchObject({ userName: 'Ann.Smith@Acme.TEST', displayName: 'Ann Smith', groups: [{ id: ids.eng, displayName: 'Engineering' }] });
    });

    it('matches %, _ and \\ literally', async () => {
      expect(await found(tenantUsers, 'under_')).toEqual([ids.underscore]);
      expect(await found(tenantUsers, '100%')).toEqual([ids.percent]);
      expect(await found(tenantUsers, '%')).toEqual([ids.percent]);
      expect(await found(tenantUsers, '_')).toEqual([ids.underscore]);
      expect(await found(tenantUsers, '\\')).toEqual([ids.backslash]);
      expect(await found(tenantUsers, 'back\\s')).toEqual([ids.backslash]);
      expect(await found(tenantGroups, 'sales_')).toEqual([ids.salesUnderscore]);
    });

    it('pages a search with the cursor: every match once, nothing else', async () => {
      const expected = [0, 1, 2, 3, 4, 5, 6].map((i) => ids[`page${i}`]).sort();
      for (const url of [`${tenantUsers}?q=page-`, `/api/v1/connections/${main.id}/users?q=PAGE-`]) {
        const { items, pages } = await allPages(t, url, 2);
        expect(pages).toBe(4);
        expect(sortedIds(items)).toEqual(expected);
      }
      const { items } = await allPages(t, `${tenantUsers}?q=acme.test&active=true`, 3);
      expect(new Set(items.map((u: { id: string }) => u.id)).size).toBe(items.length);
      expect(items.every((u: { connectionId: string }) => u.connectionId === main.id || u.connectionId === second.id)).toBe(true);
    });

    it('stays inside its tenant and connection', async () => {
      expect(await found(tenantUsers, 'ann')).toEqual([ids.ann, ids.annQ].sort());
      expect(await found(`${tenantUsers}?connectionId=${second.id}`, 'ann')).toEqual([ids.annQ]);
      expect(await found(`/api/v1/connections/${main.id}/users`, 'ann')).toEqual([ids.ann]);
      // A staging connection's users are found under the connection only.
      expect(await found(`/api/v1/connections/${staging.id}/users`, 'ann')).toEqual([ids.stan]);
      expect(await found('/api/v1/tenants/elsewhere/users', 'ann')).toEqual([ids.foreignAnn]);
      expect(await found(tenantUsers, 'elsewhere')).toEqual([]);
      expect(await found(`/api/v1/connections/${foreign.id}/users`, 'acme')).toEqual([]);
      expect(await found(tenantGroups, 'engineering')).toEqual([ids.eng, ids.secondGroup].sort());
      expect(await found(`/api/v1/connections/${main.id}/groups`, 'engineering')).toEqual([ids.eng]);
      expect(await found('/api/v1/tenants/elsewhere/groups', 'engineering')).toEqual([ids.foreignGroup]);
    });

    it('finds groups by displayName and externalId, ignoring case, and pages them', async () => {
      expect(await found(tenantGroups, 'ENGIN')).toEqual([ids.eng, ids.secondGroup].sort());
      expect(await found(tenantGroups, 'grp-fin')).toEqual([ids.ext]);
      expect(await found(`/api/v1/connections/${main.id}/groups`, 'SALES')).toEqual([ids.salesUnderscore, ids.salesX].sort());
      const { items, pages } = await allPages(t, `${tenantGroups}?q=a`, 1);
      expect(sortedIds(items)).toEqual([ids.salesUnderscore, ids.salesX, ids.ext].sort());
      expect(pages).toBe(3);
    });

    it('refuses an empty or over-long search', async () => {
      const get = (url: string) => t.app.inject({ url, headers: { authorization: t.auth } });
      for (const url of [tenantUsers, tenantGroups, `/api/v1/connections/${main.id}/users`, `/api/v1/connections/${main.id}/groups`]) {
        expectError(await get(`${url}?q=`), 400, 'querystring.q');
        expectError(await get(`${url}?q=${'x'.repeat(201)}`), 400, 'querystring.q');
        expect((await get(`${url}?q=${'x'.repeat(200)}`)).statusCode).toBe(200);
      }
    });
  });
}
