import { describe, expect, it } from 'vitest';
import type { AttributeDef } from '../schema/index.js';
import { applyToTarget, type PatchContext } from './operations.js';
import { ENTERPRISE_USER_SCHEMA, expectScimError, patchGroup, patchUser, sampleGroup, sampleUser } from './test-support.js';

const ENT = ENTERPRISE_USER_SCHEMA;

describe('simple attributes', () => {
  it('add sets an absent single-valued attribute and replaces a present one (RFC 7644 §3.5.2.1)', () => {
    expect(patchUser(sampleUser(), { op: 'add', path: 'nickName', value: 'Babs' }).resource.nickName).toBe('Babs');
    expect(patchUser(sampleUser(), { op: 'add', path: 'displayName', value: 'B' }).resource.displayName).toBe('B');
  });

  it('replace of an absent attribute adds it (RFC 7644 §3.5.2.3)', () => {
    expect(patchUser(sampleUser(), { op: 'replace', path: 'title', value: 'VP' }).resource.title).toBe('VP');
  });

  it('remove unassigns; removing an absent attribute is not an error', () => {
    const r = patchUser(sampleUser(), { op: 'remove', path: 'displayName' }, { op: 'remove', path: 'title' });
    expect(r.resource).not.toHaveProperty('displayName');
    expect(r.changed).toEqual(['displayName']);
  });

  it('matches attribute names ignoring case and stores the schema spelling (RFC 7643 §2.1)', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'DISPLAYNAME', value: 'X' }, { op: 'add', path: 'NickName', value: 'n' });
    expect(r.resource.displayName).toBe('X');
    expect(r.resource.nickName).toBe('n');
    expect(r.resource).not.toHaveProperty('NickName');
  });

  it('accepts core-URN-qualified paths (RFC 7644 §3.10)', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName', value: 'B' });
    expect(r.resource.name).toEqual({ givenName: 'B', familyName: 'Jensen' });
  });

  it('refuses an unknown core attribute with invalidPath naming it', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'add', path: 'favouriteColour', value: 'red' }), 'invalidPath', /favouriteColour/);
    expectScimError(() => patchUser(sampleUser(), { op: 'add', path: 'name.nickname', value: 'x' }), 'invalidPath', /name\.nickname/);
    expectScimError(() => patchUser(sampleUser(), { op: 'add', path: `${ENT}:shoeSize`, value: 42 }), 'invalidPath', /shoeSize/);
  });

  it('refuses malformed paths with invalidPath', () => {
    for (const path of ['emails[type eq', 'a..b', 'name.givenName.x', 'emails[type eq "work"]x', '[x]']) {
      expectScimError(() => patchUser(sampleUser(), { op: 'add', path, value: 'x' }), 'invalidPath');
    }
  });

  it('refuses a value of the wrong type with invalidValue', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'active', value: 'maybe' }), 'invalidValue', /boolean/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'userName', value: 5 }), 'invalidValue', /string/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'name', value: 5 }), 'invalidValue', /complex/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'displayName', value: { a: 1 } }), 'invalidValue');
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'displayName', value: ['a', 'b'] }), 'invalidValue', /single-valued/);
  });

  it('add and replace need a value (RFC 7644 §3.5.2.1)', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'add', path: 'title' }), 'invalidValue', /needs a "value"/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'title' }), 'invalidValue', /needs a "value"/);
  });
});

describe('null and empty values (RFC 7643 §2.5)', () => {
  it('null in add/replace unassigns the attribute (Entra ID sends nulls)', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'displayName', value: null }, { op: 'add', path: 'phoneNumbers', value: null });
    expect(r.resource).not.toHaveProperty('displayName');
    expect(r.resource).not.toHaveProperty('phoneNumbers');
  });

  it('an empty string unassigns an optional attribute, like `pr` reads it (RFC 7644 §3.4.2.2)', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'displayName', value: '' }, { op: 'replace', path: 'name.givenName', value: '' });
    expect(r.resource).not.toHaveProperty('displayName');
    expect(r.resource.name).toEqual({ familyName: 'Jensen' });
  });

  it('an empty array unassigns a multi-valued attribute', () => {
    expect(patchUser(sampleUser(), { op: 'replace', path: 'emails', value: [] }).resource).not.toHaveProperty('emails');
  });

  it('a required attribute cannot be removed, nulled or emptied (invalidValue, RFC 7644 §3.12)', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'remove', path: 'userName' }), 'invalidValue', /required/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'userName', value: null }), 'invalidValue', /required/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', value: { userName: '' } }), 'invalidValue', /required/);
    expectScimError(() => patchGroup(sampleGroup(), { op: 'remove', path: 'displayName' }), 'invalidValue', /required/);
  });
});

