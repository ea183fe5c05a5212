import { describe, expect, it } from 'vitest';
import { ENTERPRISE_USER_SCHEMA, resolveAttribute } from '../schema/index.js';
import { coerceAttribute, coerceComplex, coerceMany, coerceSimple, finalize } from './coerce.js';
import { expectScimError } from './test-support.js';

const def = (attr: string, uri?: string) => resolveAttribute('User', uri ? { uri, attr } : { attr })!.attr;
const sub = (attr: string, name: string) => resolveAttribute('User', { attr, sub: name })!.sub!;
const active = def('active');
const userName = def('userName');
const emails = def('emails');
const manager = def('manager', ENTERPRISE_USER_SCHEMA);

describe('coerceSimple', () => {
  it('reads Entra ID\'s string booleans in any case (RFC 7643 §2.3.2 wants JSON booleans)', () => {
    for (const [raw, want] of [['False', false], ['True', true], ['TRUE', true], ['false', false], [' true ', true], [false, false]] as const) {
      expect(coerceSimple(active, raw, 'active')).toBe(want);
    }
  });

  it('refuses anything else for a boolean', () => {
    for (const raw of ['maybe', 'yes', 1, 0, {}, 'False!']) expectScimError(() => coerceSimple(active, raw, 'active'), 'invalidValue', /boolean/);
  });

  it('refuses non-strings for strings', () => {
    for (const raw of [5, true, {}]) expectScimError(() => coerceSimple(userName, raw, 'userName'), 'invalidValue');
  });

  it('treats null and "" as unassigned', () => {
    expect(coerceSimple(userName, null, 'userName')).toBeNull();
    expect(coerceSimple(userName, '', 'userName')).toBeNull();
    expect(coerceSimple(active, '', 'active')).toBeNull();
  });

  it('unwraps a one-element list for a single-valued attribute, refuses longer ones', () => {
    expect(coerceSimple(userName, ['bob'], 'userName')).toBe('bob');
    expect(coerceSimple(userName, [], 'userName')).toBeNull();
    expectScimError(() => coerceSimple(userName, ['a', 'b'], 'userName'), 'invalidValue', /single-valued/);
  });

  it('checks dateTime, integer, decimal and binary values', () => {
    const base = { ...userName, name: 'x' };
    expect(coerceSimple({ ...base, type: 'dateTime' }, '2024-05-01T10:00:00Z', 'x')).toBe('2024-05-01T10:00:00Z');
    expectScimError(() => coerceSimple({ ...base, type: 'dateTime' }, 'yesterday', 'x'), 'invalidValue', /dateTime/);
    expect(coerceSimple({ ...base, type: 'integer' }, '42', 'x')).toBe(42);
    expect(coerceSimple({ ...base, type: 'integer' }, 42, 'x')).toBe(42);
    expectScimError(() => coerceSimple({ ...base, type: 'integer' }, 4.2, 'x'), 'invalidValue');
    expect(coerceSimple({ ...base, type: 'decimal' }, '4.5', 'x')).toBe(4.5);
    expectScimError(() => coerceSimple({ ...base, type: 'decimal' }, 'NaN', 'x'), 'invalidValue');
    expect(coerceSimple({ ...base, type: 'binary' }, 'aGVsbG8=', 'x')).toBe('aGVsbG8=');
    expectScimError(() => coerceSimple({ ...base, type: 'binary' }, 'not base64!', 'x'), 'invalidValue');
  });
});

describe('coerceComplex', () => {
  it('reads a bare string as { value } — Entra ID sends manager as the manager\'s id', () => {
    expect(coerceComplex(manager, 'm-1', 'manager')).toEqual({ value: 'm-1' });
  });

  it('unwraps Entra\'s one-element manager list and drops a null $ref', () => {
    expect(finalize(coerceComplex(manager, [{ $ref: null, value: 'm-1' }], 'manager'))).toEqual({ value: 'm-1' });
  });

  it('canonicalises sub-attribute names and converts their types', () => {
    expect(coerceComplex(emails, { VALUE: 'a@x.com', Primary: 'true' }, 'emails')).toEqual({ value: 'a@x.com', primary: true });
  });

  it('keeps cleared sub-attributes as null until finalize', () => {
    const v = coerceComplex(def('name'), { givenName: 'B', familyName: null, middleName: '' }, 'name');
    expect(v).toEqual({ givenName: 'B', familyName: null, middleName: null });
    expect(finalize(v)).toEqual({ givenName: 'B' });
    expect(finalize({ a: null })).toBeNull();
  });

  it('refuses unknown or prototype sub-attributes', () => {
    expectScimError(() => coerceComplex(emails, { valu: 'x' }, 'emails'), 'invalidPath', /valu/);
    expectScimError(() => coerceComplex(emails, JSON.parse('{"__proto__": {"x": 1}}'), 'emails'), 'invalidPath');
  });

  it('refuses a string for a complex attribute without a value sub-attribute', () => {
    expectScimError(() => coerceComplex(def('name'), 'Barbara', 'name'), 'invalidValue', /complex/);
  });
});

describe('coerceMany / coerceAttribute', () => {
  it('takes a lone value as a list, drops nulls, collapses duplicates', () => {
    expect(coerceMany(emails, { value: 'a@x.com' }, 'emails')).toEqual([{ value: 'a@x.com' }]);
    expect(coerceMany(emails, [null, { value: 'a@x.com' }, { value: 'A@X.COM' }], 'emails')).toEqual([{ value: 'a@x.com' }]);
    expect(coerceMany(emails, [null, {}], 'emails')).toBeNull();
  });

  it('names the element at fault', () => {
    expectScimError(() => coerceAttribute(emails, [{ value: 'a' }, { primary: 'maybe' }], 'emails'), 'invalidValue', /emails\[1\]\.primary/);
  });

  it('is strict on single values and lists', () => {
    expect(coerceAttribute(sub('name', 'givenName'), 'B', 'name.givenName')).toBe('B');
    expect(coerceAttribute(emails, null, 'emails')).toBeNull();
  });
});
