import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import { groupSchema, userSchema } from '../schema/index.js';
import { parseDateTime } from './compare.js';
import { matchesElement, matchesFilter, matchingIndexes } from './evaluate.js';
import bjensen from './fixtures/bjensen.json' with { type: 'json' };
import { parseFilter } from './parser.js';

const user = bjensen as Record<string, unknown>;
const userMatches = (filter: string, resource: Record<string, unknown> = user) =>
  matchesFilter(parseFilter(filter), resource, 'User');

const emailsDef = userSchema.attributes.find((a) => a.name === 'emails')!;
const membersDef = groupSchema.attributes.find((a) => a.name === 'members')!;

function invalidFilterDetail(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).scimType).toBe('invalidFilter');
    return (e as ScimError).message;
  }
  throw new Error('expected invalidFilter');
}

describe('matchesFilter: RFC 7644 §3.4.2.2 examples against bjensen', () => {
  it.each([
    ['userName eq "bjensen@example.com"', true],
    ['name.familyName co "ense"', true],
    ['userName sw "B"', true],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bj"', true],
    ['title pr', true],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
    ['meta.lastModified lt "2011-05-13T04:42:35Z"', true],
    ['meta.lastModified le "2011-05-13T04:42:33Z"', false],
    ['title pr and userType eq "Employee"', true],
    ['title pr or userType eq "Intern"', true],
    ['schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"', true],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', true],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', false],
    ['userType eq "Employee" and (emails.type eq "work")', true],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', true],
    ['emails[type eq "work" and value co "@jensen.org"] or ims[type eq "xmpp" and value co "@foo.com"]', false],
  ])('%s → %s', (filter, expected) => {
    expect(userMatches(filter)).toBe(expected);
  });
});

describe('matchesFilter: names and case', () => {
  it('matches attribute names and schema URNs case-insensitively', () => {
    expect(userMatches('USERNAME eq "bjensen@example.com"')).toBe(true);
    expect(userMatches('NAME.GIVENNAME eq "Barbara"')).toBe(true);
    expect(userMatches('URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:DEPARTMENT eq "tour operations"')).toBe(true);
    expect(userMatches('schemas eq "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"')).toBe(true);
  });

  it('compares strings case-insensitively unless the attribute is caseExact', () => {
    expect(userMatches('userName eq "BJensen@Example.com"')).toBe(true); // caseExact false
    expect(userMatches('id eq "2819C223-7F76-453A-919D-413861904646"')).toBe(false); // caseExact true
    expect(userMatches('id eq "2819c223-7f76-453a-919d-413861904646"')).toBe(true);
    expect(userMatches('meta.version eq "w/\\"A330BC54F0671C9\\""')).toBe(false);
    expect(userMatches('x509Certificates.value sw "miid"')).toBe(false); // binary: errata 6000
  });

  it('compares unknown (custom extension) attributes case-insensitively', () => {
    expect(userMatches('urn:example:custom:2.0:User:badge eq "abc-123"')).toBe(true);
    expect(userMatches('urn:example:custom:2.0:User:tags eq "RED"')).toBe(true);
    expect(userMatches('urn:example:custom:2.0:User:tags[value eq "BLUE"]')).toBe(true);
    expect(userMatches('nonexistent eq "x"')).toBe(false);
  });

  it('finds extension attributes from an unqualified path', () => {
    expect(userMatches('department eq "Tour Operations"')).toBe(true);
    expect(userMatches('manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"')).toBe(true);
    expect(userMatches('employeeNumber eq "701984" and externalId eq "701984"')).toBe(true);
  });

  it('never reads the prototype', () => {
    expect(userMatches('constructor pr')).toBe(false);
    // Not a valid ATTRNAME, so built by hand: callers may pass trees from elsewhere.
    expect(matchesFilter({ kind: 'present', path: { attr: '__proto__' } }, user, 'User')).toBe(false);
    expect(userMatches('toString eq "x"')).toBe(false);
  });
});