describe('mutability (RFC 7644 §3.5.2, RFC 7643 §7)', () => {
  it('refuses changes to readOnly attributes', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'id', value: 'other' }), 'mutability', /readOnly/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' }), 'mutability');
    expectScimError(() => patchUser(sampleUser(), { op: 'remove', path: 'meta' }), 'mutability');
    expectScimError(() => patchUser(sampleUser(), { op: 'add', path: 'groups', value: [{ value: 'g-1' }] }), 'mutability', /groups/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: `${ENT}:manager.displayName`, value: 'Boss' }), 'mutability');
  });

  it('writing the value already there is no modification, so readOnly does not object', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'id', value: 'u-1' }, { op: 'add', path: 'groups', value: [] });
    expect(r.changed).toEqual([]);
  });

  it('drops readOnly sub-attributes inside a value, as PUT does (RFC 7644 §3.5.1)', () => {
    const r = patchUser(sampleUser(), { op: 'add', path: `${ENT}:manager`, value: { value: 'm-1', displayName: 'Boss' } });
    expect(r.resource[ENT]).toEqual({ manager: { value: 'm-1' } });
  });

  it('writeOnly attributes can be set (the store must hash or drop password)', () => {
    expect(patchUser(sampleUser(), { op: 'replace', path: 'password', value: 's3cret!' }).resource.password).toBe('s3cret!');
  });
});

describe('complex attributes', () => {
  it('add and replace merge sub-attributes, leaving the others (RFC 7644 §3.5.2.3)', () => {
    const added = patchUser(sampleUser(), { op: 'add', path: 'name', value: { middleName: 'J' } });
    expect(added.resource.name).toEqual({ givenName: 'Barbara', familyName: 'Jensen', middleName: 'J' });
    const replaced = patchUser(sampleUser(), { op: 'replace', path: 'name', value: { givenName: 'Babs', familyName: null } });
    expect(replaced.resource.name).toEqual({ givenName: 'Babs' });
  });

  it('sets, replaces and removes one sub-attribute by path', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'name.familyName', value: 'J' }, { op: 'add', path: 'name.honorificPrefix', value: 'Ms.' }, { op: 'remove', path: 'name.givenName' });
    expect(r.resource.name).toEqual({ familyName: 'J', honorificPrefix: 'Ms.' });
  });

  it('creates the complex attribute for a sub-attribute, removes it when its last sub-attribute goes', () => {
    const user = sampleUser();
    delete user.name;
    const created = patchUser(user, { op: 'add', path: 'name.givenName', value: 'B' });
    expect(created.resource.name).toEqual({ givenName: 'B' });
    const removed = patchUser(created.resource, { op: 'remove', path: 'name.givenName' });
    expect(removed.resource).not.toHaveProperty('name');
  });

  it('refuses unknown sub-attributes inside a value', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'add', path: 'name', value: { nick: 'x' } }), 'invalidPath', /"nick" is not a sub-attribute of "name"/);
  });
});

