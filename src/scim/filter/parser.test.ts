import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import type { FilterNode } from './ast.js';
import { parseFilter } from './parser.js';
import { printFilter } from './print-filter.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The invalidFilter detail for `text`, failing the test if it parses. */
function errorOf(text: string, limits?: Parameters<typeof parseFilter>[1]): ScimError {
  try {
    parseFilter(text, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    const err = e as ScimError;
    expect(err.status).toBe(400);
    expect(err.scimType).toBe('invalidFilter');
    return err;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

const cmp = (attr: string, op: string, value: unknown, extra: object = {}) => ({
  kind: 'compare',
  path: { attr, ...extra },
  op,
  value,
});

describe('parseFilter: comparisons', () => {
  it.each(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'])('parses %s', (op) => {
    expect(parseFilter(`userName ${op} "x"`)).toEqual(cmp('userName', op, 'x'));
  });

  it('parses operators and keywords case-insensitively, lower-casing them', () => {
    expect(parseFilter('userName EQ "x"')).toEqual(cmp('userName', 'eq', 'x'));
    expect(parseFilter('title PR')).toEqual({ kind: 'present', path: { attr: 'title' } });
    expect(parseFilter('a Eq 1 AnD b eQ 2 OR NOT (c pr)').kind).toBe('or');
  });

  it('keeps the attribute name as sent', () => {
    expect(parseFilter('USERNAME eq "x"')).toEqual(cmp('USERNAME', 'eq', 'x'));
  });

  it('parses every literal type', () => {
    expect(parseFilter('a eq true')).toEqual(cmp('a', 'eq', true));
    expect(parseFilter('a eq FALSE')).toEqual(cmp('a', 'eq', false));
    expect(parseFilter('a eq Null')).toEqual(cmp('a', 'eq', null));
    expect(parseFilter('a gt 10')).toEqual(cmp('a', 'gt', 10));
    expect(parseFilter('a gt -1.5e3')).toEqual(cmp('a', 'gt', -1500));
    expect(parseFilter('a eq 0')).toEqual(cmp('a', 'eq', 0));
    expect(parseFilter('a eq 0.25')).toEqual(cmp('a', 'eq', 0.25));
    expect(parseFilter('a eq 2E+2')).toEqual(cmp('a', 'eq', 200));
  });

  it('decodes JSON string escapes', () => {
    expect(parseFilter('a eq "say \\"hi\\""')).toEqual(cmp('a', 'eq', 'say "hi"'));
    expect(parseFilter('a eq "back\\\\slash"')).toEqual(cmp('a', 'eq', 'back\\slash'));
    expect(parseFilter('a eq "caf\\u00e9"')).toEqual(cmp('a', 'eq', 'café'));
    expect(parseFilter('a eq "\\uD83D\\uDE00"')).toEqual(cmp('a', 'eq', '😀'));
    expect(parseFilter('a eq "\\/\\b\\f\\n\\r\\t"')).toEqual(cmp('a', 'eq', '/\b\f\n\r\t'));
    expect(parseFilter('a eq "raw é and 😀"')).toEqual(cmp('a', 'eq', 'raw é and 😀'));
    expect(parseFilter('a eq ""')).toEqual(cmp('a', 'eq', ''));
  });

  it('tolerates extra blanks, tabs and newlines between tokens', () => {
    expect(parseFilter('  userName\teq\n"x"  ')).toEqual(cmp('userName', 'eq', 'x'));
  });

  it('parses sub-attributes and $ref', () => {
    expect(parseFilter('name.familyName co "O\'Malley"')).toEqual(cmp('name', 'co', "O'Malley", { sub: 'familyName' }));
    expect(parseFilter('members.$ref pr')).toEqual({ kind: 'present', path: { attr: 'members', sub: '$ref' } });
  });

  it('parses URN-qualified paths: the attribute follows the last colon', () => {
    expect(parseFilter(`${ENTERPRISE}:manager.value eq "x"`)).toEqual(cmp('manager', 'eq', 'x', { uri: ENTERPRISE, sub: 'value' }));
    expect(parseFilter(`${ENTERPRISE}:department eq "x"`)).toEqual(cmp('department', 'eq', 'x', { uri: ENTERPRISE }));
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"')).toEqual(
      cmp('userName', 'sw', 'J', { uri: 'urn:ietf:params:scim:schemas:core:2.0:User' }),
    );
  });

  it('lets keywords be attribute names where an attribute is expected', () => {
    expect(parseFilter('pr pr')).toEqual({ kind: 'present', path: { attr: 'pr' } });
    expect(parseFilter('and eq "x" or or eq "y"')).toEqual({ kind: 'or', left: cmp('and', 'eq', 'x'), right: cmp('or', 'eq', 'y') });
    expect(parseFilter('not eq 1')).toEqual(cmp('not', 'eq', 1));
  });
});

describe('parseFilter: logic', () => {
  const a = cmp('a', 'eq', 1);
  const b = cmp('b', 'eq', 2);
  const c = cmp('c', 'eq', 3);

  it('binds "and" tighter than "or"', () => {
    expect(parseFilter('a eq 1 or b eq 2 and c eq 3')).toEqual({ kind: 'or', left: a, right: { kind: 'and', left: b, right: c } });
    expect(parseFilter('a eq 1 and b eq 2 or c eq 3')).toEqual({ kind: 'or', left: { kind: 'and', left: a, right: b }, right: c });
  });

  it('chains to the left', () => {
    expect(parseFilter('a eq 1 or b eq 2 or c eq 3')).toEqual({ kind: 'or', left: { kind: 'or', left: a, right: b }, right: c });
  });

  it('groups with parentheses', () => {
    expect(parseFilter('(a eq 1 or b eq 2) and c eq 3')).toEqual({ kind: 'and', left: { kind: 'or', left: a, right: b }, right: c });
    expect(parseFilter('((a eq 1))')).toEqual(a);
  });

  it('parses not ( … ), with or without a blank before "("', () => {
    expect(parseFilter('not (a eq 1)')).toEqual({ kind: 'not', filter: a });
    expect(parseFilter('not(a eq 1)')).toEqual({ kind: 'not', filter: a });
    expect(parseFilter('not (not (a eq 1))')).toEqual({ kind: 'not', filter: { kind: 'not', filter: a } });
    expect(parseFilter('a eq 1 and not (b eq 2 or c eq 3)')).toEqual({
      kind: 'and',
      left: a,
      right: { kind: 'not', filter: { kind: 'or', left: b, right: c } },
    });
  });
});

describe('parseFilter: complex attribute filters', () => {
  it('parses attr[filter] with paths relative to the attribute', () => {
    expect(parseFilter('emails[type eq "work" and value co "@x"]')).toEqual({
      kind: 'valuePath',
      path: { attr: 'emails' },
      filter: { kind: 'and', left: cmp('type', 'eq', 'work'), right: cmp('value', 'co', '@x') },
    });
  });

  it('parses not and parentheses inside brackets', () => {
    const node = parseFilter('emails[not (type eq "work")]');
    expect(node).toMatchObject({ kind: 'valuePath', filter: { kind: 'not' } });
  });

  it('parses the Entra ID form emails[…].value op value into `then`', () => {
    expect(parseFilter('emails[type eq "work"].value eq "x@y"')).toEqual({
      kind: 'valuePath',
      path: { attr: 'emails' },
      filter: cmp('type', 'eq', 'work'),
      then: { sub: 'value', op: 'eq', value: 'x@y' },
    });
    expect(parseFilter('addresses[type eq "work"].streetAddress pr')).toMatchObject({ then: { sub: 'streetAddress', op: 'pr' } });
  });

  it('parses URN-qualified complex filters', () => {
    expect(parseFilter(`urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"]`)).toMatchObject({
      path: { uri: 'urn:ietf:params:scim:schemas:core:2.0:User', attr: 'emails' },
    });
  });
});

describe('parseFilter: RFC 7644 §3.4.2.2 examples', () => {
  // Every example filter of the section, verbatim.
  const examples = [
    'userName eq "bjensen"',
    'name.familyName co "O\'Malley"',
    'userName sw "J"',
    'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
    'title pr',
    'meta.lastModified gt "2011-05-13T04:42:34Z"',
    'meta.lastModified ge "2011-05-13T04:42:34Z"',
    'meta.lastModified lt "2011-05-13T04:42:34Z"',
    'meta.lastModified le "2011-05-13T04:42:34Z"',
    'title pr and userType eq "Employee"',
    'title pr or userType eq "Intern"',
    'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
    'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
    'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
    'userType eq "Employee" and (emails.type eq "work")',
    'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
    'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
  ];
  it.each(examples)('parses and prints back %s', (text) => {
    const node = parseFilter(text);
    expect(printFilter(node)).toBe(text.replace(/\(emails\.type eq "work"\)/, 'emails.type eq "work"'));
  });

  it('builds the expected tree for the not example', () => {
    expect(parseFilter(examples[13])).toEqual({
      kind: 'and',
      left: cmp('userType', 'ne', 'Employee'),
      right: {
        kind: 'not',
        filter: { kind: 'or', left: cmp('emails', 'co', 'example.com'), right: cmp('emails', 'co', 'example.org', { sub: 'value' }) },
      },
    });
  });
});

describe('parseFilter: what identity providers send', () => {
  it.each([
    ['Okta user lookup', 'userName eq "jane.doe@example.com"', cmp('userName', 'eq', 'jane.doe@example.com')],
    ['Okta group lookup', 'displayName eq "Engineering"', cmp('displayName', 'eq', 'Engineering')],
    ['Entra ID externalId', 'externalId eq "0a1b2c3d-4e5f"', cmp('externalId', 'eq', '0a1b2c3d-4e5f')],
    ['Entra ID id and member', 'id eq "g1" and members[value eq "u1"]', {
      kind: 'and',
      left: cmp('id', 'eq', 'g1'),
      right: { kind: 'valuePath', path: { attr: 'members' }, filter: cmp('value', 'eq', 'u1') },
    }],
    ['Entra ID member by eq', 'members eq "u1"', cmp('members', 'eq', 'u1')],
    ['OneLogin email', 'emails[type eq "work"].value eq "a@b.c"', {
      kind: 'valuePath',
      path: { attr: 'emails' },
      filter: cmp('type', 'eq', 'work'),
      then: { sub: 'value', op: 'eq', value: 'a@b.c' },
    }],
  ])('%s', (_name, text, tree) => {
    expect(parseFilter(text)).toEqual(tree as FilterNode);
  });
});

describe('parseFilter: errors name the position and what was expected', () => {
  it.each([
    ['', 'character 1: the filter is empty'],
    ['   ', 'character 1: the filter is empty'],
    ['userName', 'character 9: expected an operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr) after "userName", found the end of the input'],
    ['userName foo "x"', 'character 10: expected an operator'],
    ['userName eq', 'character 12: expected a value'],
    ['userName eq bjensen', 'character 13: expected a value (a "string", number, true, false or null), found "bjensen" (strings need double quotes)'],
    ['userName eq "x', 'character 13: unterminated string'],
    ['userName eq "x\\q"', 'character 15: invalid escape "\\\\q"'],
    ['userName eq "\\u12G4"', 'character 14: invalid escape: "\\u" must be followed by four hex digits'],
    ['a eq 01', 'character 6: invalid number "01"'],
    ['a eq 1.', 'character 8: invalid number: expected a digit after "."'],
    ['a eq -', 'character 7: invalid number: expected a digit after "-"'],
    ['a eq 1e', 'character 8: invalid number: expected a digit in the exponent'],
    ['a eq 1e999', 'character 6: number "1e999" is out of range'],
    ['(a eq 1', 'character 8: expected "and", "or" or ")" to close the "(" at character 1, found the end of the input'],
    ['a eq 1)', 'character 7: expected "and", "or" or the end of the filter, found a ")" with no "(" before it'],
    ['a eq 1 b eq 2', 'character 8: expected "and", "or" or the end of the filter, found "b"'],
    ['a eq 1 and', 'character 11: expected an attribute path, "(" or "not (", found the end of the input'],
    ['not a eq 1', 'character 5: expected "(" after "not"'],
    ['emails[type eq "work"', 'character 22: expected "and", "or" or "]" to close the "[" at character 7'],
    ['emails[type eq "work"] pr', 'character 24: expected "and", "or" or the end of the filter, found "pr"'],
    ['emails[type[value eq 1]]', 'character 12: a "[" filter cannot be nested inside another'],
    ['name.givenName[value eq 1]', 'character 15: "[" must follow a multi-valued attribute'],
    ['emails[type eq "w"].', 'character 21: expected a sub-attribute name after "].", found the end of the input'],
    ['emails[type eq "w"].a.b eq 1', 'character 21: expected a single sub-attribute name after "]."'],
    ['emails[type eq "w"].value', 'character 26: expected an operator'],
    ['a.b.c eq 1', 'character 4: "a.b.c" has a second "."'],
    ['a. eq 1', 'character 3: sub-attribute name "" of "a" is empty'],
    ['urn:x: eq 1', 'character 7: attribute name "" after the schema URI "urn:x" is empty'],
    ['urn:x:1a eq 1', 'character 7: attribute name "1a" after the schema URI "urn:x" must start with a letter'],
    [':a eq 1', 'character 1: unexpected character ":"'],
    ['userName eq "x" & a pr', 'character 17: unexpected character "&"'],
    ['é eq 1', 'character 1: unexpected character "é"'],
    ['a eq 1 or 😀', 'character 11: unexpected character "😀"'],
    ['[a eq 1]', 'character 1: expected an attribute path, "(" or "not (", found "["'],
    ['a eq "x" and', 'character 13: expected an attribute path'],
    ['a gt "x"y', 'character 9: expected "and", "or" or the end of the filter, found "y"'],
  ])('%j', (text, detail) => {
    expect(errorOf(text).message).toContain(`Invalid filter at ${detail}`);
  });

  it('rejects text over maxLength before reading it', () => {
    expect(errorOf('a'.repeat(4097)).message).toBe('Invalid filter: longer than 4096 characters');
    expect(errorOf('userName eq "x"', { maxLength: 10 }).message).toBe('Invalid filter: longer than 10 characters');
    expect(parseFilter('a'.repeat(4090) + ' eq 1')).toMatchObject({ kind: 'compare' });
  });

  it('rejects a non-string, e.g. a repeated query parameter', () => {
    expect(errorOf(['a eq 1', 'b eq 2'] as unknown as string).message).toContain('expected a single string');
  });
});

describe('parseFilter: depth limits', () => {
  const big = { maxLength: 1_000_000 };

  it('rejects 10,000 "(" with invalidFilter, not a stack overflow', () => {
    expect(errorOf('('.repeat(10_000), big).message).toContain('character 33: nested more than 32 levels deep');
    expect(errorOf(`${'('.repeat(10_000)}a eq 1${')'.repeat(10_000)}`, big).message).toContain('nested more than 32');
    expect(errorOf('not ('.repeat(5_000), big).message).toContain('nested more than 32');
  });

  it('rejects a 2,000-term "or" chain', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => `id eq "${i}"`).join(' or ');
    expect(errorOf(chain, big).message).toContain('nested more than 32 levels deep');
  });

  it('accepts exactly maxDepth levels and rejects one more', () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `a eq ${i}`).join(' and ');
    expect(() => parseFilter(chain(33))).not.toThrow(); // 32 "and" nodes
    expect(errorOf(chain(34)).message).toContain('nested more than 32');
    expect(() => parseFilter(`${'('.repeat(32)}a pr${')'.repeat(32)}`)).not.toThrow();
    expect(errorOf(`${'('.repeat(33)}a pr${')'.repeat(33)}`).message).toContain('character 33');
  });

  it('counts "[" and levels inside brackets', () => {
    expect(() => parseFilter(`emails[${'('.repeat(31)}type pr${')'.repeat(31)}]`)).not.toThrow();
    expect(errorOf(`emails[${'('.repeat(32)}type pr${')'.repeat(32)}]`).message).toContain('nested more than 32');
  });

  it('honours a custom maxDepth', () => {
    expect(errorOf('a pr and b pr and c pr', { maxDepth: 1 }).message).toContain('nested more than 1 levels');
    expect(() => parseFilter('a pr and b pr', { maxDepth: 1 })).not.toThrow();
  });
});

describe('parseFilter: linear time', () => {
  it('stays linear on long pathological input', () => {
    const long = { maxLength: 2_000_000 };
    const start = performance.now();
    errorOf(`a eq "${'\\\\'.repeat(400_000)}`, long);
    errorOf(`${'a'.repeat(1_000_000)} eq`, long);
    errorOf(`a eq ${'1'.repeat(1_000_000)}x`, long);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
