/**
 * List responses (RFC 7644 §3.4.2): paging by startIndex/count, sorting by sortBy/sortOrder,
 * attributes/excludedAttributes, and POST /.search (§3.4.3), through the API on each database.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../src/scim/filter/compare.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { ENTERPRISE_URN, SEARCH_REQUEST, USER_URN, idsOf, newScimClient, prng, q, type ScimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

type Resource = Record<string, any>;
const USERS = 250;
const WORDS = ['alpha', 'Bravo', 'CHARLIE', 'delta', 'Echo', 'foxtrot', 'Golf', 'hotel', 'India', 'juliet', 'émile', 'Zulu'];
const FAMILIES = ['Smith', 'adams', 'Ōtani', 'baker', 'ZHANG', 'Émond', 'müller'];
const OKTA = 'urn:okta:custom:1.0:User';

/** The 250 users: mixed-case names, some without familyName or emails, primary email not always first. */
function userBody(i: number, r: ReturnType<typeof prng>): Resource {
  const user: Resource = { userName: `${r.pick(WORDS)}.${String(i).padStart(3, '0')}@Example.com`, displayName: `User ${i}` };
  if (r.chance(0.8)) user.name = { givenName: r.pick(WORDS), familyName: r.pick(FAMILIES) };
  const n = r.int(3);
  if (n > 0) {
    user.emails = Array.from({ length: n }, (_, k) => ({ value: `${r.pick(WORDS)}${i}.${k}@mail.test`, type: k === 0 ? 'work' : 'home' }));
    if (n === 2 && r.chance(0.5)) user.emails[1].primary = true;
  }
  if (r.chance(0.5)) user[ENTERPRISE_URN] = { department: r.pick(['Sales', 'Eng']), employeeNumber: String(i) };
  if (r.chance(0.5)) user[OKTA] = { costCode: `${r.pick(['b', 'A', 'c'])}-${i}` };
  return user;
}

/** Runs `tasks` a few at a time: creating hundreds of users one by one is needlessly slow on PostgreSQL. */
async function inBatches<T>(count: number, task: (i: number) => Promise<T>, size = 10): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, count - i) }, (_, k) => task(i + k)))));
  }
  return out;
}

/** The sort key RFC 7644 §3.4.2.3 describes: case-insensitive strings; a multi-valued attribute by its primary (else first) value. */
const SORT_KEYS: Record<string, (u: Resource) => string | undefined> = {
  userName: (u) => u.userName.toLowerCase(),
  'name.familyName': (u) => u.name?.familyName?.toLowerCase(),
  'meta.created': (u) => u.meta.created,
  emails: (u) => (u.emails?.find((e: Resource) => e.primary) ?? u.emails?.[0])?.value.toLowerCase(),
  [`${ENTERPRISE_URN}:department`]: (u) => u[ENTERPRISE_URN]?.department?.toLowerCase(),
  // A custom extension no schema describes, named in another case than it was sent.
  [`${OKTA.toUpperCase()}:COSTCODE`]: (u) => u[OKTA]?.costCode?.toLowerCase(),
};

/** Checks that `list` is ordered by `key`: values in order, missing ones last ascending and first descending. */
function expectSorted(list: Resource[], key: (u: Resource) => string | undefined, descending: boolean): void {
  const keys = list.map(key);
  for (let i = 1; i < keys.length; i++) {
    const [a, b] = [keys[i - 1], keys[i]];
    if (a === undefined || b === undefined) {
      // Missing before present only when descending; present before missing only when ascending.
      if (a === undefined && b !== undefined) expect(descending, `missing before "${b}" at ${i}`).toBe(true);
      if (a !== undefined && b === undefined) expect(descending, `"${a}" before missing at ${i}`).toBe(false);
      continue;
    }
    const order = compareCodePoints(a, b);
    expect(descending ? order >= 0 : order <= 0, `"${a}" then "${b}" at ${i}`).toBe(true);
  }
}

