import { describe, expect, it } from 'vitest';
import { applyPatch, parsePatchBody } from './apply-patch.js';
import { ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA, body, expectScimError, patchGroup, patchUser, sampleGroup, sampleUser } from './test-support.js';

const asUser = { resourceType: 'User' } as const;

describe('PATCH body validation (RFC 7644 §3.5.2)', () => {
  it.each([null, 'x', 42, [], true])('refuses a body that is not an object: %j', (raw) => {
    expectScimError(() => applyPatch(sampleUser(), raw, asUser), 'invalidSyntax', /JSON object/);
  });

  it('requires the PatchOp schema URN', () => {
    expectScimError(() => applyPatch(sampleUser(), { Operations: [{ op: 'add', path: 'title', value: 'x' }] }, asUser), 'invalidSyntax', /PatchOp/);
    expectScimError(
      () => applyPatch(sampleUser(), { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }, asUser),
      'invalidSyntax',
      /PatchOp/,
    );
    expectScimError(() => applyPatch(sampleUser(), { schemas: PATCH_OP_SCHEMA, Operations: [] }, asUser), 'invalidSyntax', /PatchOp/);
  });

  it('compares the schema URN and member names ignoring case', () => {
    const r = applyPatch(sampleUser(), { Schemas: [PATCH_OP_SCHEMA.toUpperCase()], operations: [{ OP: 'add', PATH: 'title', VALUE: 'Boss' }] }, asUser);
    expect(r.resource.title).toBe('Boss');
  });

  it('requires a non-empty Operations array', () => {
    expectScimError(() => applyPatch(sampleUser(), { schemas: [PATCH_OP_SCHEMA] }, asUser), 'invalidSyntax', /"Operations" must be an array/);
    expectScimError(() => applyPatch(sampleUser(), { schemas: [PATCH_OP_SCHEMA], Operations: {} }, asUser), 'invalidSyntax', /array/);
    expectScimError(() => applyPatch(sampleUser(), body(), asUser), 'invalidSyntax', /at least one/);
  });

  it('caps the number of operations (default 1000) with tooMany', () => {
    const op = { op: 'add', path: 'title', value: 'x' };
    expect(() => applyPatch(sampleUser(), body(...Array(1000).fill(op)), asUser)).not.toThrow();
    expectScimError(() => applyPatch(sampleUser(), body(...Array(1001).fill(op)), asUser), 'tooMany', /1001 operations/);
    expectScimError(() => applyPatch(sampleUser(), body(op, op, op), { ...asUser, maxOperations: 2 }), 'tooMany', /at most 2/);
  });

  it.each([{}, { op: 5 }, { op: 'move', path: 'title' }, { op: 'copy' }, { op: '' }, 'add', null])('refuses a bad operation %j', (op) => {
    expectScimError(() => applyPatch(sampleUser(), body(op), asUser), 'invalidSyntax', /Operations\[0\]/);
  });

  it('accepts op in any letter case (Entra ID sends "Add", "Replace", "Remove")', () => {
    const ops = parsePatchBody(body({ op: 'Add', path: 'a', value: 1 }, { op: 'REPLACE', path: 'b', value: 1 }, { op: 'Remove', path: 'c' }, { op: 'rEmOvE', path: 'd' }));
    expect(ops.map((o) => o.op)).toEqual(['add', 'replace', 'remove', 'remove']);
  });

  it.each([5, '', '   ', {}, ['title']])('refuses a path that is not a non-empty string: %j', (path) => {
    expectScimError(() => applyPatch(sampleUser(), body({ op: 'replace', path, value: 'x' }), asUser), 'invalidPath', /path must be a non-empty string/);
  });

  it('reads "path": null as no path', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: null, value: { title: 'Boss' } });
    expect(r.resource.title).toBe('Boss');
  });

  it('names the failing operation in the detail', () => {
    const err = expectScimError(() => patchUser(sampleUser(), { op: 'add', path: 'title', value: 'x' }, { op: 'replace', path: 'active', value: 'maybe' }), 'invalidValue');
    expect(err.message).toMatch(/^Operations\[1\] \(replace active\): /);
    expect(err.message).toMatch(/"maybe" is not a valid boolean/);
  });
});