describe('matchesFilter: operators', () => {
  it('evaluates co, sw, ew on strings', () => {
    expect(userMatches('displayName co "S JEN"')).toBe(true);
    expect(userMatches('displayName sw "babs"')).toBe(true);
    expect(userMatches('displayName ew "JENSEN"')).toBe(true);
    expect(userMatches('displayName ew "Babs"')).toBe(false);
  });

  it('orders strings lexicographically, case-insensitively when not caseExact', () => {
    expect(userMatches('userName gt "BJ"')).toBe(true);
    expect(userMatches('userName lt "bk"')).toBe(true);
    expect(userMatches('userName ge "bjensen@example.com"')).toBe(true);
    expect(userMatches('userName le "a"')).toBe(false);
  });

  it('compares dateTimes by instant, whatever their spelling', () => {
    expect(userMatches('meta.lastModified eq "2011-05-13T04:42:34.000Z"')).toBe(true);
    expect(userMatches('meta.lastModified eq "2011-05-13T06:42:34+02:00"')).toBe(true);
    expect(userMatches('meta.created lt "2010-01-23T04:56:22.001Z"')).toBe(true);
    expect(userMatches('meta.lastModified gt "2011-05-13T04:42:34"')).toBe(false); // no zone = UTC
  });

  it('evaluates pr as present and not empty', () => {
    expect(userMatches('title pr')).toBe(true);
    expect(userMatches('nickName pr')).toBe(false); // ""
    expect(userMatches('phoneNumbers pr')).toBe(false); // []
    expect(userMatches('emails pr')).toBe(true);
    expect(userMatches('emails.primary pr')).toBe(true);
    expect(userMatches('name pr')).toBe(true);
    expect(userMatches('name pr', { ...user, name: {} })).toBe(false);
    expect(userMatches('name pr', { ...user, name: { givenName: null } })).toBe(false);
    expect(userMatches('locale pr')).toBe(false);
  });

  it('treats ne as "not eq": absent is true, multi-valued needs no equal value', () => {
    expect(userMatches('locale ne "en"')).toBe(true);
    expect(userMatches('userType ne "employee"')).toBe(false);
    expect(userMatches('emails.type ne "work"')).toBe(false);
    expect(userMatches('emails.type ne "other"')).toBe(true);
  });

  it('treats eq null as absent and ne null as present', () => {
    expect(userMatches('locale eq null')).toBe(true);
    expect(userMatches('title eq null')).toBe(false);
    expect(userMatches('title ne null')).toBe(true);
    expect(userMatches('nickName eq null')).toBe(true);
  });

  it('compares booleans with eq and ne, tolerating Entra ID\'s "False" strings', () => {
    expect(userMatches('active eq true')).toBe(true);
    expect(userMatches('active ne true')).toBe(false);
    expect(userMatches('active eq false', { ...user, active: 'False' })).toBe(true);
    expect(userMatches('emails[primary eq true].value eq "bjensen@example.com"')).toBe(true);
  });

  it('compares a complex attribute named alone by its value sub-attribute', () => {
    expect(userMatches('emails eq "babs@jensen.org"')).toBe(true);
    expect(userMatches('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"')).toBe(true);
  });

  it('evaluates numbers on unknown attributes', () => {
    const withLevel = { ...user, 'urn:example:custom:2.0:User': { level: 7 } };
    expect(userMatches('urn:example:custom:2.0:User:level gt 5', withLevel)).toBe(true);
    expect(userMatches('urn:example:custom:2.0:User:level eq 7.0', withLevel)).toBe(true);
    expect(userMatches('urn:example:custom:2.0:User:level lt 7', withLevel)).toBe(false);
    expect(userMatches('urn:example:custom:2.0:User:level eq "7"', withLevel)).toBe(false);
  });
});

describe('matchesFilter: complex attribute filters', () => {
  it('needs one element to satisfy the whole bracket', () => {
    expect(userMatches('emails[type eq "work" and value co "jensen.org"]')).toBe(false);
    expect(userMatches('emails[type eq "home" and value co "jensen.org"]')).toBe(true);
    expect(userMatches('emails[not (type eq "work")]')).toBe(true);
  });

  it('applies the Entra ID `then` to the same element', () => {
    expect(userMatches('emails[type eq "work"].value eq "bjensen@example.com"')).toBe(true);
    expect(userMatches('emails[type eq "work"].value eq "babs@jensen.org"')).toBe(false);
    expect(userMatches('emails[type eq "home"].primary eq true')).toBe(false);
    // RFC 7643 §2.4: "If not specified, the value of "primary" SHALL be assumed to be "false"".
    expect(userMatches('emails[type eq "home"].primary eq false')).toBe(true);
    expect(userMatches('emails[type eq "home"].primary pr')).toBe(true);
    expect(userMatches('emails[type eq "work"].primary pr')).toBe(true);
  });

  it('finds group members', () => {
    const group = { id: 'g1', displayName: 'Tour Guides', members: [{ value: 'u1', display: 'Babs' }, { value: 'u2' }] };
    expect(matchesFilter(parseFilter('members[value eq "u2"]'), group, 'Group')).toBe(true);
    expect(matchesFilter(parseFilter('members[value eq "u3"]'), group, 'Group')).toBe(false);
    expect(matchesFilter(parseFilter('id eq "g1" and members eq "u1"'), group, 'Group')).toBe(true);
    expect(matchesFilter(parseFilter('displayName eq "tour guides"'), group, 'Group')).toBe(true);
  });
});

