/**
 * Microsoft Entra ID's PATCH requests, both dialects (with and without the aadOptscim062020 flag):
 * fixtures from conformance/idp-exchanges.json, plus shapes Microsoft documents for the enterprise
 * extension (manager, addresses, nulls).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply-patch.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, fill, patchGroup, patchUser, sampleGroup, sampleUser } from './test-support.js';

interface Step {
  name: string;
  path: string;
  body: unknown;
}
const fixtures = JSON.parse(readFileSync(new URL('./entra-patch.fixtures.json', import.meta.url), 'utf8')) as { steps: Step[] };
const vars = { userId: 'u-1', userId2: 'u-2', userName: 'bjensen@example.com', groupId: 'g-1', groupName: 'Engineering' };
const step = (name: string) => {
  const found = fixtures.steps.find((s) => s.name.startsWith(name));
  if (!found) throw new Error(`no fixture "${name}"`);
  return fill(found, vars);
};
const ENT = ENTERPRISE_USER_SCHEMA;
const user = (body: unknown) => applyPatch(sampleUser(), body, { resourceType: 'User' });
const group = (body: unknown) => applyPatch(sampleGroup(), body, { resourceType: 'Group' });

describe('Entra ID PATCH requests (idp-exchanges.json)', () => {
  it('every fixture applies without error to the right resource type', () => {
    for (const s of fixtures.steps) {
      const { body, path } = fill(s, vars);
      const isGroup = path.startsWith('/Groups');
      expect(() => applyPatch(isGroup ? sampleGroup() : sampleUser(), body, { resourceType: isGroup ? 'Group' : 'User' }), s.name).not.toThrow();
    }
  });

  it('update user, multi-valued + sub-attribute (no flag): capitalised Replace', () => {
    const r = user(step('update user, multi-valued').body);
    expect((r.resource.emails as { value: string }[])[0]?.value).toBe('updatedEmail@microsoft.com');
    expect((r.resource.name as { familyName: string }).familyName).toBe('updatedFamilyName');
  });

  it('update user, single-valued userName change', () => {
    expect(user(step('update user, single-valued').body).resource.userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
  });

  it('update user, add single-valued string', () => {
    expect(user(step('update user, add single-valued').body).resource.nickName).toBe('Babs');
  });

  it('update user, replace many (aadOptscim062020): dotted and URN-qualified keys', () => {
    const r = user(step('update user, replace many').body);
    expect(r.resource).toMatchObject({ displayName: 'Bjfe', name: { givenName: 'Kkom', familyName: 'Unua' }, [ENT]: { employeeNumber: 'Aklq' } });
    expect((r.resource.emails as { value: string }[])[0]?.value).toBe('TestMhvaes@test.microsoft.com');
    expect(r.resource.schemas).toEqual([USER_SCHEMA, ENT]);
  });

  it('update manager reference: unqualified "manager" with a one-element list', () => {
    const r = user(step('update manager reference').body);
    expect(r.resource[ENT]).toEqual({ manager: { $ref: 'http://.../scim/Users/u-2', value: 'u-2' } });
  });

  it('disable user (no flag): "False" becomes false', () => {
    const r = user(step('disable user (no flag').body);
    expect(r.resource.active).toBe(false);
  });

  it('disable user (aadOptscim062020): boolean false', () => {
    expect(user(step('disable user (aadOptscim062020)').body).resource.active).toBe(false);
  });

  it('re-enable user: "True" becomes true', () => {
    const r = applyPatch({ ...sampleUser(), active: false }, step('re-enable user').body, { resourceType: 'User' });
    expect(r.resource.active).toBe(true);
  });

  it('rename group', () => {
    expect(group(step('rename group').body).resource.displayName).toBe('Engineering-renamed');
  });

  it('add members ($ref: null)', () => {
    expect(group(step('add members').body).memberOps).toEqual([{ op: 'add', members: [{ value: 'u-1' }] }]);
  });

  it('remove members (no flag): only the listed members', () => {
    expect(group(step('remove members (no flag)').body).memberOps).toEqual([{ op: 'remove', values: ['u-1'] }]);
  });

  it('remove member (aadOptscim062020): members[value eq "id"]', () => {
    expect(group(step('remove member (aadOptscim062020)').body).memberOps).toEqual([{ op: 'remove', values: ['u-1'] }]);
  });
});

describe('Entra ID enterprise-extension and attribute shapes', () => {
  it('Add manager by URN path with the manager id as a plain string', () => {
    const r = patchUser(sampleUser(), { op: 'Add', path: `${ENT}:manager`, value: 'm-1' });
    expect(r.resource[ENT]).toEqual({ manager: { value: 'm-1' } });
  });

  it('Remove manager with value [{value}]', () => {
    const withManager = { ...sampleUser(), schemas: [USER_SCHEMA, ENT], [ENT]: { department: 'Sales', manager: { value: 'm-1' } } };
    const r = patchUser(withManager, { op: 'Remove', path: `${ENT}:manager`, value: [{ value: 'm-1' }] });
    expect(r.resource[ENT]).toEqual({ department: 'Sales' });
  });

  it('Replace manager with a null value removes it', () => {
    const withManager = { ...sampleUser(), schemas: [USER_SCHEMA, ENT], [ENT]: { manager: { value: 'm-1' } } };
    const r = patchUser(withManager, { op: 'Replace', path: `${ENT}:manager`, value: null });
    expect(r.resource).not.toHaveProperty(ENT);
    expect(r.resource.schemas).toEqual([USER_SCHEMA]);
  });

  it('Add addresses[type eq "work"].* for a user with no work address creates it', () => {
    const r = patchUser(
      sampleUser(),
      { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Microsoft Way' },
      { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Redmond' },
      { op: 'Add', path: 'addresses[type eq "work"].postalCode', value: '98052' },
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
    );
    expect(r.resource.addresses).toEqual([{ type: 'work', streetAddress: '1 Microsoft Way', locality: 'Redmond', postalCode: '98052' }]);
    expect(r.resource.phoneNumbers).toEqual([{ value: '555-0100', type: 'work' }, { type: 'mobile', value: '+1 555 0100' }]);
  });

  it('Replace with a URN-qualified department and a boolean string for primary', () => {
    const r = patchUser(sampleUser(), { op: 'Replace', path: `${ENT}:department`, value: 'Finance' }, { op: 'Replace', path: 'emails[type eq "home"].primary', value: 'True' });
    expect(r.resource[ENT]).toEqual({ department: 'Finance' });
    expect((r.resource.emails as { primary?: boolean }[]).map((e) => e.primary)).toEqual([false, true]);
  });

  it('null-valued attributes in a path-less replace clear them', () => {
    const r = patchUser(sampleUser(), { op: 'replace', value: { displayName: null, 'name.givenName': null, title: 'Dev' } });
    expect(r.resource).not.toHaveProperty('displayName');
    expect(r.resource.name).toEqual({ familyName: 'Jensen' });
    expect(r.resource.title).toBe('Dev');
  });

  it('Remove of several members then Add, as Entra batches membership changes', () => {
    const r = patchGroup(
      sampleGroup(),
      { op: 'Remove', path: 'members', value: [{ value: 'u-1' }, { value: 'u-2' }] },
      { op: 'Remove', path: 'members', value: [{ value: 'u-3' }] },
      { op: 'Add', path: 'members', value: [{ value: 'u-4' }] },
    );
    expect(r.memberOps).toEqual([
      { op: 'remove', values: ['u-1', 'u-2', 'u-3'] },
      { op: 'add', members: [{ value: 'u-4' }] },
    ]);
  });
});
