/**
 * Microsoft Entra ID's provisioning client, replayed: every request Entra documents for SCIM 2.0
 * apps (fixtures/idp-exchanges.json `entra.steps`, from Microsoft's SCIM docs), in order, with the
 * headers Entra sends, each checked against what Entra expects back. Plus the PATCH shapes Entra
 * sends with the aadOptscim062020 flag.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { bodyOf, expectStep, fillBody, sendStep, type IdpStep, type Placeholders } from '../support/scim-client.js';
import { ENTERPRISE_URN, GROUP_URN, idsOf, newScimClient, patchOp, q, type ScimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';

const exchanges = JSON.parse(readFileSync(new URL('./fixtures/idp-exchanges.json', import.meta.url), 'utf8'));
const STEPS: IdpStep[] = exchanges.entra.steps;
const ADSCIM = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

/** What Entra's SCIM client sends (idp-exchanges.json `entra.common_request_headers`). */
const ENTRA_HEADERS = { 'content-type': 'application/scim+json' };

interface Replay {
  client: ScimClient;
  vars: Placeholders;
  res: ReturnType<typeof bodyOf>;
}

async function getUser(r: Replay, id = r.vars.userId!) {
  const res = await r.client.get(`/Users/${id}`, ENTRA_HEADERS);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The ids a user filter finds. */
async function findUsers(r: Replay, filter: string): Promise<string[]> {
  const res = await r.client.get(`/Users?filter=${q(filter)}`, ENTRA_HEADERS);
  expect(res.statusCode, res.body).toBe(200);
  expect(Number.isInteger(res.json().totalResults)).toBe(true);
  return idsOf(res);
}

async function memberIds(r: Replay): Promise<string[]> {
  const res = await r.client.get(`/Groups/${r.vars.groupId}`, ENTRA_HEADERS);
  expect(res.statusCode, res.body).toBe(200);
  return ((res.json().members ?? []) as { value: string }[]).map((m) => m.value).sort();
}

/** Every value in a JSON tree that is null, by path. */
function nullsIn(value: unknown, path = ''): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nullsIn(v, `${path}[${i}]`));
  if (typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nullsIn(v, `${path}.${k}`));
  return [];
}

