import { describe, expect, it } from 'vitest';
import type { FilterNode } from './ast.js';
import { parseFilter } from './parser.js';
import { printFilter, printPatchPath, printValue } from './print-filter.js';

const a: FilterNode = { kind: 'compare', path: { attr: 'a' }, op: 'eq', value: 1 };
const b: FilterNode = { kind: 'present', path: { attr: 'b' } };
const c: FilterNode = { kind: 'compare', path: { attr: 'c' }, op: 'ne', value: 'x' };

describe('printFilter', () => {
  it('adds parentheses only where precedence needs them', () => {
    expect(printFilter({ kind: 'and', left: { kind: 'and', left: a, right: b }, right: c })).toBe('a eq 1 and b pr and c ne "x"');
    expect(printFilter({ kind: 'and', left: a, right: { kind: 'and', left: b, right: c } })).toBe('a eq 1 and (b pr and c ne "x")');
    expect(printFilter({ kind: 'and', left: { kind: 'or', left: a, right: b }, right: c })).toBe('(a eq 1 or b pr) and c ne "x"');
    expect(printFilter({ kind: 'or', left: a, right: { kind: 'and', left: b, right: c } })).toBe('a eq 1 or b pr and c ne "x"');
    expect(printFilter({ kind: 'or', left: a, right: { kind: 'or', left: b, right: c } })).toBe('a eq 1 or (b pr or c ne "x")');
  });

  it('normalises case and spacing of what it parsed', () => {
    expect(printFilter(parseFilter('  userName   EQ "x"  AND   NOT(active Eq TRUE)'))).toBe('userName eq "x" and not (active eq true)');
  });

  it('prints literals as JSON, keeping -0 and escaping control characters', () => {
    expect(printValue('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
    expect(printValue(-0)).toBe('-0');
    expect(printValue(1e21)).toBe('1e+21');
    expect(printValue(null)).toBe('null');
    expect(printValue(false)).toBe('false');
    const parsed = parseFilter(`a eq ${printValue(-0)}`);
    expect(parsed.kind === 'compare' && Object.is(parsed.value, -0)).toBe(true);
  });

  it('prints URN paths, value paths and the Entra ID form', () => {
    const urn = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    expect(printFilter({ kind: 'present', path: { uri: urn, attr: 'manager', sub: 'value' } })).toBe(`${urn}:manager.value pr`);
    expect(
      printFilter({ kind: 'valuePath', path: { attr: 'emails' }, filter: c, then: { sub: 'value', op: 'sw', value: 'a' } }),
    ).toBe('emails[c ne "x"].value sw "a"');
    expect(printPatchPath({ path: { attr: 'members' }, filter: a })).toBe('members[a eq 1]');
  });
});