describe('atomicity and purity', () => {
  it('never modifies the input resource or body', () => {
    const user = sampleUser();
    const before = structuredClone(user);
    const patch = body(
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' },
      { op: 'add', path: 'emails', value: [{ value: 'x@example.com', primary: true }] },
      { op: 'replace', value: { 'name.givenName': 'B', [`${ENTERPRISE_USER_SCHEMA}:department`]: 'R&D' } },
      { op: 'remove', path: 'phoneNumbers' },
    );
    const patchCopy = structuredClone(patch);
    const r = applyPatch(user, patch, asUser);
    expect(user).toEqual(before);
    expect(patch).toEqual(patchCopy);
    expect(r.resource).not.toBe(user);
    expect(r.resource.emails).not.toBe(user.emails);
  });

  it('does not share objects between the result and the request body', () => {
    const patch = body({ op: 'add', path: 'urn:example:ext:1.0:User:profile', value: { tags: ['a'] } });
    const user = { ...sampleUser(), schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:example:ext:1.0:User'] };
    const r = applyPatch(user, patch, asUser);
    const ext = r.resource['urn:example:ext:1.0:User'] as { profile: { tags: string[] } };
    ext.profile.tags.push('b');
    expect(patch.Operations[0]).toEqual({ op: 'add', path: 'urn:example:ext:1.0:User:profile', value: { tags: ['a'] } });
  });

  it('fails the whole PATCH when any operation fails: nothing of the earlier ones escapes', () => {
    const user = sampleUser();
    const before = structuredClone(user);
    expectScimError(() => patchUser(user, { op: 'replace', path: 'title', value: 'Boss' }, { op: 'remove', path: 'userName' }), 'invalidValue', /required/);
    expect(user).toEqual(before);
  });

  it('applies operations in order', () => {
    const r = patchUser(sampleUser(), { op: 'add', path: 'title', value: 'A' }, { op: 'remove', path: 'title' }, { op: 'add', path: 'title', value: 'B' });
    expect(r.resource.title).toBe('B');
  });
});

describe('changed', () => {
  it('lists core attributes by canonical name, extension attributes URN-qualified, in touch order', () => {
    const r = patchUser(
      sampleUser(),
      { op: 'replace', path: 'ACTIVE', value: false },
      { op: 'add', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Sales' },
      { op: 'replace', path: 'name.familyName', value: 'J' },
    );
    expect(r.changed).toEqual(['active', `${ENTERPRISE_USER_SCHEMA}:department`, 'name']);
  });

  it('is empty when the PATCH writes what is already there (Okta re-sends the group name before every push)', () => {
    const r = patchGroup(sampleGroup(), { op: 'replace', value: { id: 'g-1', displayName: 'Engineering' } });
    expect(r.changed).toEqual([]);
    expect(r.resource).toEqual(sampleGroup());
  });

  it('does not list an attribute changed then changed back', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'title', value: 'x' }, { op: 'remove', path: 'title' });
    expect(r.changed).toEqual([]);
  });

  it('ends with "members" when there are member operations', () => {
    const r = patchGroup(sampleGroup(), { op: 'replace', path: 'displayName', value: 'Eng' }, { op: 'add', path: 'members', value: [{ value: 'u-2' }] });
    expect(r.changed).toEqual(['displayName', 'members']);
  });

  it('says whether every operation targeted members, whether or not an attribute would change', () => {
    const empty = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: '' };
    const members = [
      [{ op: 'add', path: 'members', value: [{ value: 'u-2' }] }],
      [{ op: 'remove', path: 'members[value eq "u-2"]' }, { op: 'Remove', path: 'members', value: [{ value: 'u-3' }] }],
      [{ op: 'add', value: { members: [{ value: 'u-2' }] } }],
    ];
    for (const ops of members) expect(patchGroup(empty, ...ops).membersOnly).toBe(true);
    // On an empty group these change nothing, on a real one they would: not members only.
    const attributes = [
      [{ op: 'remove', path: 'externalId' }],
      [{ op: 'add', path: 'members', value: [{ value: 'u-2' }] }, { op: 'replace', path: 'displayName', value: '' }],
      [{ op: 'add', value: { members: [{ value: 'u-2' }], externalId: null } }],
      [{ op: 'remove', path: 'urn:example:custom:attr' }],
    ];
    for (const ops of attributes) expect(patchGroup(empty, ...ops).membersOnly).toBe(false);
  });
});

describe('schemas follows the extensions present (RFC 7643 §3)', () => {
  it('lists an extension when one of its attributes is set, unlists it when it empties', () => {
    const added = patchUser(sampleUser(), { op: 'add', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Sales' });
    expect(added.resource.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER_SCHEMA]);
    const removed = patchUser(added.resource, { op: 'remove', path: `${ENTERPRISE_USER_SCHEMA}:department` });
    expect(removed.resource.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);
    expect(removed.resource).not.toHaveProperty(ENTERPRISE_USER_SCHEMA);
    expect(removed.changed).toEqual([`${ENTERPRISE_USER_SCHEMA}:department`]);
  });

  it('ignores "schemas" sent by the client, as a path or in a value', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'schemas', value: ['urn:x'] }, { op: 'replace', value: { schemas: [], title: 'T' } }, { op: 'remove', path: 'schemas' });
    expect(r.resource.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);
    expect(r.changed).toEqual(['title']);
  });

  it('leaves untouched extensions listed as they were (Entra ADSCIM group URN)', () => {
    const adscim = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
    const group = { ...sampleGroup(), schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', adscim] };
    const r = patchGroup(group, { op: 'Replace', path: 'displayName', value: 'X' });
    expect(r.resource.schemas).toEqual(group.schemas);
  });
});
