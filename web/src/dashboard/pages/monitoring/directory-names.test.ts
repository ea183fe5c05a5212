import { describe, expect, it } from 'vitest';
import { LOOKUP_IDS, missingNames, namesInEvents } from './directory-names.js';
import { subjectOf } from './EventTable.js';
import type { FeedEvent } from './types.js';

let n = 0;
const event = (type: string, data: Record<string, unknown>, tenantId = 'acme'): FeedEvent => ({ id: `e${++n}`, type: type as FeedEvent['type'], tenantId, connectionId: 'c1', occurredAt: '2026-11-29T10:00:00.000Z', cursor: `c${n}`, data });

describe('the names of a page of events', () => {
  const page = [
    event('connection.created', { id: 'c1', connectionName: 'Acme Okta' }),
    event('user.created', { id: 'u1', userName: 'ada' }),
    event('group.created', { id: 'g1', displayName: 'Engineering' }),
    event('group.user_added', { groupId: 'g1', userId: 'u1' }),
    event('group.user_added', { groupId: 'g1', userId: 'u2' }),
    event('group.user_removed', { groupId: 'g2', userId: 'u3', userName: 'grace', groupDisplayName: 'Ops' }),
    event('group.user_added', { groupId: 'g3', userId: 'u4' }, 'globex'),
  ];

  it('takes names from the events’ own data, a membership event’s too', () => {
    const names = namesInEvents(page);
    expect(Object.fromEntries(names.users)).toEqual({ u1: 'ada', u3: 'grace' });
    expect(Object.fromEntries(names.groups)).toEqual({ g1: 'Engineering', g2: 'Ops' });
    expect(Object.fromEntries(names.connections)).toEqual({ c1: 'Acme Okta' });
    expect(subjectOf(page[3], names)).toBe('ada added to Engineering');
    expect(subjectOf(page[5], names)).toBe('grace removed from Ops');
    // What no one names stays an id.
    expect(subjectOf(page[4], names)).toBe('u2 added to Engineering');
  });

  it('looks up the rest once, per tenant and kind, at most LOOKUP_IDS ids at a time', () => {
    const names = namesInEvents(page);
    const known = (kind: 'users' | 'groups', id: string) => names[kind].has(id);
    expect(missingNames(page, known, new Set())).toEqual([
      { tenantId: 'acme', kind: 'users', ids: ['u2'] },
      { tenantId: 'globex', kind: 'users', ids: ['u4'] },
      { tenantId: 'globex', kind: 'groups', ids: ['g3'] },
    ]);
    expect(missingNames(page, known, new Set(['users:acme:u2', 'users:globex:u4', 'groups:globex:g3']))).toEqual([]);
    const many = Array.from({ length: LOOKUP_IDS + 5 }, (_, i) => event('group.user_added', { groupId: 'g1', userId: `x${i}` }));
    expect(missingNames(many, (kind, id) => kind === 'groups' && id === 'g1', new Set()).map((l) => l.ids.length)).toEqual([LOOKUP_IDS, 5]);
  });
});