describe('matchesFilter: impossible comparisons are invalidFilter, whatever the data', () => {
  it.each([
    ['active gt true', '"active gt" applies to a boolean'],
    ['locale gt true', '"locale gt" applies to a boolean'],
    ['active co "t"', '"active co" applies to a boolean'],
    ['active eq "true"', '"active eq" needs a boolean value'],
    ['userName eq 5', '"userName eq" needs a string value'],
    ['userName co 5', '"userName co" needs a string value'],
    ['title gt null', '"title gt" cannot compare with null'],
    ['meta.lastModified gt "yesterday"', '"meta.lastModified gt" needs a dateTime'],
    ['name eq "Barbara"', '"name eq" compares a complex attribute'],
    ['x509Certificates.value gt "A"', 'applies to a binary attribute'],
    ['locale pr or active gt true', '"active gt" applies to a boolean'],
    ['emails[primary gt true]', '"primary gt" applies to a boolean'],
    ['emails[type eq "x"].primary gt true', '"primary gt" applies to a boolean'],
  ])('%s', (filter, detail) => {
    expect(invalidFilterDetail(() => userMatches(filter))).toContain(detail);
  });
});

describe('matchesElement and matchingIndexes (PATCH value filters)', () => {
  const emails = user.emails as Record<string, unknown>[];

  it('evaluates a filter relative to one element', () => {
    const work = parseFilter('type eq "WORK"');
    expect(emails.map((e) => matchesElement(work, e, emailsDef))).toEqual([true, false]);
    expect(matchesElement(parseFilter('value ew "JENSEN.ORG" and not (primary eq true)'), emails[1], emailsDef)).toBe(true);
  });

  it('reads a primitive element as its value', () => {
    expect(matchesElement(parseFilter('value eq "red"'), 'Red', undefined)).toBe(true);
  });

  it('uses the parent definition for caseExact and types', () => {
    expect(invalidFilterDetail(() => matchesElement(parseFilter('primary gt true'), emails[0], emailsDef))).toContain('boolean');
    const caseExactParent = { ...membersDef, subAttributes: membersDef.subAttributes!.map((s) => ({ ...s, caseExact: true })) };
    expect(matchesElement(parseFilter('value eq "U1"'), { value: 'u1' }, membersDef)).toBe(true);
    expect(matchesElement(parseFilter('value eq "U1"'), { value: 'u1' }, caseExactParent)).toBe(false);
  });

  it('lists the indexes of matching elements', () => {
    const members = [{ value: 'a' }, { value: 'b' }, { value: 'a', type: 'Group' }];
    expect(matchingIndexes(parseFilter('value eq "a"'), members, membersDef)).toEqual([0, 2]);
    expect(matchingIndexes(parseFilter('value eq "a" and type eq "group"'), members, membersDef)).toEqual([2]);
    expect(matchingIndexes(parseFilter('value eq "z"'), members, membersDef)).toEqual([]);
  });
});

describe('parseDateTime (RFC 7643 §2.3.5 xsd:dateTime)', () => {
  it.each([
    ['2011-05-13T04:42:34Z', Date.UTC(2011, 4, 13, 4, 42, 34)],
    ['2011-05-13T04:42:34.5Z', Date.UTC(2011, 4, 13, 4, 42, 34, 500)],
    ['2011-05-13T04:42:34.123456789Z', Date.UTC(2011, 4, 13, 4, 42, 34, 123)],
    ['2011-05-13T06:42:34+02:00', Date.UTC(2011, 4, 13, 4, 42, 34)],
    ['2011-05-13T00:42:34-04:00', Date.UTC(2011, 4, 13, 4, 42, 34)],
    ['2011-05-13T04:42:34', Date.UTC(2011, 4, 13, 4, 42, 34)],
    ['2011-05-13t04:42:34z', Date.UTC(2011, 4, 13, 4, 42, 34)],
  ])('reads %s', (text, ms) => {
    expect(parseDateTime(text)).toBe(ms);
  });

  it.each(['2011-05-13', 'May 13 2011', '2011-13-01T00:00:00Z', '2011-05-13T04:42Z', '', `2011-05-13T04:42:34.${'1'.repeat(50)}Z`])(
    'rejects %j',
    (text) => {
      expect(parseDateTime(text)).toBeUndefined();
    },
  );
});
