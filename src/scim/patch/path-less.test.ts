import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply-patch.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, body, expectScimError, patchGroup, patchUser, sampleGroup, sampleUser } from './test-support.js';

const ENT = ENTERPRISE_USER_SCHEMA;

describe('path-less add/replace (RFC 7644 §3.5.2.1: the target is the resource)', () => {
  it('Okta deactivation: {"active": false}', () => {
    const r = patchUser(sampleUser(), { op: 'replace', value: { active: false } });
    expect(r.resource.active).toBe(false);
    expect(r.changed).toEqual(['active']);
  });

  it('keys may be dotted sub-attribute paths and URN-qualified attributes (Entra aadOptscim062020)', () => {
    const r = patchUser(sampleUser(), { op: 'replace', value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [`${ENT}:employeeNumber`]: 'Aklq' } });
    expect(r.resource.name).toEqual({ givenName: 'Kkom', familyName: 'Unua' });
    expect(r.resource[ENT]).toEqual({ employeeNumber: 'Aklq' });
    expect(r.resource.schemas).toEqual([USER_SCHEMA, ENT]);
  });

  it('an extension URN key takes an object of that extension\'s attributes', () => {
    const r = patchUser(sampleUser(), { op: 'add', value: { [ENT]: { department: 'R&D', manager: 'm-1' } } });
    expect(r.resource[ENT]).toEqual({ department: 'R&D', manager: { value: 'm-1' } });
    expect(r.changed).toEqual([`${ENT}:department`, `${ENT}:manager`]);
  });

  it('an extension URN key with null removes the extension', () => {
    const user = { ...sampleUser(), schemas: [USER_SCHEMA, ENT], [ENT]: { department: 'R&D' } };
    const r = patchUser(user, { op: 'replace', value: { [ENT]: null } });
    expect(r.resource).not.toHaveProperty(ENT);
    expect(r.resource.schemas).toEqual([USER_SCHEMA]);
    expect(r.changed).toEqual([`${ENT}:department`]);
  });

  it('the core schema URN as a key holds core attributes', () => {
    const r = patchUser(sampleUser(), { op: 'replace', value: { [USER_SCHEMA]: { title: 'VP' } } });
    expect(r.resource.title).toBe('VP');
  });

  it('an extension URN as the path takes the extension\'s object', () => {
    const r = patchUser(sampleUser(), { op: 'add', path: ENT, value: { costCenter: '42' } });
    expect(r.resource[ENT]).toEqual({ costCenter: '42' });
    expect(patchUser(r.resource, { op: 'remove', path: ENT }).resource).not.toHaveProperty(ENT);
    expectScimError(() => patchUser(sampleUser(), { op: 'add', path: ENT, value: 'x' }), 'invalidValue', /object/);
    expectScimError(() => patchUser(sampleUser(), { op: 'remove', path: USER_SCHEMA }), 'invalidPath', /core schema/);
  });

  it('refuses a value that is not an object, and unknown unqualified keys', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', value: 'x' }), 'invalidValue', /object of attributes/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', value: [{ active: false }] }), 'invalidValue');
    expectScimError(() => patchUser(sampleUser(), { op: 'replace' }), 'invalidValue', /needs a "value"/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', value: { shoeSize: 42 } }), 'invalidPath', /shoeSize/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', value: JSON.parse('{"__proto__": {"active": false}}') }), 'invalidPath');
  });
});

describe('echoed read-only keys', () => {
  it('Okta group rename: the group\'s own id in the value is ignored', () => {
    const r = patchGroup(sampleGroup(), { op: 'replace', value: { id: 'g-1', displayName: 'Eng 2' } });
    expect(r.resource).toMatchObject({ id: 'g-1', displayName: 'Eng 2' });
    expect(r.changed).toEqual(['displayName']);
  });

  it('another id is a mutability error (RFC 7643 §3.1 readOnly)', () => {
    expectScimError(() => patchGroup(sampleGroup(), { op: 'replace', value: { id: 'g-2', displayName: 'x' } }), 'mutability', /id/);
  });

  it('options.id stands in for a stored resource without id', () => {
    const group = sampleGroup();
    delete group.id;
    const r = applyPatch(group, body({ op: 'replace', value: { id: 'g-1', displayName: 'x' } }), { resourceType: 'Group', id: 'g-1' });
    expect(r.resource.displayName).toBe('x');
    expectScimError(() => applyPatch(group, body({ op: 'replace', value: { id: 'g-9' } }), { resourceType: 'Group', id: 'g-1' }), 'mutability');
  });

  it('meta and schemas in a value are ignored (server-assigned, RFC 7643 §3 / §3.1)', () => {
    const r = patchUser(sampleUser(), { op: 'replace', value: { meta: { resourceType: 'User', created: 'x' }, schemas: ['urn:x'], title: 'T' } });
    expect(r.resource.meta).toEqual(sampleUser().meta);
    expect(r.changed).toEqual(['title']);
  });
});

