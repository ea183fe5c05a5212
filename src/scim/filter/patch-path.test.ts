import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import { parseAttributeList } from './attr-path.js';
import { parsePatchPath } from './parser.js';
import { printPatchPath } from './print-filter.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function invalidPathDetail(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    expect((e as ScimError).status).toBe(400);
    expect((e as ScimError).scimType).toBe('invalidPath');
    return (e as ScimError).message;
  }
  throw new Error('expected an invalidPath error');
}

describe('parsePatchPath (RFC 7644 §3.5.2)', () => {
  it.each([
    ['userName', { path: { attr: 'userName' } }],
    ['name.familyName', { path: { attr: 'name', sub: 'familyName' } }],
    [`${ENTERPRISE}:manager`, { path: { uri: ENTERPRISE, attr: 'manager' } }],
    [`${ENTERPRISE}:manager.value`, { path: { uri: ENTERPRISE, attr: 'manager', sub: 'value' } }],
    [
      'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
      {
        path: { attr: 'members' },
        filter: { kind: 'compare', path: { attr: 'value' }, op: 'eq', value: '2819c223-7f76-453a-919d-413861904646' },
      },
    ],
    [
      'emails[type eq "work"].value',
      {
        path: { attr: 'emails' },
        filter: { kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' },
        subAfterFilter: 'value',
      },
    ],
    [
      'addresses[type eq "work" and primary eq true].streetAddress',
      {
        path: { attr: 'addresses' },
        filter: {
          kind: 'and',
          left: { kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' },
          right: { kind: 'compare', path: { attr: 'primary' }, op: 'eq', value: true },
        },
        subAfterFilter: 'streetAddress',
      },
    ],
  ])('%s', (text, expected) => {
    const parsed = parsePatchPath(text);
    expect(parsed).toEqual(expected);
    expect(printPatchPath(parsed)).toBe(text);
  });

  it('tolerates blanks around the path and inside the brackets', () => {
    expect(parsePatchPath('  members[ value  eq "x" ] ')).toMatchObject({ path: { attr: 'members' } });
  });

  it.each([
    ['', 'Invalid path at character 1: the path is empty'],
    ['members[value eq "x"', 'Invalid path at character 21: expected "and", "or" or "]" to close the "["'],
    ['members[value eq x]', 'Invalid path at character 18: expected a value'],
    ['members[value eq "x"] extra', 'Invalid path at character 23: expected the end of the path, found "extra"'],
    ['userName eq "x"', 'Invalid path at character 10: expected "[" or the end of the path, found "eq"'],
    ['name.givenName[value pr]', 'Invalid path at character 15: "[" must follow a multi-valued attribute'],
    ['emails[type eq "work"].', 'Invalid path at character 24: expected a sub-attribute name'],
    ['emails[type[value pr]]', 'Invalid path at character 12: a "[" filter cannot be nested'],
    ['a.b.c', 'Invalid path at character 4: "a.b.c" has a second "."'],
    ['"userName"', 'Invalid path at character 1: expected an attribute path, found "\\"userName\\""'],
  ])('rejects %j with invalidPath', (text, detail) => {
    expect(invalidPathDetail(() => parsePatchPath(text))).toContain(detail);
  });

  it('bounds length and depth like filters', () => {
    expect(invalidPathDetail(() => parsePatchPath('a'.repeat(5000)))).toBe('Invalid path: longer than 4096 characters');
    const deep = `emails[${'('.repeat(5000)}type pr${')'.repeat(5000)}]`;
    expect(invalidPathDetail(() => parsePatchPath(deep, { maxLength: 20_000 }))).toContain('nested more than 32 levels');
  });
});

describe('parseAttributeList (RFC 7644 §3.4.2.5)', () => {
  it('splits on commas and tolerates blanks and empty items', () => {
    expect(parseAttributeList('userName, name.givenName ,emails.value,,')).toEqual([
      { attr: 'userName' },
      { attr: 'name', sub: 'givenName' },
      { attr: 'emails', sub: 'value' },
    ]);
    expect(parseAttributeList('')).toEqual([]);
    expect(parseAttributeList(' , ')).toEqual([]);
  });

  it('accepts URN-qualified paths', () => {
    expect(parseAttributeList(`${ENTERPRISE}:manager.displayName,${ENTERPRISE}:department`)).toEqual([
      { uri: ENTERPRISE, attr: 'manager', sub: 'displayName' },
      { uri: ENTERPRISE, attr: 'department' },
    ]);
  });

  it.each([
    ['userName,emails[type eq "work"]', 'Invalid attribute list at character 16: value filters ("[…]") are not allowed in an attribute list'],
    ['user Name', 'Invalid attribute list at character 1: attribute name "user Name" has " "'],
    ['a.b.c', 'Invalid attribute list at character 4: "a.b.c" has a second "."'],
    ['userName, 9lives', 'Invalid attribute list at character 11: attribute name "9lives" must start with a letter'],
  ])('rejects %j with invalidPath', (text, detail) => {
    expect(invalidPathDetail(() => parseAttributeList(text))).toContain(detail);
  });
});