/** What each step means beyond its status and fields, checked right after it (keyed by step name). */
const SEMANTICS: Record<string, (r: Replay) => Promise<void>> = {
  'schema discovery (on save / edit provisioning)': async (r) => {
    // "camelCase property values, no nulls"
    expect(nullsIn(r.res)).toEqual([]);
    const characteristics = JSON.stringify(r.res).match(/"(type|mutability|returned|uniqueness)":"[^"]*"/g) ?? [];
    expect(characteristics.length).toBeGreaterThan(0);
    for (const c of characteristics) expect(c).toMatch(/:"[a-z][A-Za-z]*"$/);
  },
  'create user': async (r) => {
    expect(r.res).toMatchObject({ externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', userName: r.vars.userName, name: { givenName: 'givenName', familyName: 'familyName' } });
    // Entra matches users by userName, by work email or by externalId: each lookup finds this one.
    expect(await findUsers(r, `userName eq "${r.vars.userName}"`)).toEqual([r.vars.userId]);
    expect(await findUsers(r, `emails[type eq "work"].value eq "${r.vars.userName}"`)).toEqual([r.vars.userId]);
    expect(await findUsers(r, 'externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')).toEqual([r.vars.userId]);
  },
  'update user, multi-valued + sub-attribute (no flag)': async (r) => {
    expect(await findUsers(r, 'emails[type eq "work"].value eq "updatedEmail@microsoft.com"')).toEqual([r.vars.userId]);
    expect(await findUsers(r, `emails[type eq "work"].value eq "${r.vars.userName}"`)).toEqual([]);
  },
  'update user, single-valued (userName change)': async (r) => {
    expect(r.res.userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
    expect(await findUsers(r, 'userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"')).toEqual([r.vars.userId]);
  },
  'update user, add single-valued string (no flag)': async (r) => {
    expect((await getUser(r)).nickName).toBe('Babs');
  },
  'update user, replace many (aadOptscim062020)': async (r) => {
    const user = await getUser(r);
    expect(user).toMatchObject({
      displayName: 'Bjfe',
      name: { givenName: 'Kkom', familyName: 'Unua' },
      emails: [{ type: 'work', value: 'TestMhvaes@test.microsoft.com' }],
      [ENTERPRISE_URN]: { employeeNumber: 'Aklq' },
    });
    // Dotted and URN-qualified keys are paths, not new attribute names.
    expect(Object.keys(user).filter((k) => k.includes('.') && !k.startsWith('urn:'))).toEqual([]);
    expect(user).not.toHaveProperty([`${ENTERPRISE_URN}:employeeNumber`]);
    expect(user.schemas).toContain(ENTERPRISE_URN);
  },
  'update manager reference': async (r) => {
    // Entra sends the single-valued `manager` as a one-element list.
    expect((await getUser(r))[ENTERPRISE_URN].manager).toMatchObject({ value: r.vars.userId2 });
  },
  'disable user (no flag: string)': async (r) => {
    // Soft delete: the disabled user stays readable and filterable.
    expect(await getUser(r)).toMatchObject({ id: r.vars.userId, active: false });
    expect(await findUsers(r, 'userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"')).toEqual([r.vars.userId]);
    expect(await findUsers(r, 'active eq false')).toEqual([r.vars.userId]);
  },
  're-enable user': async (r) => {
    expect((await getUser(r)).active).toBe(true);
  },
  'delete user': async (r) => {
    expect((await r.client.get(`/Users/${r.vars.userId}`, ENTRA_HEADERS)).statusCode).toBe(404);
    // Entra provisions a group's members before the group: the user is assigned again (a new
    // resource) before the group steps, which refer to it as {{userId}}.
    const create = STEPS.find((s) => s.name === 'create user')!;
    const again = await r.client.post('/Users', fillBody(create.body, r.vars), ENTRA_HEADERS);
    expect(again.statusCode, again.body).toBe(201);
    r.vars.userId = again.json().id;
  },
  'create group': async (r) => {
    expect(r.res).toMatchObject({ externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: r.vars.groupName });
    // The ADSCIM schema Entra declares is unknown here, yet kept and returned.
    expect(r.res.schemas).toEqual([GROUP_URN, ADSCIM]);
    const res = await r.client.get(`/Groups/${r.vars.groupId}`, ENTRA_HEADERS);
    expect(res.json().schemas).toEqual([GROUP_URN, ADSCIM]);
  },
  'rename group': async (r) => {
    const found = await r.client.get(`/Groups?excludedAttributes=members&filter=${q(`displayName eq "${r.vars.groupName}-renamed"`)}`, ENTRA_HEADERS);
    expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ id: r.vars.groupId, displayName: `${r.vars.groupName}-renamed` }] });
    expect(found.json().Resources[0].schemas).toContain(ADSCIM);
  },
  'add members': async (r) => {
    expect(await memberIds(r)).toEqual([r.vars.userId]);
    // excludedAttributes=members leaves them out even when there are some.
    const excluded = await r.client.get(`/Groups/${r.vars.groupId}?excludedAttributes=members`, ENTRA_HEADERS);
    expect(excluded.json()).not.toHaveProperty('members');
    // A second member, so that the next step shows what it removes and what it keeps.
    const add = await r.client.patch(`/Groups/${r.vars.groupId}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: r.vars.userId2 }] }), ENTRA_HEADERS);
    expect(add.statusCode, add.body).toBe(204);
    expect(await memberIds(r)).toEqual([r.vars.userId!, r.vars.userId2!].sort());
  },
  'remove members (no flag)': async (r) => {
    // "remove only the listed member(s), not all members"
    expect(await memberIds(r)).toEqual([r.vars.userId2]);
  },
  'remove member (aadOptscim062020)': async (r) => {
    expect(await memberIds(r)).toEqual([r.vars.userId2]);
  },
  'delete group': async (r) => {
    expect((await r.client.get(`/Groups/${r.vars.groupId}`, ENTRA_HEADERS)).statusCode).toBe(404);
  },
};

for (const dialect of dialectsUnderTest()) {
  describe(`Entra ID conformance [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let tenantId: string;
    beforeAll(async () => {
      tenantId = await createTenant(t, 'entra-customer', 'Entra customer');
    });

    describe('documented request sequence', () => {
      const suffix = randomUUID().slice(0, 8);
      const r: Replay = { client: undefined as unknown as ScimClient, vars: { userName: `ann.${suffix}@contoso.com`, groupName: `Sales ${suffix}`, guid: randomUUID() }, res: undefined };
      beforeAll(async () => {
        r.client = await newScimClient(t, tenantId, 'azure-ad');
        // {{userId2}}: another user Entra provisioned earlier (the manager, the second member).
        r.vars.userId2 = (await r.client.createUser({ userName: `manager.${suffix}@contoso.com`, active: true })).id;
      });

      it('has semantics for step names that exist', () => {
        expect(Object.keys(SEMANTICS).filter((name) => !STEPS.some((s) => s.name === name))).toEqual([]);
      });

      for (const step of STEPS) {
        it(step.name, async () => {
          const res = await sendStep(r.client, step, r.vars, step.body, ENTRA_HEADERS);
          expectStep(step, res);
          r.res = bodyOf(res);
          if (res.statusCode === 201 && step.path === '/Users') r.vars.userId = r.res.id;
          if (res.statusCode === 201 && step.path === '/Groups') r.vars.groupId = r.res.id;
          await SEMANTICS[step.name]?.(r);
        });
      }
    });

    describe('aadOptscim062020 PATCH shapes', () => {
      let client: ScimClient;
      let userId: string;
      let managerId: string;
      beforeAll(async () => {
        client = await newScimClient(t, tenantId, 'azure-ad');
        managerId = (await client.createUser({ userName: 'boss@contoso.com' })).id;
        userId = (await client.createUser({ userName: 'kim@contoso.com', name: { givenName: 'Kim', familyName: 'Old' }, emails: [{ type: 'work', value: 'kim@contoso.com', primary: true }] })).id;
      });

      it('path-less replace with dotted, URN-qualified and extension-object keys', async () => {
        const res = await client.patch(
          `/Users/${userId}`,
          patchOp(
            { op: 'replace', value: { 'name.givenName': 'Kimberly', 'name.familyName': 'New', displayName: 'Kim New', active: false } },
            { op: 'replace', value: { [`${ENTERPRISE_URN}:department`]: 'Sales', [`${ENTERPRISE_URN}:manager`]: managerId } },
            { op: 'replace', value: { [ENTERPRISE_URN]: { costCenter: 'CC-7' } } },
          ),
          ENTRA_HEADERS,
        );
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
        const user = (await client.get(`/Users/${userId}`, ENTRA_HEADERS)).json();
        expect(user).toMatchObject({
          name: { givenName: 'Kimberly', familyName: 'New' },
          displayName: 'Kim New',
          active: false,
          [ENTERPRISE_URN]: { department: 'Sales', costCenter: 'CC-7', manager: { value: managerId } },
        });
        expect(Object.keys(user).filter((k) => k.includes('.') && !k.startsWith('urn:'))).toEqual([]);
        expect(Object.keys(user).filter((k) => k.startsWith(`${ENTERPRISE_URN}:`))).toEqual([]);
      });

      it('lower-case ops, boolean active, and remove members[value eq "id"] of one member only', async () => {
        const active = await client.patch(`/Users/${userId}`, patchOp({ op: 'replace', path: 'active', value: true }), ENTRA_HEADERS);
        expect(active.json().active).toBe(true);
        const group = await client.createGroup({ displayName: 'Flagged', schemas: [GROUP_URN, ADSCIM] });
        const add = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: userId }, { value: managerId }] }), ENTRA_HEADERS);
        expect(add.statusCode, add.body).toBe(204);
        const remove = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'remove', path: `members[value eq "${userId}"]` }), ENTRA_HEADERS);
        expect(remove.statusCode, remove.body).toBe(204);
        const members = (await client.get(`/Groups/${group.id}`, ENTRA_HEADERS)).json().members;
        expect(members.map((m: { value: string }) => m.value)).toEqual([managerId]);
      });
    });
  });
}