describe('multi-valued attributes', () => {
  it('add appends and skips values already there (RFC 7644 §3.5.2.1)', () => {
    const r = patchUser(sampleUser(), {
      op: 'add',
      path: 'emails',
      value: [{ value: 'BJENSEN@example.com', type: 'work' }, { value: 'new@example.com', type: 'other' }, { value: 'new@example.com', type: 'other' }],
    });
    expect(r.resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@home.example', type: 'home' },
      { value: 'new@example.com', type: 'other' },
    ]);
  });

  it('add of a single value (not in a list) appends it', () => {
    const r = patchUser(sampleUser(), { op: 'add', path: 'phoneNumbers', value: { value: '555-0199', type: 'mobile' } });
    expect(r.resource.phoneNumbers).toEqual([{ value: '555-0100', type: 'work' }, { value: '555-0199', type: 'mobile' }]);
  });

  it('replace without a filter replaces every value (RFC 7644 §3.5.2.3)', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'emails', value: [{ value: 'only@example.com', type: 'work' }] });
    expect(r.resource.emails).toEqual([{ value: 'only@example.com', type: 'work' }]);
  });

  it('remove without a filter removes all (RFC 7644 §3.5.2.2); with a value, only those values', () => {
    expect(patchUser(sampleUser(), { op: 'remove', path: 'emails' }).resource).not.toHaveProperty('emails');
    const r = patchUser(sampleUser(), { op: 'remove', path: 'emails', value: [{ value: 'babs@home.example' }] });
    expect(r.resource.emails).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
  });

  it('a new primary value clears primary on the others (RFC 7643 §2.4)', () => {
    const r = patchUser(sampleUser(), { op: 'add', path: 'emails', value: [{ value: 'new@example.com', type: 'work', primary: true }] });
    expect(r.resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@home.example', type: 'home' },
      { value: 'new@example.com', type: 'work', primary: true },
    ]);
  });

  it('adding an existing value with primary: true promotes it instead of duplicating it', () => {
    const r = patchUser(sampleUser(), { op: 'add', path: 'emails', value: [{ value: 'babs@home.example', type: 'home', primary: 'True' }] });
    expect(r.resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@home.example', type: 'home', primary: true },
    ]);
  });

  it('of several primaries in one list, the last one sent wins', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'emails', value: [{ value: 'a@x.com', primary: true }, { value: 'b@x.com', primary: true }] });
    expect(r.resource.emails).toEqual([{ value: 'a@x.com', primary: false }, { value: 'b@x.com', primary: true }]);
  });

  it('attr.sub without a filter applies to every value', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'emails.type', value: 'other' });
    expect((r.resource.emails as { type: string }[]).map((e) => e.type)).toEqual(['other', 'other']);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'emails.primary', value: true }), 'invalidValue', /primary/);
  });
});

describe('remove', () => {
  it('needs a path (noTarget, RFC 7644 §3.5.2.2)', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'remove' }), 'noTarget', /path/);
    expectScimError(() => patchUser(sampleUser(), { op: 'remove', value: { title: 'x' } }), 'noTarget');
  });

  it('with a value on a single-valued attribute removes it only when the value matches', () => {
    const user = { ...sampleUser(), [ENT]: { manager: { value: 'm-1' } } };
    const other = patchUser(user, { op: 'remove', path: `${ENT}:manager`, value: [{ value: 'm-2' }] });
    expect(other.resource[ENT]).toEqual({ manager: { value: 'm-1' } });
    const same = patchUser(user, { op: 'remove', path: `${ENT}:manager`, value: [{ value: 'm-1' }] });
    expect(same.resource).not.toHaveProperty(ENT);
  });
});

describe('immutable attributes (RFC 7644 §3.5.2: "MAY add a value … if the attribute had no previous value")', () => {
  // No User/Group attribute outside `members` is immutable, so this uses a synthetic definition.
  const badge: AttributeDef = {
    name: 'badge', type: 'string', multiValued: false, description: '', required: false, caseExact: true,
    mutability: 'immutable', returned: 'default', uniqueness: 'none',
  };
  const target = { kind: 'attr', attr: badge, text: 'badge' } as const;
  const ctx = (draft: Record<string, unknown>): PatchContext => ({ resourceType: 'User', draft, memberOps: [], touched: new Map() });

  it('can be set while unassigned', () => {
    const c = ctx({});
    applyToTarget(c, 'add', target, 'B-1', true);
    expect(c.draft.badge).toBe('B-1');
  });

  it('cannot be changed or removed once set, but may be re-sent unchanged', () => {
    expectScimError(() => applyToTarget(ctx({ badge: 'B-1' }), 'replace', target, 'B-2', true), 'mutability', /immutable/);
    expectScimError(() => applyToTarget(ctx({ badge: 'B-1' }), 'remove', target, undefined, false), 'mutability');
    const same = ctx({ badge: 'B-1' });
    applyToTarget(same, 'replace', target, 'B-1', true);
    expect(same.touched.size).toBe(0);
  });
});