/** Reads every page of `query` with `count` per page; checks each envelope on the way. */
async function allPages(client: ScimClient, path: string, count: number): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let total = -1;
  for (let start = 1; ; start += count) {
    const res = await client.get(`${path}${path.includes('?') ? '&' : '?'}startIndex=${start}&count=${count}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    if (total < 0) total = body.totalResults;
    expect(body.totalResults).toBe(total);
    expect(body.startIndex).toBe(start);
    expect(body.itemsPerPage).toBe(body.Resources.length);
    expect(body.Resources.length).toBe(Math.max(0, Math.min(count, total - start + 1)));
    ids.push(...body.Resources.map((r: Resource) => r.id));
    if (start + count > total) return { ids, total };
  }
}

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM lists: paging, sorting, projection, .search [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let client: ScimClient;
    let users: Resource[] = [];
    let groupIds: string[] = [];

    beforeAll(async () => {
      await createTenant(t, 'lists');
      client = await newScimClient(t, 'lists');
      const r = prng(3442);
      const bodies = Array.from({ length: USERS }, (_, i) => userBody(i, r));
      await inBatches(USERS, (i) => client.createUser(bodies[i]));
      const res = await client.get('/Users?count=1000');
      users = res.json().Resources;
      expect(users).toHaveLength(USERS);
      groupIds = [];
      for (const name of ['Sales', 'eng', 'Ops']) {
        groupIds.push((await client.createGroup({ displayName: name, members: users.slice(0, 30).map((u) => ({ value: u.id })) })).id);
      }
    });

    it('follows RFC 7644 §3.4.2.4 for startIndex, count, itemsPerPage and totalResults', async () => {
      const page = (query: string) => client.get(`/Users?${query}`).then((res) => ({ status: res.statusCode, body: res.json() }));
      const first = await page('startIndex=1&count=10');
      expect(first.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: USERS, startIndex: 1, itemsPerPage: 10 });
      expect(first.body.Resources).toHaveLength(10);

      // count=0: how many, and nothing else.
      const none = await page('count=0');
      expect(none.body.totalResults).toBe(USERS);
      expect(none.body.itemsPerPage).toBe(0);
      expect(none.body.Resources ?? []).toEqual([]);

      // startIndex below 1 is read as 1.
      for (const start of ['0', '-5']) {
        const low = await page(`startIndex=${start}&count=10`);
        expect(low.status).toBe(200);
        expect(low.body.startIndex).toBe(1);
        expect(low.body.Resources.map((u: Resource) => u.id)).toEqual(first.body.Resources.map((u: Resource) => u.id));
      }
      // A negative count is read as 0.
      expect((await page('count=-3')).body).toMatchObject({ totalResults: USERS, itemsPerPage: 0 });

      // Past the end: nothing, but the right total.
      const past = await page(`startIndex=${USERS + 1}&count=10`);
      expect(past.body).toMatchObject({ totalResults: USERS, startIndex: USERS + 1, itemsPerPage: 0 });
      expect(past.body.Resources ?? []).toEqual([]);
      const last = await page(`startIndex=${USERS - 2}&count=10`);
      expect(last.body).toMatchObject({ totalResults: USERS, itemsPerPage: 3 });

      // With a filter, totalResults counts the matches, not the connection.
      const filtered = await page(`filter=${q('userName sw "alpha"')}&count=2`);
      const alphas = users.filter((u) => u.userName.toLowerCase().startsWith('alpha')).length;
      expect(alphas).toBeGreaterThan(2);
      expect(filtered.body).toMatchObject({ totalResults: alphas, itemsPerPage: 2 });
    });

    it('caps count at the maxResults that ServiceProviderConfig advertises', async () => {
      const spc = (await client.get('/ServiceProviderConfig')).json();
      const max: number = spc.filter.maxResults;
      expect(spc.filter.supported).toBe(true);
      expect(max).toBeGreaterThan(0);
      // A second connection with more users than maxResults.
      const big = await newScimClient(t, 'lists');
      const total = max + 7;
      await inBatches(total, (i) => big.createUser({ userName: `bulk${i}` }), 25);
      const res = (await big.get(`/Users?count=${max + 500}`)).json();
      expect(res.totalResults).toBe(total);
      expect(res.itemsPerPage).toBe(max);
      expect(res.Resources).toHaveLength(max);
      const rest = (await big.get(`/Users?startIndex=${max + 1}&count=${max}`)).json();
      expect(rest.Resources).toHaveLength(7);
      const everyId = new Set([...res.Resources, ...rest.Resources].map((u: Resource) => u.id));
      expect(everyId.size).toBe(total);
    }, 120_000);

    it('pages over 250 users in a stable order: no repeats, no gaps', async () => {
      const every = new Set(users.map((u) => u.id));
      for (const [path, count] of [
        ['/Users', 7],
        ['/Users', 100],
        ['/Users?sortBy=userName', 13],
        ['/Users?sortBy=name.familyName&sortOrder=descending', 9],
        ['/Users?sortBy=emails', 11],
        [`/Users?sortBy=${ENTERPRISE_URN}:department`, 17],
      ] as const) {
        const { ids, total } = await allPages(client, path, count);
        expect(total).toBe(USERS);
        expect(new Set(ids).size, `${path}: repeats`).toBe(ids.length);
        expect(ids.length, `${path}: gaps`).toBe(USERS);
        expect(ids.every((id) => every.has(id))).toBe(true);
        // The same order as one big page.
        const whole = idsOf(await client.get(`${path}${path.includes('?') ? '&' : '?'}count=1000`));
        expect(ids).toEqual(whole);
      }
      // Filtered and paged.
      const { ids, total } = await allPages(client, `/Users?filter=${q('emails pr')}&sortBy=userName`, 6);
      expect(total).toBe(users.filter((u) => u.emails?.length > 0).length);
      expect(new Set(ids).size).toBe(total);
    });

    it('sorts by userName case-insensitively, both ways', async () => {
      const asc = (await client.get('/Users?sortBy=userName&count=1000')).json().Resources;
      expect(asc).toHaveLength(USERS);
      expectSorted(asc, SORT_KEYS.userName, false);
      // A byte-wise sort would put "Bravo…" before "alpha…": the case-insensitive one must not.
      expect(asc[0].userName.toLowerCase().startsWith('alpha')).toBe(true);
      const desc = (await client.get('/Users?sortBy=USERNAME&sortOrder=DESCENDING&count=1000')).json().Resources;
      expectSorted(desc, SORT_KEYS.userName, true);
      expect(desc.map((u: Resource) => u.id)).toEqual([...asc].reverse().map((u: Resource) => u.id));
      // sortOrder alone changes nothing; ascending is the default.
      const defaulted = (await client.get('/Users?sortBy=userName&sortOrder=ascending&count=1000')).json().Resources;
      expect(defaulted.map((u: Resource) => u.id)).toEqual(asc.map((u: Resource) => u.id));
    });

    it('sorts by meta.created, name.familyName, emails and an extension attribute; missing values last ascending, first descending', async () => {
      for (const [sortBy, key] of Object.entries(SORT_KEYS)) {
        for (const descending of [false, true]) {
          const res = await client.get(`/Users?sortBy=${encodeURIComponent(sortBy)}&sortOrder=${descending ? 'descending' : 'ascending'}&count=1000`);
          expect(res.statusCode).toBe(200);
          const list = res.json().Resources;
          expect(list).toHaveLength(USERS);
          expectSorted(list, key, descending);
        }
      }
      // The data has missing values for each of these, so the placement was really checked.
      expect(users.some((u) => !u.name)).toBe(true);
      expect(users.some((u) => !u.emails)).toBe(true);
      expect(users.some((u) => u.emails?.[1]?.primary)).toBe(true);
      // Without sortBy the order is creation order.
      const plain = (await client.get('/Users?count=1000')).json().Resources;
      expectSorted(plain, SORT_KEYS['meta.created'], false);
    });

    it('sorts Groups by displayName', async () => {
      const names = (await client.get('/Groups?sortBy=displayName')).json().Resources.map((g: Resource) => g.displayName);
      expect(names).toEqual(['eng', 'Ops', 'Sales']);
      const desc = (await client.get('/Groups?sortBy=displayName&sortOrder=descending&attributes=displayName')).json().Resources;
      expect(desc.map((g: Resource) => g.displayName)).toEqual(['Sales', 'Ops', 'eng']);
    });

    it('projects attributes and excludedAttributes on lists and on GET', async () => {
      const withAll = users.find((u) => u.name && u.emails?.length === 2 && u[ENTERPRISE_URN])!;
      expect(withAll).toBeDefined();
      const one = async (query: string) => {
        const list = await client.get(`/Users?filter=${q(`id eq "${withAll.id}"`)}&${query}`);
        const get = await client.get(`/Users/${withAll.id}?${query}`);
        expect(list.statusCode).toBe(200);
        expect(get.statusCode).toBe(200);
        const fromList = list.json().Resources[0];
        expect(fromList).toEqual(get.json());
        return fromList as Resource;
      };
      expect(Object.keys(await one('attributes=userName')).sort()).toEqual(['id', 'schemas', 'userName']);
      expect(await one('attributes=USERNAME,name.givenName')).toEqual({ schemas: withAll.schemas, id: withAll.id, userName: withAll.userName, name: { givenName: withAll.name.givenName } });
      expect((await one('attributes=emails.value')).emails).toEqual(withAll.emails.map((e: Resource) => ({ value: e.value })));
      expect(await one(`attributes=${ENTERPRISE_URN}:department`)).toEqual({
        schemas: withAll.schemas, id: withAll.id, [ENTERPRISE_URN]: { department: withAll[ENTERPRISE_URN].department },
      });
      expect((await one(`attributes=${ENTERPRISE_URN}`))[ENTERPRISE_URN]).toEqual(withAll[ENTERPRISE_URN]);
      expect((await one(`attributes=${USER_URN}:name.familyName`)).name).toEqual({ familyName: withAll.name.familyName });

      const { emails: _e, groups: _g, ...withoutEmails } = withAll;
      expect(await one('excludedAttributes=emails,groups')).toEqual(withoutEmails);
      const noFamily = await one('excludedAttributes=name.familyName');
      expect(noFamily.name).toEqual({ givenName: withAll.name.givenName });
      expect(noFamily.userName).toBe(withAll.userName);
      expect(await one(`excludedAttributes=${ENTERPRISE_URN}`)).not.toHaveProperty([ENTERPRISE_URN]);
      expect((await one(`excludedAttributes=${ENTERPRISE_URN}:employeeNumber`))[ENTERPRISE_URN]).toEqual({ department: withAll[ENTERPRISE_URN].department });
      // id is returned always (RFC 7643 §3.1), whatever is excluded.
      expect(await one('excludedAttributes=id,userName')).toHaveProperty('id', withAll.id);
      expect(await one('attributes=displayName')).toHaveProperty('id', withAll.id);

      // Groups: Entra ID's excludedAttributes=members.
      const group = (await client.get(`/Groups/${groupIds[0]}?excludedAttributes=members`)).json();
      expect(group).not.toHaveProperty('members');
      expect(group.displayName).toBe('Sales');
      const listed = (await client.get('/Groups?excludedAttributes=members')).json().Resources;
      expect(listed.every((g: Resource) => !('members' in g))).toBe(true);
      const members = (await client.get(`/Groups/${groupIds[0]}?attributes=members.value`)).json();
      expect(members.members).toHaveLength(30);
      expect(Object.keys(members.members[0])).toEqual(['value']);
    });

    it('answers POST /.search as the GET with the same parameters', async () => {
      const cases: [string, Resource][] = [
        [`/Users?filter=${q('userName sw "b"')}&sortBy=userName&sortOrder=descending&startIndex=2&count=5&attributes=userName,emails`,
          { filter: 'userName sw "b"', sortBy: 'userName', sortOrder: 'descending', startIndex: 2, count: 5, attributes: ['userName', 'emails'] }],
        ['/Users?count=3&excludedAttributes=emails,name', { count: 3, excludedAttributes: ['emails', 'name'] }],
        ['/Users?count=0', { count: 0 }],
        [`/Users?filter=${q(`groups eq "${groupIds[1]}"`)}&count=50`, { filter: `groups eq "${groupIds[1]}"`, count: 50 }],
      ];
      for (const [get, search] of cases) {
        const viaGet = await client.get(get);
        const viaSearch = await client.post('/Users/.search', { schemas: [SEARCH_REQUEST], ...search });
        expect(viaSearch.statusCode).toBe(200);
        expect(viaSearch.json()).toEqual(viaGet.json());
        expect(viaSearch.json().itemsPerPage).toBeGreaterThanOrEqual(0);
      }
      expect((await client.post('/Users/.search', { schemas: [SEARCH_REQUEST], filter: `groups eq "${groupIds[1]}"`, count: 50 })).json().totalResults).toBe(30);
      const groups = await client.post('/Groups/.search', { schemas: [SEARCH_REQUEST], filter: 'displayName eq "OPS"', attributes: 'displayName' });
      expect(groups.statusCode).toBe(200);
      expect(groups.json()).toMatchObject({ totalResults: 1, Resources: [{ id: groupIds[2], displayName: 'Ops' }] });
      expect(groups.json().Resources[0]).not.toHaveProperty('members');
      // An empty search request lists everything.
      expect((await client.post('/Groups/.search', { schemas: [SEARCH_REQUEST] })).json().totalResults).toBe(3);
    });

    it('rejects bad list parameters with a 400 SCIM error', async () => {
      const bad: [string, string | undefined][] = [
        ['/Users?count=abc', 'invalidValue'],
        ['/Users?count=1.5', 'invalidValue'],
        ['/Users?startIndex=x', 'invalidValue'],
        ['/Users?sortOrder=sideways', 'invalidValue'],
        ['/Users?sortBy=userName,displayName', 'invalidValue'],
        ['/Users?sortBy=emails[type%20eq%20%22work%22]', undefined],
        ['/Users?attributes=emails[type%20eq%20%22work%22]', 'invalidPath'],
        ['/Users?excludedAttributes=1abc', 'invalidPath'],
        [`/Users?filter=${q('userName eq')}`, 'invalidFilter'],
        [`/Users?filter=${q('userName xx "a"')}`, 'invalidFilter'],
        [`/Users?filter=${q('active gt true')}`, 'invalidFilter'],
        ['/Users?filter=a&filter=b', 'invalidFilter'],
        [`/Groups?filter=${q('displayName eq 3')}`, 'invalidFilter'],
        [`/Users/${users[0].id}?attributes=a..b`, 'invalidPath'],
      ];
      for (const [path, scimType] of bad) {
        const res = await client.get(path);
        expect(res.statusCode, path).toBe(400);
        const body = res.json();
        expect(body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
        expect(body.status).toBe('400');
        if (scimType) expect(body.scimType, path).toBe(scimType);
      }
      const searches: unknown[] = [
        { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], count: 1 },
        { schemas: 'nope' },
        [1, 2],
        { schemas: [SEARCH_REQUEST], count: 'many' },
        { schemas: [SEARCH_REQUEST], count: 2.5 },
        { schemas: [SEARCH_REQUEST], filter: 7 },
        { schemas: [SEARCH_REQUEST], filter: 'userName eq' },
        { schemas: [SEARCH_REQUEST], sortOrder: 'up' },
        { schemas: [SEARCH_REQUEST], attributes: [1] },
      ];
      for (const body of searches) {
        const res = await client.post('/Users/.search', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().status).toBe('400');
      }
    });
  });
}
