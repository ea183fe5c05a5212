/**
 * Webhooks keep the order per resource only (and a failed delivery can be redelivered by hand much
 * later): the any-order rules of apply.ts, event by event, on each database. The feed's in-order
 * mode, by contrast, applies what it is given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../../../test/support/databases.js';
import { applyEvent, type Arrival, type Outcome } from '../src/apply.js';
import { parseEvent } from '../src/events.js';
import type { MirrorStorage } from '../src/storage/port.js';
import { EventFactory, mirrorState, testMirror, type TestEvent } from './harness.js';

for (const dialect of dialectsUnderTest()) {
  describe(`applying events out of order [${dialect}]`, () => {
    let storage: MirrorStorage;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ storage, close } = await testMirror(dialect));
    });
    afterAll(async () => close());

    const f = new EventFactory();
    const apply = (event: TestEvent, arrival: Arrival = 'any-order'): Promise<Outcome> => storage.transaction((tx) => applyEvent(tx, parseEvent(event), arrival));
    const user = async (id: string) => (await mirrorState(storage)).users.find((u) => u.id === id);
    const members = async (groupId: string) =>
      (await mirrorState(storage)).memberships
        .filter((m) => m.groupId === groupId)
        .map((m) => m.userId)
        .sort();

    it('skips a user.updated older than the row, applies an equal or newer one', async () => {
      const created = f.next('user.created', f.user('u1', { firstName: 'Ann' }));
      const renamed = f.next('user.updated', f.user('u1', { firstName: 'Anna' }));
      const deactivated = f.next('user.deactivated', f.user('u1', { firstName: 'Anna', active: false }));
      expect(await apply(created)).toBe('applied');
      expect(await apply(deactivated)).toBe('applied');
      // The rename arrives last (redelivered by hand after it had failed for good): stale.
      expect(await apply(renamed)).toBe('stale');
      expect(await user('u1')).toMatchObject({ firstName: 'Anna', active: false });
      // Same transaction, same time, same final state: applied.
      const sameTime = f.next('user.updated', f.user('u1', { firstName: 'Anna', lastName: 'Other', active: false }), deactivated.occurredAt);
      expect(await apply(sameTime)).toBe('applied');
      expect(await user('u1')).toMatchObject({ lastName: 'Other' });
    });

    it('does not bring back a deleted user or group', async () => {
      const created = f.next('user.created', f.user('u2'));
      const updated = f.next('user.updated', f.user('u2', { displayName: 'Late' }));
      const deleted = f.next('user.deleted', f.user('u2'));
      expect(await apply(created)).toBe('applied');
      expect(await apply(deleted)).toBe('applied');
      expect(await apply(updated)).toBe('stale');
      expect(await user('u2')).toBeUndefined();

      const group = f.next('group.created', f.group('g2'));
      const groupDeleted = f.next('group.deleted', f.group('g2'));
      expect(await apply(groupDeleted)).toBe('applied');
      expect(await apply(group)).toBe('stale');
      expect((await mirrorState(storage)).groups.some((g) => g.id === 'g2')).toBe(false);
    });

    it('stores a member added before its user and group exist', async () => {
      const added = f.next('group.user_added', { groupId: 'g3', userId: 'u3' });
      expect(await apply(added)).toBe('applied');
      expect(await members('g3')).toEqual(['u3']);
      expect(await apply(f.next('group.created', f.group('g3')))).toBe('applied');
      expect(await apply(f.next('user.created', f.user('u3')))).toBe('applied');
      expect(await members('g3')).toEqual(['u3']);
    });

    it('user.deleted takes the memberships; a late add of that user is refused', async () => {
      await apply(f.next('group.created', f.group('g4')));
      await apply(f.next('user.created', f.user('u4')));
      await apply(f.next('group.user_added', { groupId: 'g4', userId: 'u4' }));
      // In the feed: user_removed (travels with the group), then user.deleted (with the user).
      const removed = f.next('group.user_removed', { groupId: 'g4', userId: 'u4' });
      const deleted = f.next('user.deleted', f.user('u4'));
      expect(await apply(deleted)).toBe('applied');
      expect(await members('g4')).toEqual([]);
      expect(await apply(removed)).toBe('applied');
      // A redelivered old add for the deleted user.
      expect(await apply(f.next('group.user_added', { groupId: 'g4', userId: 'u4' }, '2025-01-01T00:00:00.000Z'))).toBe('stale');
      expect(await members('g4')).toEqual([]);
    });

    it('group.deleted takes its memberships', async () => {
      await apply(f.next('group.user_added', { groupId: 'g5', userId: 'u5' }));
      await apply(f.next('group.user_added', { groupId: 'g5', userId: 'u6' }));
      await apply(f.next('group.deleted', f.group('g5')));
      expect(await members('g5')).toEqual([]);
    });

    it('a late removal keeps a membership added back after it; a late add after a removal is skipped', async () => {
      const add1 = f.next('group.user_added', { groupId: 'g6', userId: 'u7' });
      const remove = f.next('group.user_removed', { groupId: 'g6', userId: 'u7' });
      const add2 = f.next('group.user_added', { groupId: 'g6', userId: 'u7' });
      expect(await apply(add1)).toBe('applied');
      expect(await apply(add2)).toBe('applied');
      expect(await apply(remove)).toBe('stale');
      expect(await members('g6')).toEqual(['u7']);

      const add3 = f.next('group.user_added', { groupId: 'g6', userId: 'u8' });
      const remove3 = f.next('group.user_removed', { groupId: 'g6', userId: 'u8' });
      expect(await apply(remove3)).toBe('applied');
      expect(await apply(add3)).toBe('stale');
      expect(await members('g6')).toEqual(['u7']);
      // Added again later: applied.
      expect(await apply(f.next('group.user_added', { groupId: 'g6', userId: 'u8' }))).toBe('applied');
      expect(await members('g6')).toEqual(['u7', 'u8']);
    });

    it('counts a redelivery in the journal instead of applying it again', async () => {
      const created = f.next('user.created', f.user('u9', { firstName: 'Once' }));
      expect(await apply(created)).toBe('applied');
      await apply(f.next('user.updated', f.user('u9', { firstName: 'Twice' })));
      expect(await apply(created)).toBe('duplicate');
      expect(await apply(created)).toBe('duplicate');
      expect(await user('u9')).toMatchObject({ firstName: 'Twice' });
      const row = (await storage.appliedEvents()).find((e) => e.eventId === created.id);
      expect(row).toMatchObject({ type: 'user.created', redeliveries: 2 });
    });

    it('in order (the feed), applies whatever comes, as the feed is the order', async () => {
      await apply(f.next('user.created', f.user('u10', { firstName: 'New' })), 'in-order');
      // Dated earlier (another Rollcall process's clock), yet later in the feed: it wins.
      expect(await apply(f.next('user.updated', f.user('u10', { firstName: 'Newer' }), '2025-01-01T00:00:00.000Z'), 'in-order')).toBe('applied');
      expect(await user('u10')).toMatchObject({ firstName: 'Newer' });
    });

    it('journals events that change nothing (connection.*, unknown types) and rejects malformed ones', async () => {
      expect(await apply(f.next('connection.created', { id: 'conn-2', tenantId: 'acme' }))).toBe('applied');
      expect(await apply(f.next('directory.future_thing', { anything: 1 }))).toBe('applied');
      expect(() => parseEvent({ ...f.next('user.created', f.user('u11')), data: { id: 'u11' } })).toThrow(/data.tenantId/);
      expect(() => parseEvent({ ...f.next('user.created', f.user('u11')), occurredAt: 'yesterday' })).toThrow(/occurredAt/);
    });
  });
}