describe('unknown extensions are kept, never a 400', () => {
  const OKTA = 'urn:okta:acme_app:1.0:user:custom';

  it('a qualified attribute of an unknown URN is stored under that URN, and the URN listed', () => {
    const r = patchUser(sampleUser(), { op: 'add', path: `${OKTA}:costCode`, value: 'CC-1' });
    expect(r.resource[OKTA]).toEqual({ costCode: 'CC-1' });
    expect(r.resource.schemas).toEqual([USER_SCHEMA, OKTA]);
    expect(r.changed).toEqual([`${OKTA}:costCode`]);
  });

  it('an unknown URN key with an object value is the whole extension', () => {
    const r = patchUser(sampleUser(), { op: 'add', value: { [OKTA]: { costCode: 'CC-1', level: 3 } } });
    expect(r.resource[OKTA]).toEqual({ costCode: 'CC-1', level: 3 });
  });

  it('an undeclared unknown URN path with an object value is read as a whole extension', () => {
    const r = patchUser(sampleUser(), { op: 'add', path: 'urn:example:ext:1.0:User', value: { tier: 'gold' } });
    expect(r.resource['urn:example:ext:1.0:User']).toEqual({ tier: 'gold' });
  });

  it('once declared in schemas, URN:attr paths address attributes of the extension even with object values', () => {
    const user = { ...sampleUser(), schemas: [USER_SCHEMA, 'urn:example:ext:1.0:User'], 'urn:example:ext:1.0:User': { tier: 'gold' } };
    const r = patchUser(user, { op: 'add', path: 'urn:example:ext:1.0:User:profile', value: { nick: 'b' } }, { op: 'replace', path: 'urn:example:ext:1.0:User:profile.nick', value: 'c' });
    expect(r.resource['urn:example:ext:1.0:User']).toEqual({ tier: 'gold', profile: { nick: 'c' } });
  });

  it('Entra\'s http ADSCIM schema URI works as a key and as a path', () => {
    const adscim = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
    const r = patchGroup(sampleGroup(), { op: 'add', value: { [adscim]: { source: 'AD' } } });
    expect(r.resource[adscim]).toEqual({ source: 'AD' });
    expect(r.resource.schemas).toContain(adscim);
    const r2 = patchGroup(r.resource, { op: 'replace', path: `${adscim}:source`, value: 'cloud' });
    expect(r2.resource[adscim]).toEqual({ source: 'cloud' });
  });

  it('add appends to lists and merges objects; null and remove delete; the emptied extension goes', () => {
    const user = { ...sampleUser(), schemas: [USER_SCHEMA, OKTA], [OKTA]: { tags: ['a'], info: { x: 1 } } };
    const r = patchUser(user, { op: 'add', path: `${OKTA}:tags`, value: ['a', 'b'] }, { op: 'add', path: `${OKTA}:info`, value: { y: 2 } });
    expect(r.resource[OKTA]).toEqual({ tags: ['a', 'b'], info: { x: 1, y: 2 } });
    const gone = patchUser(r.resource, { op: 'remove', path: `${OKTA}:tags` }, { op: 'replace', path: `${OKTA}:info`, value: null });
    expect(gone.resource).not.toHaveProperty(OKTA);
    expect(gone.resource.schemas).toEqual([USER_SCHEMA]);
  });

  it('a known schema of another resource type is refused, not kept as unknown', () => {
    expectScimError(() => patchGroup(sampleGroup(), { op: 'add', path: `${ENT}:department`, value: 'x' }), 'invalidPath', /not a schema of Group/);
    expectScimError(() => patchGroup(sampleGroup(), { op: 'add', value: { [ENT]: { department: 'x' } } }), 'invalidPath', /not a schema of Group/);
    expectScimError(() => patchGroup(sampleGroup(), { op: 'replace', path: `${USER_SCHEMA}:userName`, value: 'x' }), 'invalidPath');
  });

  it('value filters need a schema', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'remove', path: `${OKTA}:things[type eq "x"]` }), 'invalidPath', /schema/);
  });

  it('refuses hostile values: prototype keys, runaway nesting', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'add', path: `${OKTA}:x`, value: JSON.parse('{"__proto__": {"polluted": true}}') }), 'invalidPath');
    expectScimError(() => patchUser(sampleUser(), { op: 'add', path: `${OKTA}:x`, value: JSON.parse('[{"__proto__": {"polluted": true}}]') }), 'invalidValue');
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = [deep];
    expectScimError(() => patchUser(sampleUser(), { op: 'add', path: `${OKTA}:x`, value: deep }), 'invalidValue', /nested/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
