import { describe, expect, it } from 'vitest';
import { parsePatchPath } from '../filter/parser.js';
import { idsFromFilter, pushMemberOp } from './members.js';
import { expectScimError, patchGroup, patchUser, sampleGroup, sampleUser } from './test-support.js';
import type { MemberOp } from './types.js';

const ops = (...operations: unknown[]) => patchGroup(sampleGroup(), ...operations).memberOps;

describe('members become MemberOps, never a list in the resource', () => {
  it('add members [list] → one add; $ref is dropped, display/type kept', () => {
    expect(ops({ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u-1' }, { value: 'u-2', display: 'Bob', type: 'User', $ref: 'https://x/Users/u-2' }] })).toEqual([
      { op: 'add', members: [{ value: 'u-1' }, { value: 'u-2', display: 'Bob', type: 'User' }] },
    ]);
  });

  it('does not put members into the resource', () => {
    const r = patchGroup(sampleGroup(), { op: 'add', path: 'members', value: [{ value: 'u-1' }] });
    expect(r.resource).toEqual(sampleGroup());
    expect(r.changed).toEqual(['members']);
  });

  it('add of one member object (not a list) or of a bare id is accepted', () => {
    expect(ops({ op: 'add', path: 'members', value: { value: 'u-1' } })).toEqual([{ op: 'add', members: [{ value: 'u-1' }] }]);
    expect(ops({ op: 'add', path: 'members', value: ['u-1'] })).toEqual([{ op: 'add', members: [{ value: 'u-1' }] }]);
  });

  it('duplicate ids in one op collapse', () => {
    expect(ops({ op: 'add', path: 'members', value: [{ value: 'u-1' }, { value: 'u-1', display: 'B' }] })).toEqual([{ op: 'add', members: [{ value: 'u-1', display: 'B' }] }]);
  });

  it('add of an empty list adds nothing', () => {
    expect(ops({ op: 'add', path: 'members', value: [] })).toEqual([]);
  });

  it('remove members without value → removeAll (RFC 7644 §3.5.2.2)', () => {
    expect(ops({ op: 'remove', path: 'members' })).toEqual([{ op: 'removeAll' }]);
  });

  it('Entra: Remove members with a value list removes only those', () => {
    expect(ops({ op: 'Remove', path: 'members', value: [{ value: 'u-1' }, { value: 'u-2' }] })).toEqual([{ op: 'remove', values: ['u-1', 'u-2'] }]);
    expect(ops({ op: 'Remove', path: 'members', value: [] })).toEqual([]);
  });

  it('remove members[value eq "id"] → remove that id; an or of ids → all of them', () => {
    expect(ops({ op: 'remove', path: 'members[value eq "u-1"]' })).toEqual([{ op: 'remove', values: ['u-1'] }]);
    expect(ops({ op: 'remove', path: 'members[VALUE eq "u-1" or value eq "u-2"]' })).toEqual([{ op: 'remove', values: ['u-1', 'u-2'] }]);
  });

  it('any other members filter → removeWhere for the store to evaluate', () => {
    const [op] = ops({ op: 'remove', path: 'members[type eq "Group"]' });
    expect(op).toEqual({ op: 'removeWhere', filter: parsePatchPath('members[type eq "Group"]').filter });
    expect(ops({ op: 'remove', path: 'members[value sw "u-"]' })[0]?.op).toBe('removeWhere');
  });

  it('replace members → replace; replace with [] or null → removeAll', () => {
    expect(ops({ op: 'replace', path: 'members', value: [{ value: 'u-1' }] })).toEqual([{ op: 'replace', members: [{ value: 'u-1' }] }]);
    expect(ops({ op: 'replace', path: 'members', value: [] })).toEqual([{ op: 'removeAll' }]);
    expect(ops({ op: 'replace', path: 'members', value: null })).toEqual([{ op: 'removeAll' }]);
  });

  it('path-less values may carry members too', () => {
    expect(ops({ op: 'add', value: { members: [{ value: 'u-1' }] } })).toEqual([{ op: 'add', members: [{ value: 'u-1' }] }]);
  });

  it('keeps request order across different kinds', () => {
    expect(ops({ op: 'remove', path: 'members[value eq "u-2"]' }, { op: 'add', path: 'members', value: [{ value: 'u-1' }] })).toEqual([
      { op: 'remove', values: ['u-2'] },
      { op: 'add', members: [{ value: 'u-1' }] },
    ]);
  });

  it('refuses malformed members', () => {
    expectScimError(() => ops({ op: 'add', path: 'members', value: [{ display: 'no id' }] }), 'invalidValue', /"value"/);
    expectScimError(() => ops({ op: 'add', path: 'members', value: [{ value: 5 }] }), 'invalidValue');
    expectScimError(() => ops({ op: 'add', path: 'members', value: [{ value: '' }] }), 'invalidValue');
    expectScimError(() => ops({ op: 'add', path: 'members', value: [42] }), 'invalidValue');
    expectScimError(() => ops({ op: 'add', path: 'members', value: [{ value: 'u', role: 'x' }] }), 'invalidPath', /role/);
    expectScimError(() => ops({ op: 'add', path: 'members' }), 'invalidValue', /needs a "value"/);
  });

  it('refuses member sub-attribute edits and filtered add/replace', () => {
    expectScimError(() => ops({ op: 'replace', path: 'members[value eq "u-1"].display', value: 'x' }), 'invalidPath', /immutable/);
    expectScimError(() => ops({ op: 'replace', path: 'members.value', value: 'x' }), 'invalidPath');
    expectScimError(() => ops({ op: 'add', path: 'members[value eq "u-1"]', value: { value: 'u-1' } }), 'invalidPath', /filter/);
  });

  it('Users have no members attribute', () => {
    expectScimError(() => patchUser(sampleUser(), { op: 'add', path: 'members', value: [{ value: 'u' }] }), 'invalidPath', /members/);
  });
});

describe('pushMemberOp folds consecutive operations', () => {
  const fold = (...list: MemberOp[]) => {
    const out: MemberOp[] = [];
    for (const op of list) pushMemberOp(out, op);
    return out;
  };

  it('merges consecutive adds and consecutive removes', () => {
    expect(fold({ op: 'add', members: [{ value: 'a' }] }, { op: 'add', members: [{ value: 'b' }, { value: 'a', display: 'A' }] })).toEqual([
      { op: 'add', members: [{ value: 'a', display: 'A' }, { value: 'b' }] },
    ]);
    expect(fold({ op: 'remove', values: ['a'] }, { op: 'remove', values: ['b', 'a'] })).toEqual([{ op: 'remove', values: ['a', 'b'] }]);
  });

  it('removeAll and replace supersede what came before; add after replace joins it', () => {
    expect(fold({ op: 'add', members: [{ value: 'a' }] }, { op: 'removeAll' })).toEqual([{ op: 'removeAll' }]);
    expect(fold({ op: 'remove', values: ['a'] }, { op: 'replace', members: [{ value: 'b' }] }, { op: 'add', members: [{ value: 'c' }] })).toEqual([
      { op: 'replace', members: [{ value: 'b' }, { value: 'c' }] },
    ]);
  });
});

describe('idsFromFilter', () => {
  it('reads value eq clauses only', () => {
    const f = (p: string) => idsFromFilter(parsePatchPath(p).filter!);
    expect(f('members[value eq "a"]')).toEqual(['a']);
    expect(f('members[value eq "a" and type eq "User"]')).toBeUndefined();
    expect(f('members[value eq 5]')).toBeUndefined();
    expect(f('members[display eq "a"]')).toBeUndefined();
  });
});
