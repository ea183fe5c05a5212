import { describe, expect, it } from 'vitest';
import { ENTERPRISE_USER_SCHEMA } from '../scim/schema/urns.js';
import { convert } from './convert.js';
import { evaluateAttributes, type CompiledMapping } from './evaluate.js';
import { PREDEFINED_ATTRIBUTES, defaultSource } from './predefined.js';
import { parseSourcePath, readSource, sourcePathProblem } from './source-path.js';
import type { ActiveAttribute } from './types.js';

const OKTA_CUSTOM = 'urn:okta:rollcall:1.0:user:custom';

/** A user as Okta and Entra send one, as Rollcall stores it. */
const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER_SCHEMA, OKTA_CUSTOM],
  userName: 'ann@acme.test',
  title: 'Engineer',
  userType: 'Contractor',
  preferredLanguage: 'de-DE',
  emails: [
    { value: 'ann.home@example.test', type: 'home' },
    { value: 'ann@acme.test', type: 'work', primary: true },
  ],
  phoneNumbers: [
    { value: '+1 555 0100', type: 'work' },
    { value: '+1 555 0199', type: 'mobile', primary: true },
  ],
  addresses: [{ type: 'work', streetAddress: '1 Main St', locality: 'Springfield', country: 'US', primary: true }],
  [ENTERPRISE_USER_SCHEMA]: { department: 'R&D', employeeNumber: '00042', manager: { value: 'mgr-1', displayName: 'Bob' } },
  [OKTA_CUSTOM]: { seatType: 'full', seats: '3', startDate: '2026-03-01', billingTeams: ['eu', 'us'], remote: 'True' },
};

const attr = (key: string, type: ActiveAttribute['type']): ActiveAttribute => ({ key, type, kind: 'custom', required: false });
const read = (path: string) => readSource(user, parseSourcePath(path));

describe('source paths', () => {
  it('reads core, sub-attribute, enterprise and custom extension paths', () => {
    expect(read('title')).toBe('Engineer');
    expect(read('TITLE')).toBe('Engineer');
    expect(read(`${ENTERPRISE_USER_SCHEMA}:department`)).toBe('R&D');
    expect(read(`${ENTERPRISE_USER_SCHEMA}:manager.value`)).toBe('mgr-1');
    expect(read(`${OKTA_CUSTOM}:seatType`)).toBe('full');
    expect(read('urn:ietf:params:scim:schemas:core:2.0:User:title')).toBe('Engineer');
  });

  it('reads value-filtered paths, the primary element first', () => {
    expect(read('emails[type eq "work"].value')).toBe('ann@acme.test');
    expect(read('phoneNumbers[type eq "mobile"].value')).toBe('+1 555 0199');
    expect(read('phoneNumbers[primary eq true].value')).toBe('+1 555 0199');
    expect(read('emails[type eq "other"].value')).toBeUndefined();
    expect(read('addresses[type eq "work"].locality')).toBe('Springfield');
    expect(read('addresses[type eq "work"]')).toMatchObject({ streetAddress: '1 Main St' });
    expect(read('emails.value')).toEqual(['ann.home@example.test', 'ann@acme.test']);
  });

  it('says in plain words what is wrong with a path', () => {
    expect(sourcePathProblem('emails[type eq "work"].value')).toBeUndefined();
    expect(sourcePathProblem('')).toMatch(/empty/);
    expect(sourcePathProblem('emails[type eq ]')).toMatch(/Not a SCIM attribute path/);
    expect(sourcePathProblem('emails[type eq "work"')).toMatch(/Not a SCIM attribute path/);
    expect(sourcePathProblem('x'.repeat(501))).toMatch(/longer than 500/);
  });
});

describe('conversion', () => {
  it('converts each type and explains what does not convert', () => {
    expect(convert('3', 'number')).toEqual({ value: 3 });
    expect(convert('three', 'number')).toEqual({ value: null, problem: '"three" is not a number' });
    expect(convert('True', 'boolean')).toEqual({ value: true });
    expect(convert('yes', 'boolean').problem).toMatch(/not true or false/);
    expect(convert('2026-03-01', 'date')).toEqual({ value: '2026-03-01' });
    expect(convert('2026-02-30', 'date').problem).toMatch(/not a date/);
    expect(convert('2026-03-01T10:00:00+01:00', 'date')).toEqual({ value: '2026-03-01T09:00:00.000Z' });
    expect(convert('eu', 'string[]')).toEqual({ value: ['eu'] });
    expect(convert([{ a: 1 }], 'string[]').problem).toMatch(/not a list of texts/);
    expect(convert(['a', 'b'], 'number').problem).toMatch(/several values/);
    expect(convert({ value: 'mgr-1' }, 'user')).toEqual({ value: 'mgr-1' });
    expect(convert('Main St', 'address').problem).toMatch(/not an address/);
    expect(convert(undefined, 'number')).toEqual({ value: null });
    expect(convert(42, 'string')).toEqual({ value: '42' });
  });
});

describe('evaluation', () => {
  it('maps every attribute to a typed value or null, with the problems apart', () => {
    const mappings: CompiledMapping[] = [
      { attribute: attr('seatType', 'string'), source: parseSourcePath(`${OKTA_CUSTOM}:seatType`) },
      { attribute: attr('seats', 'number'), source: parseSourcePath(`${OKTA_CUSTOM}:seats`) },
      { attribute: attr('startDate', 'date'), source: parseSourcePath(`${OKTA_CUSTOM}:startDate`) },
      { attribute: attr('billingTeams', 'string[]'), source: parseSourcePath(`${OKTA_CUSTOM}:billingTeams`) },
      { attribute: attr('remote', 'boolean'), source: parseSourcePath(`${OKTA_CUSTOM}:remote`) },
      { attribute: attr('badNumber', 'number'), source: parseSourcePath('title') },
      { attribute: attr('unmapped', 'string') },
    ];
    expect(evaluateAttributes(user, mappings)).toEqual({
      values: { seatType: 'full', seats: 3, startDate: '2026-03-01', billingTeams: ['eu', 'us'], remote: true, badNumber: null, unmapped: null },
      problems: [{ key: 'badNumber', reason: '"Engineer" is not a number' }],
    });
  });

  it('gives every predefined attribute a valid default source for every provider', () => {
    for (const definition of PREDEFINED_ATTRIBUTES) {
      for (const source of ['okta', 'azure-ad', 'onelogin', 'jumpcloud', 'rippling', 'pingone', 'other'] as const) {
        expect(sourcePathProblem(defaultSource(definition, source)), `${definition.key} for ${source}`).toBeUndefined();
      }
    }
    const defaults = (source: 'okta' | 'azure-ad') =>
      PREDEFINED_ATTRIBUTES.map((a) => ({ attribute: { ...a, kind: 'predefined' as const, required: false }, source: parseSourcePath(defaultSource(a, source)) }));
    expect(evaluateAttributes(user, defaults('azure-ad')).values).toMatchObject({
      jobTitle: 'Engineer',
      department: 'R&D',
      employeeNumber: '00042',
      employeeType: 'Contractor',
      manager: 'mgr-1',
      phoneNumber: '+1 555 0100',
      mobilePhone: '+1 555 0199',
      locale: 'de-DE',
      workAddress: { streetAddress: '1 Main St', locality: 'Springfield', region: null, postalCode: null, country: 'US', formatted: null },
    });
    expect(evaluateAttributes(user, defaults('okta')).values).toMatchObject({ phoneNumber: '+1 555 0199', locale: null });
  });
});
