import { describe, expect, it } from 'vitest';
import { describeCounts, describeInterval, syncDuration } from './words.js';

const none = { usersCreated: 0, usersUpdated: 0, usersDeactivated: 0, usersDeleted: 0, groupsCreated: 0, groupsUpdated: 0, groupsDeleted: 0, membersAdded: 0, membersRemoved: 0 };

describe('Google Workspace sync words', () => {
  it('names only what changed, in the right number', () => {
    expect(describeCounts(none)).toBe('No changes');
    expect(describeCounts({ ...none, usersCreated: 30, groupsCreated: 1, membersAdded: 2 })).toBe('30 users created, 1 group created, 2 memberships added');
    expect(describeCounts({ ...none, usersDeactivated: 1, usersDeleted: 3 })).toBe('1 user deactivated, 3 users deleted');
  });

  it('says how long a sync took, and nothing while it runs', () => {
    expect(syncDuration({ startedAt: '2026-01-01T10:00:00.000Z', finishedAt: null })).toBeUndefined();
    expect(syncDuration({ startedAt: '2026-01-01T10:00:00.000Z', finishedAt: '2026-01-01T10:00:00.420Z' })).toBe('420 ms');
    expect(syncDuration({ startedAt: '2026-01-01T10:00:00.000Z', finishedAt: '2026-01-01T10:00:12.400Z' })).toBe('12 s');
    expect(syncDuration({ startedAt: '2026-01-01T10:00:00.000Z', finishedAt: '2026-01-01T10:02:05.000Z' })).toBe('2 min 5 s');
  });

  it('says how often it syncs', () => {
    expect(describeInterval(15)).toBe('every 15 minutes');
    expect(describeInterval(60)).toBe('every hour');
    expect(describeInterval(150)).toBe('every 2 hours 30 minutes');
    expect(describeInterval(1440)).toBe('every 24 hours');
  });
});
