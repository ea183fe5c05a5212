/**
 * Applying one event to the mirror, inside the caller's transaction, exactly once.
 *
 * The event is journaled first (applied_events, keyed by event id): when its id is already there it
 * was applied before, and nothing else happens. The journal row, the change and (for the feed) the
 * checkpoint commit together or not at all, so a crash anywhere leaves either everything or nothing.
 *
 * Ordering. The feed delivers every event in one total order: each one is newer than anything
 * applied before it, so `follow` applies it as it is (`in-order`). Webhooks keep the order only per
 * resource (one user, or one group with its memberships) and deliver different resources in
 * parallel, and a delivery that finally failed can be redelivered by hand days later. So in webhook
 * mode (`any-order`) a change may be late, and the mirror keeps enough to tell:
 *
 * - every user, group and membership row keeps `changed_at`, the `occurredAt` of the event that
 *   wrote it; an event older than that is stale and skipped (an equal one is applied: the events of
 *   one Rollcall transaction share their `occurredAt` and carry the same final state);
 * - a delete leaves a tombstone, so a late create, update or member add of a deleted user or group
 *   does not bring it back (Rollcall never reuses an id); a membership removal is remembered with its
 *   time, so a member add older than it is skipped while a newer one (added back) is applied;
 * - a member add before its user.created or group.created is stored (no foreign keys); the user or
 *   group arrives with its own event.
 *
 * Why that converges: the events of one resource still arrive in order, and the cross-resource case —
 * user.deleted is preceded in the feed by group.user_removed for each of the user's groups, but those
 * travel with the group and may come after it — ends the same either way: user.deleted removes the
 * user's memberships and a later member add for it is refused by the tombstone.
 *
 * `occurredAt` is the clock of the Rollcall process that made the change; with several Rollcall
 * processes their clocks must agree (NTP) to within the time between two changes of one user.
 */
import type { MirrorEvent } from './events.js';
import type { MirrorTx, WriteRule } from './storage/port.js';

/** How events reach the mirror: `in-order` (the feed) or `any-order` (webhooks). */
export type Arrival = 'in-order' | 'any-order';

/** What happened to an event: applied, skipped as already applied, or skipped as older than the mirror. */
export type Outcome = 'applied' | 'duplicate' | 'stale';

/** Applies `event` in `tx` unless it was applied before. */
export async function applyEvent(tx: MirrorTx, event: MirrorEvent, arrival: Arrival, now = new Date().toISOString()): Promise<Outcome> {
  if (!(await tx.recordApplied(event, now))) return 'duplicate';
  const rule: WriteRule = arrival === 'in-order' ? 'overwrite' : 'if-newer';
  const change = event.change;
  switch (change.kind) {
    case 'put-user':
      return (await tx.putUser(change.user, event.occurredAt, rule)) ? 'applied' : 'stale';
    case 'delete-user':
      await tx.deleteUser(change.id, event.occurredAt);
      return 'applied';
    case 'put-group':
      return (await tx.putGroup(change.group, event.occurredAt, rule)) ? 'applied' : 'stale';
    case 'delete-group':
      await tx.deleteGroup(change.id, event.occurredAt);
      return 'applied';
    case 'add-member':
      return (await tx.addMember(change.membership, event.occurredAt, rule)) ? 'applied' : 'stale';
    case 'remove-member':
      return (await tx.removeMember(change.membership, event.occurredAt, rule)) ? 'applied' : 'stale';
    case 'none':
      return 'applied';
  }
}
