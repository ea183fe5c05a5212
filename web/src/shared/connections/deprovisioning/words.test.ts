import { describe, expect, it } from 'vitest';
import { describeChange, tripRule, waitingForReview, windowNow } from './words.js';

describe('safe deprovisioning words', () => {
  it('names each kind of held change', () => {
    const base = { groupId: null, groupName: null, roles: [] };
    expect(describeChange({ ...base, change: 'deactivation' })).toBe('Deactivation');
    expect(describeChange({ ...base, change: 'deletion' })).toBe('Deletion');
    expect(describeChange({ change: 'role_removal', roles: ['admin', 'billing'], groupId: 'g1', groupName: 'Finance' })).toBe('Loses roles admin, billing (group Finance)');
    expect(describeChange({ change: 'role_removal', roles: ['admin'], groupId: 'g1', groupName: null })).toBe('Loses role admin (group g1)');
  });

  it('says how many changes wait, in the right number', () => {
    expect(waitingForReview(1)).toBe('1 change waits for review');
    expect(waitingForReview(3)).toBe('3 changes wait for review');
  });

  it('states the trip rule and what the guard counts now', () => {
    expect(tripRule({ maxUsers: 50, maxPercent: 20, windowMinutes: 60 })).toBe(
      'The guard trips when more than 50 users and more than 20 % of the connection’s active users were deprovisioned within 60 minutes.',
    );
    expect(windowNow({ since: '2026-01-01T10:00:00.000Z', deprovisioned: 3, activeUsers: 10 })).toMatch(/^3 users deprovisioned since .+, of 10 active users \(30 %\)\.$/);
    expect(windowNow({ since: '2026-01-01T10:00:00.000Z', deprovisioned: 0, activeUsers: 0 })).toMatch(/of 0 active users\.$/);
  });
});
