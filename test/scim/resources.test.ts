/**
 * Single resources through the SCIM API (RFC 7644 §3.3–§3.6, §3.14): what POST stores and
 * returns, PUT replacement, PATCH responses, ETags and preconditions, DELETE, inactive users, and
 * the connection's lastSync.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { ENTERPRISE_URN, GROUP_URN, USER_URN, newScimClient, patchOp, q, type ScimClient } from '../support/scim-requests.js';
import { PUBLIC_URL, useTestApp } from '../support/test-app.js';

type Resource = Record<string, any>;
const OKTA = 'urn:okta:custom:1.0:User';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM resources: POST, PUT, PATCH, DELETE, ETags [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let client: ScimClient;
    let base: string;

    beforeAll(async () => {
      await createTenant(t, 'res');
      client = await newScimClient(t, 'res');
      base = `${PUBLIC_URL}/directory/resources/scim/v2.0/${client.connectionId}`;
    });

    it('POST /Users assigns id and meta, ignores the client\'s, and answers 201 with Location and ETag', async () => {
      const before = new Date().toISOString();
      const res = await client.post('/Users', {
        schemas: [USER_URN],
        id: 'client-chosen-id',
        meta: { created: '2000-01-01T00:00:00Z', lastModified: '2000-01-01T00:00:00Z', version: 'W/"99"', location: 'https://evil.test/x', resourceType: 'Group' },
        userName: 'post.semantics@example.com',
      });
      expect(res.statusCode).toBe(201);
      const user = res.json();
      expect(user.id).not.toBe('client-chosen-id');
      expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(user.meta).toEqual({
        resourceType: 'User',
        created: user.meta.created,
        lastModified: user.meta.created,
        location: `${base}/Users/${user.id}`,
        version: 'W/"1"',
      });
      expect(user.meta.created).toMatch(ISO);
      expect(user.meta.created >= before).toBe(true);
      expect(res.headers.location).toBe(user.meta.location);
      expect(res.headers.etag).toBe(user.meta.version);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(user.schemas).toEqual([USER_URN]);
      expect(user.active).toBe(true);
      // What GET returns is what POST returned.
      const got = await client.get(`/Users/${user.id}`);
      expect(got.json()).toEqual(user);
      expect(got.headers.etag).toBe('W/"1"');
      expect((await client.get('/Users/client-chosen-id')).statusCode).toBe(404);
    });

    it('never returns a password, whatever is asked', async () => {
      const res = await client.post('/Users', { schemas: [USER_URN], userName: 'secretive', password: 'hunter2-Very-Secret' });
      expect(res.statusCode).toBe(201);
      expect(res.body).not.toContain('hunter2');
      const id = res.json().id;
      for (const path of [`/Users/${id}`, `/Users/${id}?attributes=password`, `/Users?filter=${q('userName eq "secretive"')}&attributes=password,userName`]) {
        const got = await client.get(path);
        expect(got.statusCode).toBe(200);
        expect(got.body).not.toMatch(/hunter2|password/i);
      }
      const patched = await client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'password', value: 'hunter3-Very-Secret' }));
      expect(patched.statusCode).toBe(200);
      expect(patched.body).not.toMatch(/hunter3|"password"/);
      const put = await client.put(`/Users/${id}`, { schemas: [USER_URN], userName: 'secretive', password: 'hunter4-Very-Secret' });
      expect(put.body).not.toMatch(/hunter4|"password"/);
      const stored = await t.db.kysely.selectFrom('scim_users').select('resource').where('id', '=', id).executeTakeFirstOrThrow();
      expect(stored.resource).not.toMatch(/hunter|password/);
    });

    it('stores the enterprise extension and unknown extension schemas, drops nulls, ignores unknown core attributes', async () => {
      const res = await client.post('/Users', {
        schemas: [USER_URN, ENTERPRISE_URN, OKTA],
        userName: 'ext@example.com',
        displayName: null,
        title: '',
        nickName: 'Nick',
        favouriteColour: 'blue',
        name: { givenName: null, familyName: 'Ext' },
        emails: [null, { value: 'ext@example.com', type: 'work', primary: true }],
        [ENTERPRISE_URN]: { department: 'R&D', manager: { value: 'm-1', displayName: 'ignored, readOnly' }, costCenter: null },
        [OKTA]: { costCode: 'AB-12', level: 3, isContractor: false, tags: ['a', 'b'] },
        groups: [{ value: 'not-a-group' }],
      });
      expect(res.statusCode).toBe(201);
      const user = res.json();
      expect(user).not.toHaveProperty('displayName');
      expect(user).not.toHaveProperty('title');
      expect(user).not.toHaveProperty('favouriteColour');
      expect(user).not.toHaveProperty('groups');
      expect(user.name).toEqual({ familyName: 'Ext' });
      expect(user.emails).toEqual([{ value: 'ext@example.com', type: 'work', primary: true }]);
      expect(user[ENTERPRISE_URN]).toEqual({ department: 'R&D', manager: { value: 'm-1' } });
      expect(user[OKTA]).toEqual({ costCode: 'AB-12', level: 3, isContractor: false, tags: ['a', 'b'] });
      expect(user.schemas).toEqual(expect.arrayContaining([USER_URN, ENTERPRISE_URN, OKTA]));
      expect(user.schemas).toHaveLength(3);
      expect((await client.get(`/Users/${user.id}`)).json()).toEqual(user);
      // Filterable by both extensions.
      const found = (await client.get(`/Users?filter=${q(`${ENTERPRISE_URN}:department eq "r&d" and ${OKTA}:level ge 3`)}`)).json();
      expect(found.Resources.map((u: Resource) => u.id)).toEqual([user.id]);
    });

    it('computes User groups from membership, readOnly', async () => {
      const ann = await client.createUser({ userName: 'ann.groups', displayName: 'Ann' });
      const g1 = await client.createGroup({ displayName: 'Readers', members: [{ value: ann.id }] });
      const g2 = await client.createGroup({ displayName: 'Writers' });
      expect((await client.patch(`/Groups/${g2.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: ann.id }] }))).statusCode).toBe(204);
      const got = (await client.get(`/Users/${ann.id}`)).json();
      expect(got.groups).toEqual([
        { value: g1.id, $ref: `${base}/Groups/${g1.id}`, display: 'Readers', type: 'direct' },
        { value: g2.id, $ref: `${base}/Groups/${g2.id}`, display: 'Writers', type: 'direct' },
      ]);
      // A list shows the same groups (on PostgreSQL read by the page query itself), and none for a user in no group.
      const loner = await client.createUser({ userName: 'ann.alone' });
      const listed = (await client.get(`/Users?filter=${encodeURIComponent('userName sw "ann."')}`)).json();
      expect(listed.Resources.map((r: Resource) => [r.id, r.groups])).toEqual([
        [ann.id, got.groups],
        [loner.id, undefined],
      ]);
      const slim = (await client.get(`/Users?filter=${encodeURIComponent('userName eq "ann.groups"')}&attributes=userName`)).json();
      expect(slim.Resources).toEqual([{ schemas: [USER_URN], id: ann.id, userName: 'ann.groups' }]);
      // Membership does not change the user itself.
      expect(got.meta.version).toBe('W/"1"');
      // groups sent in a PUT are ignored, not a way to join or leave.
      const put = await client.put(`/Users/${ann.id}`, { schemas: [USER_URN], userName: 'ann.groups', groups: [] });
      expect(put.statusCode).toBe(200);
      expect(put.json().groups.map((g: Resource) => g.value).sort()).toEqual([g1.id, g2.id].sort());
      // Group members show the user.
      const group = (await client.get(`/Groups/${g1.id}`)).json();
      expect(group.members).toEqual([{ value: ann.id, $ref: `${base}/Users/${ann.id}`, type: 'User', display: 'ann.groups' }]);
      expect(group.schemas).toEqual([GROUP_URN]);
    });

    it('keeps userName unique per connection, case-insensitively (409 uniqueness)', async () => {
      await client.createUser({ userName: 'Unique.Person@Example.com' });
      for (const userName of ['unique.person@example.com', 'UNIQUE.PERSON@EXAMPLE.COM', 'Unique.Person@Example.com']) {
        const res = await client.post('/Users', { schemas: [USER_URN], userName });
        expect(res.statusCode).toBe(409);
        expect(res.json()).toMatchObject({ status: '409', scimType: 'uniqueness', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
      }
      // A PUT or PATCH onto a taken name is a conflict too, and changes nothing.
      const other = await client.createUser({ userName: 'other.person' });
      const put = await client.put(`/Users/${other.id}`, { schemas: [USER_URN], userName: 'UNIQUE.person@example.com' });
      expect(put.statusCode).toBe(409);
      expect(put.json().scimType).toBe('uniqueness');
      const patch = await client.patch(`/Users/${other.id}`, patchOp({ op: 'replace', path: 'userName', value: 'unique.PERSON@example.com' }));
      expect(patch.statusCode).toBe(409);
      expect((await client.get(`/Users/${other.id}`)).json()).toEqual(other);
      // Its own name in another case is no conflict.
      const recase = await client.patch(`/Users/${other.id}`, patchOp({ op: 'replace', path: 'userName', value: 'Other.Person' }));
      expect(recase.statusCode).toBe(200);
      expect(recase.json().userName).toBe('Other.Person');
    });

    it('keeps group displayName unique per connection (409 uniqueness)', async () => {
      await client.createGroup({ displayName: 'Unique Team' });
      const dup = await client.post('/Groups', { schemas: [GROUP_URN], displayName: 'unique team' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().scimType).toBe('uniqueness');
      const other = await client.createGroup({ displayName: 'Another Team' });
      const rename = await client.patch(`/Groups/${other.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'UNIQUE TEAM' }));
      expect(rename.statusCode).toBe(409);
      expect(rename.json().scimType).toBe('uniqueness');
      expect((await client.get(`/Groups/${other.id}`)).json().displayName).toBe('Another Team');
    });

    it('rejects a POST without its required attribute', async () => {
      for (const body of [{ schemas: [USER_URN] }, { schemas: [USER_URN], userName: '' }, { schemas: [USER_URN], userName: '   ' }, { schemas: [USER_URN], userName: 42 }]) {
        const res = await client.post('/Users', body);
        expect(res.statusCode).toBe(400);
        expect(res.json().scimType).toBe('invalidValue');
      }
      expect((await client.post('/Groups', { schemas: [GROUP_URN] })).statusCode).toBe(400);
      expect((await client.post('/Groups', { schemas: [GROUP_URN], displayName: 'G', members: [{ value: 'no-such-user' }] })).statusCode).toBe(400);
      expect((await client.get(`/Groups?filter=${q('displayName eq "G"')}`)).json().totalResults).toBe(0);
    });

    it('PUT replaces: omitted attributes are cleared, readOnly ones kept', async () => {
      const created = await client.createUser({
        userName: 'put.me', displayName: 'Put Me', title: 'Before', externalId: 'ext-put',
        emails: [{ value: 'put@example.com', type: 'work' }], [ENTERPRISE_URN]: { department: 'Old' },
      });
      const group = await client.createGroup({ displayName: 'PUT group', members: [{ value: created.id }] });
      const res = await client.put(`/Users/${created.id}`, {
        schemas: [USER_URN], id: 'other-id', meta: { created: '2000-01-01T00:00:00Z' }, userName: 'put.me', nickName: 'After',
      });
      expect(res.statusCode).toBe(200);
      const put = res.json();
      expect(put.id).toBe(created.id);
      expect(put.nickName).toBe('After');
      for (const gone of ['displayName', 'title', 'externalId', 'emails', ENTERPRISE_URN]) expect(put).not.toHaveProperty([gone]);
      expect(put.schemas).toEqual([USER_URN]);
      expect(put.active).toBe(true);
      expect(put.meta.created).toBe(created.meta.created);
      expect(put.meta.version).toBe('W/"2"');
      expect(put.meta.lastModified >= created.meta.lastModified).toBe(true);
      expect(res.headers.etag).toBe('W/"2"');
      expect(put.groups.map((g: Resource) => g.value)).toEqual([group.id]);
      expect((await client.get(`/Users/${created.id}`)).json()).toEqual(put);
      // The cleared values no longer match filters.
      expect((await client.get(`/Users?filter=${q('emails.value eq "put@example.com" or title eq "Before"')}`)).json().totalResults).toBe(0);
      // PUT of a group replaces its members too.
      const second = await client.createUser({ userName: 'put.member' });
      const groupPut = await client.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: 'PUT group', members: [{ value: second.id }] });
      expect(groupPut.statusCode).toBe(200);
      expect(groupPut.json().members.map((m: Resource) => m.value)).toEqual([second.id]);
      expect((await client.get(`/Users/${created.id}`)).json()).not.toHaveProperty('groups');
      expect((await client.put('/Users/no-such-id', { schemas: [USER_URN], userName: 'x' })).statusCode).toBe(404);
    });

    it('PATCH of a User answers 200 with the resource (204 when Prefer: return=minimal)', async () => {
      const user = await client.createUser({ userName: 'patch.user', emails: [{ value: 'a@x.test', type: 'work', primary: true }] });
      const res = await client.patch(`/Users/${user.id}`, patchOp(
        { op: 'Replace', path: 'displayName', value: 'Patched' },
        { op: 'add', path: 'emails', value: [{ value: 'b@x.test', type: 'home' }] },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'A2@x.test' },
        { op: 'add', value: { title: 'Boss', [`${ENTERPRISE_URN}:department`]: 'Ops' } },
        { op: 'remove', path: 'nickName' },
      ));
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ id: user.id, displayName: 'Patched', title: 'Boss', [ENTERPRISE_URN]: { department: 'Ops' } });
      expect(body.emails).toEqual([{ value: 'A2@x.test', type: 'work', primary: true }, { value: 'b@x.test', type: 'home' }]);
      expect(body.schemas).toEqual([USER_URN, ENTERPRISE_URN]);
      expect(body.meta.version).toBe('W/"2"');
      expect(res.headers.etag).toBe('W/"2"');
      expect((await client.get(`/Users/${user.id}`)).json()).toEqual(body);
      // The indexed copies follow: the new email value filters.
      expect((await client.get(`/Users?filter=${q('emails[type eq "work"].value eq "a2@x.test"')}`)).json().Resources.map((u: Resource) => u.id)).toEqual([user.id]);

      const minimal = await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'Chief' }), { prefer: 'return=minimal' });
      expect(minimal.statusCode).toBe(204);
      expect(minimal.body).toBe('');
      expect(minimal.headers.etag).toBe('W/"3"');
      expect((await client.get(`/Users/${user.id}`)).json().title).toBe('Chief');
      // A PATCH that changes nothing keeps the version.
      const same = await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'Chief' }));
      expect(same.json().meta.version).toBe('W/"3"');
      expect((await client.patch('/Users/no-such-id', patchOp({ op: 'replace', path: 'title', value: 'x' }))).statusCode).toBe(404);
    });

    it('PATCH of a Group answers 204, or 200 with the group when attributes or Prefer ask', async () => {
      const [u1, u2, u3] = await Promise.all(['gp1', 'gp2', 'gp3'].map((userName) => client.createUser({ userName })));
      const group = await client.createGroup({ displayName: 'Patchable', members: [{ value: u1.id }] });
      const add = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u2.id }, { value: u3.id }] }));
      expect(add.statusCode).toBe(204);
      expect(add.body).toBe('');
      expect(add.headers.etag).toBe('W/"2"');
      const remove = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'remove', path: `members[value eq "${u1.id}"]` }));
      expect(remove.statusCode).toBe(204);
      const rep = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Patched Group' }), { prefer: 'return=representation' });
      expect(rep.statusCode).toBe(200);
      expect(rep.json()).toMatchObject({ id: group.id, displayName: 'Patched Group', meta: { version: 'W/"4"' } });
      expect(rep.json().members.map((m: Resource) => m.value).sort()).toEqual([u2.id, u3.id].sort());
      const withAttrs = await client.request({ method: 'PATCH', path: `/Groups/${group.id}?attributes=displayName`, body: patchOp({ op: 'remove', path: 'members', value: [{ value: u2.id }] }) });
      expect(withAttrs.statusCode).toBe(200);
      expect(withAttrs.json()).toEqual({ schemas: [GROUP_URN], id: group.id, displayName: 'Patched Group' });
      const final = (await client.get(`/Groups/${group.id}`)).json();
      expect(final.members.map((m: Resource) => m.value)).toEqual([u3.id]);
      expect(final.meta.version).toBe('W/"5"');
      // Adding a member that is there already changes nothing, version included.
      expect((await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u3.id }] }))).headers.etag).toBe('W/"5"');
      // Unknown members are a 400 and change nothing.
      const bad = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u1.id }, { value: 'nobody' }] }));
      expect(bad.statusCode).toBe(400);
      expect((await client.get(`/Groups/${group.id}`)).json()).toEqual(final);
    });

    it('honours If-Match (412 when stale) on PUT, PATCH and DELETE, and If-None-Match (304) on GET', async () => {
      const user = await client.createUser({ userName: 'etag.user' });
      const group = await client.createGroup({ displayName: 'ETag group' });
      const stale = 'W/"7"';
      const attempts = [
        () => client.put(`/Users/${user.id}`, { schemas: [USER_URN], userName: 'etag.user', title: 'x' }, { 'if-match': stale }),
        () => client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'x' }), { 'if-match': stale }),
        () => client.delete(`/Users/${user.id}`, { 'if-match': stale }),
        () => client.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: 'x' }, { 'if-match': stale }),
        () => client.patch(`/Groups/${group.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'x' }), { 'if-match': stale }),
        () => client.delete(`/Groups/${group.id}`, { 'if-match': '"garbage"' }),
      ];
      for (const attempt of attempts) {
        const res = await attempt();
        expect(res.statusCode).toBe(412);
        expect(res.json()).toMatchObject({ status: '412', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
      }
      expect((await client.get(`/Users/${user.id}`)).json()).toEqual(user);
      expect((await client.get(`/Groups/${group.id}`)).json()).toEqual(group);

      // GET with the current tag: 304, no body; with another tag: 200.
      const notModified = await client.get(`/Users/${user.id}`, { 'if-none-match': 'W/"1"' });
      expect(notModified.statusCode).toBe(304);
      expect(notModified.body).toBe('');
      expect(notModified.headers.etag).toBe('W/"1"');
      expect((await client.get(`/Users/${user.id}`, { 'if-none-match': '*' })).statusCode).toBe(304);
      expect((await client.get(`/Groups/${group.id}`, { 'if-none-match': 'W/"1"' })).statusCode).toBe(304);
      expect((await client.get(`/Users/${user.id}`, { 'if-none-match': stale })).statusCode).toBe(200);

      // The current tag (weak or strong form, or in a list, or *) lets the write through.
      const ok = await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'v2' }), { 'if-match': 'W/"1"' });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers.etag).toBe('W/"2"');
      expect((await client.put(`/Users/${user.id}`, { schemas: [USER_URN], userName: 'etag.user', title: 'v3' }, { 'if-match': 'W/"9", "2"' })).statusCode).toBe(200);
      // Now W/"1" is stale.
      expect((await client.get(`/Users/${user.id}`, { 'if-none-match': 'W/"1"' })).statusCode).toBe(200);
      expect((await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'v4' }), { 'if-match': 'W/"1"' })).statusCode).toBe(412);
      expect((await client.patch(`/Groups/${group.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'ETag group 2' }), { 'if-match': 'W/"1"' })).statusCode).toBe(204);
      expect((await client.delete(`/Users/${user.id}`, { 'if-match': '*' })).statusCode).toBe(204);
      expect((await client.delete(`/Groups/${group.id}`, { 'if-match': 'W/"2"' })).statusCode).toBe(204);
    });

    it('DELETE answers 204, then 404; the user leaves every group', async () => {
      const user = await client.createUser({ userName: 'leaving', emails: [{ value: 'leaving@x.test' }] });
      const stay = await client.createUser({ userName: 'staying' });
      const groups = await Promise.all(['Leave A', 'Leave B'].map((displayName) => client.createGroup({ displayName, members: [{ value: user.id }, { value: stay.id }] })));
      const del = await client.delete(`/Users/${user.id}`);
      expect(del.statusCode).toBe(204);
      expect(del.body).toBe('');
      for (const res of [await client.get(`/Users/${user.id}`), await client.delete(`/Users/${user.id}`), await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'x' }))]) {
        expect(res.statusCode).toBe(404);
        expect(res.json()).toMatchObject({ status: '404', schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'] });
      }
      for (const group of groups) {
        const got = (await client.get(`/Groups/${group.id}`)).json();
        expect(got.members.map((m: Resource) => m.value)).toEqual([stay.id]);
      }
      expect((await client.get(`/Groups?filter=${q(`members eq "${user.id}"`)}`)).json().totalResults).toBe(0);
      expect((await client.get(`/Users?filter=${q('userName eq "leaving" or emails eq "leaving@x.test"')}`)).json().totalResults).toBe(0);
      // The name is free again.
      expect((await client.post('/Users', { schemas: [USER_URN], userName: 'LEAVING' })).statusCode).toBe(201);
      // Deleting a group removes it from its parent groups too.
      const parent = await client.createGroup({ displayName: 'Parent', members: [{ value: groups[0].id }] });
      expect((await client.delete(`/Groups/${groups[0].id}`)).statusCode).toBe(204);
      expect((await client.get(`/Groups/${groups[0].id}`)).statusCode).toBe(404);
      // No members: an empty array and no attribute are the same state (RFC 7643 §2.5).
      expect((await client.get(`/Groups/${parent.id}`)).json().members ?? []).toEqual([]);
      expect((await client.get(`/Users/${stay.id}`)).json().groups.map((g: Resource) => g.value)).toEqual([groups[1].id]);
    });

    it('keeps inactive users readable and filterable', async () => {
      const user = await client.createUser({ userName: 'sleepy', active: true });
      const off = await client.patch(`/Users/${user.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
      expect(off.statusCode).toBe(200);
      expect(off.json().active).toBe(false);
      expect((await client.get(`/Users/${user.id}`)).json().active).toBe(false);
      const inactive = (await client.get(`/Users?filter=${q('active eq false and userName eq "sleepy"')}`)).json();
      expect(inactive.Resources.map((u: Resource) => u.id)).toEqual([user.id]);
      expect((await client.get(`/Users?filter=${q('userName eq "sleepy"')}`)).json().totalResults).toBe(1);
      expect((await client.get(`/Users?filter=${q('active eq true and userName eq "sleepy"')}`)).json().totalResults).toBe(0);
      const all = (await client.get('/Users?count=1000')).json().Resources.map((u: Resource) => u.id);
      expect(all).toContain(user.id);
      // Removing `active` leaves it unassigned (RFC 7644 §3.5.2.2), read as deactivated
      // (test/scim/compatibility/removed-active.test.ts covers the connection that reads it otherwise).
      await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: true }));
      const removed = await client.patch(`/Users/${user.id}`, patchOp({ op: 'remove', path: 'active' }));
      expect(removed.json().active).toBe(false);
      expect((await client.get(`/Users?filter=${q('active eq false and userName eq "sleepy"')}`)).json().totalResults).toBe(1);
    });

    it('records the connection\'s lastSync on a SCIM write, not on a read', async () => {
      await createTenant(t, 'sync');
      const fresh = await newScimClient(t, 'sync');
      const config = async () => {
        const res = await t.app.inject({ url: `/directory/resources/v1/configurations/scim2/${fresh.connectionId}`, headers: { authorization: t.auth } });
        expect(res.statusCode).toBe(200);
        return res.json().lastSync as string | null;
      };
      expect(await config()).toBeNull();
      await fresh.get('/Users');
      await fresh.get('/ServiceProviderConfig');
      expect(await config()).toBeNull();
      const before = new Date(Date.now() - 5).toISOString();
      const user = await fresh.createUser({ userName: 'sync.user' });
      const first = await config();
      expect(first).toMatch(ISO);
      expect(first! >= before).toBe(true);
      // Later, another write moves it on. lastSync is kept to the second, so wait past that; the row is
      // also moved back in time so the change is visible.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await t.db.kysely.updateTable('connections').set({ last_sync_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', fresh.connectionId).execute();
      expect(await config()).toBe('2020-01-01T00:00:00.000Z');
      expect((await fresh.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'x' }))).statusCode).toBe(200);
      expect((await config())! >= before).toBe(true);
      // A failed write does not count, even once a second has passed.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await t.db.kysely.updateTable('connections').set({ last_sync_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', fresh.connectionId).execute();
      expect((await fresh.post('/Users', { schemas: [USER_URN], userName: 'sync.user' })).statusCode).toBe(409);
      expect(await config()).toBe('2020-01-01T00:00:00.000Z');
      expect((await fresh.delete(`/Users/${user.id}`)).statusCode).toBe(204);
      expect((await config())! >= before).toBe(true);
    });
  });
}
