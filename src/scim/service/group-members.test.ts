import { describe, expect, it } from 'vitest';
import { ScimError } from '../errors.js';
import { memberIdsOf, planMemberOps } from './group-members.js';

const found = new Map<string, 'User' | 'Group'>([
  ['u1', 'User'],
  ['u2', 'User'],
  ['g2', 'Group'],
]);

describe('planMemberOps', () => {
  it('nets adds and removes against the members there now, in request order', () => {
    const current = new Map<string, 'User' | 'Group'>([['u1', 'User']]);
    const plan = planMemberOps(
      [
        { op: 'add', members: [{ value: 'u1' }, { value: 'u2' }, { value: 'g2' }] },
        { op: 'remove', values: ['u2', 'nobody'] },
        { op: 'remove', values: ['u1'] },
        { op: 'add', members: [{ value: 'u1' }] },
      ],
      'g1',
      found,
      current,
    );
    // u1 was a member and is again: no change; u2 came and went; g2 stays added.
    expect(plan).toEqual({ added: [{ value: 'g2', type: 'Group' }], removed: [] });
    expect(planMemberOps([{ op: 'remove', values: ['u1'] }], 'g1', found, current)).toEqual({ added: [], removed: [{ value: 'u1', type: 'User' }] });
  });

  it('refuses unknown members, the group itself and members without a value, as applyMemberOps does', () => {
    const none = new Map<string, 'User' | 'Group'>();
    const status = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof ScimError ? `${error.status} ${error.scimType}` : String(error);
      }
      return 'no error';
    };
    expect(status(() => planMemberOps([{ op: 'add', members: [{ value: 'ghost' }] }], 'g1', found, none))).toBe('400 invalidValue');
    expect(status(() => planMemberOps([{ op: 'add', members: [{ value: 'g2' }] }], 'g2', found, none))).toBe('400 invalidValue');
    expect(status(() => memberIdsOf([{ op: 'add', members: [{ value: '' }] }]))).toBe('400 invalidValue');
  });

  it('leaves ops that need every member to the transaction', () => {
    expect(memberIdsOf([{ op: 'add', members: [{ value: 'u1' }] }, { op: 'remove', values: ['u2', 'u1'] }])).toEqual(['u1', 'u2']);
    expect(memberIdsOf([{ op: 'removeAll' }])).toBeUndefined();
    expect(memberIdsOf([{ op: 'replace', members: [] }])).toBeUndefined();
    expect(() => planMemberOps([{ op: 'removeAll' }], 'g1', found, new Map())).toThrow();
  });
});
