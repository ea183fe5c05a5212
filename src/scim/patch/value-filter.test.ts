import { describe, expect, it } from 'vitest';
import { parsePatchPath } from '../filter/parser.js';
import { resolveAttribute } from '../schema/index.js';
import { expectScimError, patchUser, sampleUser } from './test-support.js';
import { elementFromFilter } from './value-filter.js';

const emailsDef = resolveAttribute('User', { attr: 'emails' })!.attr;
const filterOf = (path: string) => parsePatchPath(path).filter!;

describe('value-filter paths (RFC 7644 §3.5.2)', () => {
  it('replace emails[type eq "work"].value replaces that sub-attribute of the matching values', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' });
    expect(r.resource.emails).toEqual([
      { value: 'new@example.com', type: 'work', primary: true },
      { value: 'babs@home.example', type: 'home' },
    ]);
  });

  it('compares filter strings ignoring case unless caseExact (RFC 7643 §2.2)', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'emails[TYPE eq "WORK"].display', value: 'Work' });
    expect((r.resource.emails as object[])[0]).toEqual({ value: 'bjensen@example.com', type: 'work', primary: true, display: 'Work' });
  });

  it('replace phoneNumbers[type eq "work"] with an object replaces the whole value, keeping the filter\'s type', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'phoneNumbers[type eq "work"]', value: { value: '555-0111' } });
    expect(r.resource.phoneNumbers).toEqual([{ type: 'work', value: '555-0111' }]);
  });

  it('add to a filter path without sub-attribute merges into the matching value', () => {
    const r = patchUser(sampleUser(), { op: 'add', path: 'emails[type eq "home"]', value: { display: 'Home' } });
    expect((r.resource.emails as object[])[1]).toEqual({ value: 'babs@home.example', type: 'home', display: 'Home' });
  });

  it('remove with a filter removes the matching values, and the attribute when none remain', () => {
    const one = patchUser(sampleUser(), { op: 'remove', path: 'emails[type eq "home"]' });
    expect(one.resource.emails).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
    const all = patchUser(sampleUser(), { op: 'remove', path: 'phoneNumbers[type eq "work"]' });
    expect(all.resource).not.toHaveProperty('phoneNumbers');
  });

  it('remove of a sub-attribute through a filter removes it from the matching values only', () => {
    const r = patchUser(sampleUser(), { op: 'remove', path: 'emails[type eq "work"].primary' });
    expect(r.resource.emails).toEqual([{ value: 'bjensen@example.com', type: 'work' }, { value: 'babs@home.example', type: 'home' }]);
  });

  it('remove with a filter that matches nothing changes nothing (idempotent retries)', () => {
    const r = patchUser(sampleUser(), { op: 'remove', path: 'emails[type eq "other"]' });
    expect(r.changed).toEqual([]);
  });

  it('null through a filter removes the selection (RFC 7643 §2.5)', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'emails[type eq "home"]', value: null });
    expect(r.resource.emails).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
  });

  it('Entra: replace/add through a filter matching nothing creates the value from the filter', () => {
    const r = patchUser(
      sampleUser(),
      { op: 'Replace', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
      { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Springfield' },
      { op: 'replace', path: 'phoneNumbers[type eq "mobile"].value', value: '555-0199' },
    );
    expect(r.resource.addresses).toEqual([{ type: 'work', streetAddress: '1 Main St', locality: 'Springfield' }]);
    expect(r.resource.phoneNumbers).toEqual([{ value: '555-0100', type: 'work' }, { type: 'mobile', value: '555-0199' }]);
  });

  it('creating from a filter keeps typed values: primary eq true → a boolean', () => {
    const user = sampleUser();
    delete user.emails;
    const r = patchUser(user, { op: 'add', path: 'emails[primary eq true and type eq "work"].value', value: 'a@x.com' });
    expect(r.resource.emails).toEqual([{ primary: true, type: 'work', value: 'a@x.com' }]);
  });

  it('noTarget when nothing matches and the filter does not describe a value (RFC 7644 §3.5.2.3)', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'emails[type ne "work" and type ne "home"].value', value: 'x@x' }), 'noTarget');
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'emails[value co "@nowhere"]', value: { value: 'x@x' } }), 'noTarget');
  });

  it('a null value through a filter that matches nothing creates nothing', () => {
    expect(patchUser(sampleUser(), { op: 'replace', path: 'addresses[type eq "work"].country', value: null }).resource).not.toHaveProperty('addresses');
  });

  it('setting primary through a filter clears it on the other values (RFC 7643 §2.4)', () => {
    const r = patchUser(sampleUser(), { op: 'replace', path: 'emails[type eq "home"].primary', value: 'True' });
    expect(r.resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@home.example', type: 'home', primary: true },
    ]);
  });

  it('updates every matching value', () => {
    const user = { ...sampleUser(), emails: [{ value: 'a@x.com', type: 'work' }, { value: 'b@x.com', type: 'work' }] };
    const r = patchUser(user, { op: 'replace', path: 'emails[type eq "work"].display', value: 'W' });
    expect(r.resource.emails).toEqual([{ value: 'a@x.com', type: 'work', display: 'W' }, { value: 'b@x.com', type: 'work', display: 'W' }]);
  });

  it('refuses a filter on an attribute that is not multi-valued complex, or several values for one selection', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'name[givenName eq "B"].familyName', value: 'x' }), 'invalidPath', /multi-valued/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'emails[type eq "work"].nope', value: 'x' }), 'invalidPath', /nope/);
    expectScimError(() => patchUser(sampleUser(), { op: 'replace', path: 'emails[type eq "work"]', value: [{ value: 'a' }, { value: 'b' }] }), 'invalidValue', /one value/);
  });

  it('reports impossible comparisons from the evaluator as 400s', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'remove', path: 'emails[primary gt true]' }), 'invalidFilter');
  });
});

describe('elementFromFilter', () => {
  it('collects eq clauses joined by and', () => {
    expect(elementFromFilter(emailsDef, filterOf('emails[type eq "work" and primary eq true]'))).toEqual({ type: 'work', primary: true });
  });

  it('gives up on anything that does not pin a value down', () => {
    for (const path of ['emails[type ne "work"]', 'emails[type eq "a" or type eq "b"]', 'emails[type eq "a" and type eq "b"]', 'emails[type pr]', 'emails[not (type eq "a")]', 'emails[nope eq "a"]']) {
      expect(elementFromFilter(emailsDef, filterOf(path)), path).toBeUndefined();
    }
  });
});
