import { describe, expect, it } from 'vitest';
import {
  ALL_SCHEMAS,
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  RESOURCE_TYPES,
  USER_SCHEMA,
  getSchema,
  groupSchema,
  isExtensionSchema,
  qualifiedPath,
  resolveAttribute,
  schemasOf,
  userSchema,
  type AttributeDef,
} from './index.js';
import { ATTRIBUTE_TYPES, MUTABILITIES, RETURNED } from './types.js';

/** Every attribute and sub-attribute, with its dotted path for failure messages. */
function everyAttribute(): [string, AttributeDef][] {
  const out: [string, AttributeDef][] = [];
  const walk = (prefix: string, attrs: readonly AttributeDef[]) => {
    for (const a of attrs) {
      out.push([`${prefix}${a.name}`, a]);
      if (a.subAttributes) walk(`${prefix}${a.name}.`, a.subAttributes);
    }
  };
  for (const s of ALL_SCHEMAS) walk(`${s.id}:`, s.attributes);
  walk('common:', COMMON_ATTRIBUTES);
  return out;
}

describe('schema definitions (RFC 7643 §7)', () => {
  it.each(everyAttribute())('%s has every §7 field with a valid value', (_path, a) => {
    expect(typeof a.name).toBe('string');
    expect(ATTRIBUTE_TYPES).toContain(a.type);
    expect(typeof a.multiValued).toBe('boolean');
    expect(a.description.length).toBeGreaterThan(0);
    expect(typeof a.required).toBe('boolean');
    expect(typeof a.caseExact).toBe('boolean');
    expect(MUTABILITIES).toContain(a.mutability);
    expect(RETURNED).toContain(a.returned);
    expect(['none', 'server', 'global']).toContain(a.uniqueness);
    // RFC 7643 §2.3.8: complex attributes have sub-attributes, and only one level of them.
    if (a.type === 'complex') expect(a.subAttributes?.length).toBeGreaterThan(0);
    else expect(a.subAttributes).toBeUndefined();
    if (a.type === 'reference') expect(a.referenceTypes?.length).toBeGreaterThan(0);
  });

  it('nests sub-attributes one level only', () => {
    for (const [, a] of everyAttribute()) {
      for (const sub of a.subAttributes ?? []) expect(sub.subAttributes).toBeUndefined();
    }
  });

  it('lists the User attributes of RFC 7643 §8.7.1 in order', () => {
    expect(userSchema.attributes.map((a) => a.name)).toEqual([
      'userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType',
      'preferredLanguage', 'locale', 'timezone', 'active', 'password', 'emails', 'phoneNumbers',
      'ims', 'photos', 'addresses', 'groups', 'entitlements', 'roles', 'x509Certificates',
    ]);
  });

  it('gives userName, password, groups and active their RFC characteristics', () => {
    const byName = (n: string) => userSchema.attributes.find((a) => a.name === n)!;
    expect(byName('userName')).toMatchObject({ required: true, caseExact: false, uniqueness: 'server' });
    expect(byName('password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(byName('active').type).toBe('boolean');
    const groups = byName('groups');
    expect(groups.mutability).toBe('readOnly');
    expect(groups.subAttributes!.every((s) => s.mutability === 'readOnly')).toBe(true);
    expect(byName('emails').subAttributes!.map((s) => s.name)).toEqual(['value', 'display', 'type', 'primary']);
    expect(byName('photos').subAttributes![0]).toMatchObject({ type: 'reference', referenceTypes: ['external'] });
  });

  it('declares Group displayName required and unique per server, members immutable', () => {
    const [displayName, members] = groupSchema.attributes;
    expect(displayName).toMatchObject({ name: 'displayName', required: true, uniqueness: 'server' });
    expect(members).toMatchObject({ name: 'members', multiValued: true, type: 'complex' });
    const value = members.subAttributes!.find((s) => s.name === 'value');
    expect(value?.mutability).toBe('immutable');
    const type = members.subAttributes!.find((s) => s.name === 'type');
    expect(type?.canonicalValues).toEqual(['User', 'Group']);
  });

  it('gives id and externalId their RFC 7643 §3.1 characteristics', () => {
    const [id, externalId, meta] = COMMON_ATTRIBUTES;
    expect(id).toMatchObject({ name: 'id', caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' });
    expect(externalId).toMatchObject({ name: 'externalId', caseExact: true, mutability: 'readWrite' });
    expect(meta.subAttributes!.map((s) => s.name)).toEqual(['resourceType', 'created', 'lastModified', 'location', 'version']);
  });

  it('is frozen, so no request can change what another sees', () => {
    expect(Object.isFrozen(userSchema)).toBe(true);
    expect(Object.isFrozen(userSchema.attributes[1].subAttributes)).toBe(true);
    expect(Object.isFrozen(RESOURCE_TYPES.User.schemaExtensions[0])).toBe(true);
  });
});

describe('resource types (RFC 7643 §6)', () => {
  it('serves Users with the optional enterprise extension and Groups', () => {
    expect(RESOURCE_TYPES.User).toMatchObject({
      endpoint: '/Users',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
    });
    expect(RESOURCE_TYPES.Group).toMatchObject({ endpoint: '/Groups', schema: GROUP_SCHEMA, schemaExtensions: [] });
    expect(schemasOf('User').map((s) => s.id)).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
  });

  it('finds schemas and extensions case-insensitively', () => {
    expect(getSchema(USER_SCHEMA.toUpperCase())).toBe(userSchema);
    expect(getSchema('urn:nope')).toBeUndefined();
    expect(isExtensionSchema(ENTERPRISE_USER_SCHEMA.toLowerCase())).toBe(true);
    expect(isExtensionSchema(ENTERPRISE_USER_SCHEMA, 'Group')).toBe(false);
    expect(isExtensionSchema(USER_SCHEMA)).toBe(false);
  });
});

describe('resolveAttribute', () => {
  it('resolves core attributes case-insensitively, in the schema spelling', () => {
    const r = resolveAttribute('User', { attr: 'USERNAME' });
    expect(r).toMatchObject({ schema: USER_SCHEMA, canonicalPath: 'userName' });
    expect(r?.attr.uniqueness).toBe('server');
  });

  it('resolves sub-attributes of complex attributes', () => {
    const r = resolveAttribute('User', { attr: 'name', sub: 'GIVENNAME' });
    expect(r).toMatchObject({ schema: USER_SCHEMA, canonicalPath: 'name.givenName' });
    expect(r?.sub?.name).toBe('givenName');
    expect(resolveAttribute('User', { attr: 'emails', sub: 'value' })?.canonicalPath).toBe('emails.value');
    expect(resolveAttribute('Group', { attr: 'members', sub: '$REF' })?.canonicalPath).toBe('members.$ref');
  });

  it('resolves URN-qualified paths, the URN case-insensitively', () => {
    const dept = resolveAttribute('User', { uri: ENTERPRISE_USER_SCHEMA.toUpperCase(), attr: 'department' });
    expect(dept).toMatchObject({ schema: ENTERPRISE_USER_SCHEMA, canonicalPath: 'department' });
    expect(qualifiedPath(dept!)).toBe(`${ENTERPRISE_USER_SCHEMA}:department`);
    const given = resolveAttribute('User', { uri: USER_SCHEMA, attr: 'name', sub: 'givenName' });
    expect(given?.canonicalPath).toBe('name.givenName');
    const manager = resolveAttribute('User', { uri: ENTERPRISE_USER_SCHEMA, attr: 'manager', sub: 'value' });
    expect(manager).toMatchObject({ schema: ENTERPRISE_USER_SCHEMA, canonicalPath: 'manager.value' });
  });

  it('looks in the core schema, then extensions, then common attributes', () => {
    expect(resolveAttribute('User', { attr: 'employeeNumber' })?.schema).toBe(ENTERPRISE_USER_SCHEMA);
    expect(resolveAttribute('User', { attr: 'displayName' })?.schema).toBe(USER_SCHEMA);
    expect(resolveAttribute('User', { attr: 'id' })).toMatchObject({ schema: '', canonicalPath: 'id' });
    expect(resolveAttribute('Group', { attr: 'META', sub: 'lastmodified' })).toMatchObject({
      schema: '',
      canonicalPath: 'meta.lastModified',
    });
    expect(resolveAttribute('User', { attr: 'externalId' })?.attr.caseExact).toBe(true);
  });

  it('accepts common attributes qualified with the core URN', () => {
    expect(resolveAttribute('User', { uri: USER_SCHEMA, attr: 'id' })?.canonicalPath).toBe('id');
    expect(resolveAttribute('User', { uri: ENTERPRISE_USER_SCHEMA, attr: 'id' })).toBeUndefined();
  });

  it('returns undefined for unknown paths', () => {
    expect(resolveAttribute('User', { attr: 'nope' })).toBeUndefined();
    expect(resolveAttribute('User', { attr: 'name', sub: 'nope' })).toBeUndefined();
    expect(resolveAttribute('User', { attr: 'userName', sub: 'x' })).toBeUndefined();
    expect(resolveAttribute('Group', { attr: 'userName' })).toBeUndefined();
    expect(resolveAttribute('Group', { uri: ENTERPRISE_USER_SCHEMA, attr: 'department' })).toBeUndefined();
    expect(resolveAttribute('User', { uri: 'urn:example:custom', attr: 'department' })).toBeUndefined();
    expect(resolveAttribute('User', { attr: 'constructor' })).toBeUndefined();
    expect(resolveAttribute('Nope' as 'User', { attr: 'id' })).toBeUndefined();
  });
});
