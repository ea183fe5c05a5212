/**
 * What the app hears of a SCIM group change where members lose their last mapped role: a
 * deprovisioning the guard may hold. The app then keeps the membership and the roles, and the
 * membership and role events wait for review. Only groups with mapped roles get here with such a
 * change (src/roles/membership-roles.ts); every other group change emits its events as they are.
 */
import type { Selectable } from 'kysely';
import type { ScimGroupsTable } from '../db/tables.js';
import { EventRecorder } from '../events/recorder.js';
import { groupDeleted, membershipChanged, membershipEvent, userRolesChanged } from '../events/scim-events.js';
import type { RoleChange } from '../roles/membership-roles.js';
import type { MemberRow } from '../scim/store/group-store.js';
import { decide, hold, supersede, type GuardContext } from './guard.js';
import { DeprovisioningStore } from './store.js';

type GroupRow = Selectable<ScimGroupsTable>;

const userIds = (members: readonly MemberRow[]) => new Set(members.filter((m) => m.type === 'User').map((m) => m.value));

/**
 * Holds the role losses the guard holds; returns the users whose events the app must not hear now.
 * `membershipRemoved`: the loss came with the removal of the user's membership (not a group deletion).
 */
async function holdLosses(context: GuardContext, group: GroupRow, changes: readonly RoleChange[], membershipRemoved: boolean): Promise<Set<string>> {
  const quiet = new Set<string>();
  for (const change of changes) {
    if (!change.lost) continue;
    if ((await decide(context, change.row.active === 1)) === 'apply') continue;
    const recorder = new EventRecorder(true);
    if (membershipRemoved) {
      const { type, data } = membershipEvent(group.id, change.row.id, false);
      recorder.record(type, group.id, data);
    }
    userRolesChanged(recorder, [change]);
    await hold(context, {
      kind: 'role_removal',
      user: change.row,
      events: recorder.take(),
      groupId: group.id,
      groupName: group.display_name,
      roles: change.lost,
      memberships: membershipRemoved ? [{ groupId: group.id, groupName: group.display_name }] : [],
    });
    quiet.add(change.row.id);
  }
  return quiet;
}

/**
 * Members added to and removed from `group`, with the role changes they make. A user added back
 * while the app still keeps its membership (a held or discarded removal) changes nothing for the
 * app: that removal ends, and no event goes out for it.
 */
export async function membersChanged(context: GuardContext, group: GroupRow, added: readonly MemberRow[], removed: readonly MemberRow[], roleChanges: readonly RoleChange[]): Promise<void> {
  const { events } = context;
  if (roleChanges.length === 0 || !events.enabled) {
    membershipChanged(events, group.id, added, removed);
    userRolesChanged(events, roleChanges);
    return;
  }
  const quiet = new Set<string>();
  const addedIds = userIds(added);
  if (addedIds.size > 0) {
    const store = new DeprovisioningStore(context.trx);
    const kept = (await store.membershipsOfUsers(context.scope.tenantId, [...addedIds])).filter((m) => m.group_id === group.id);
    if (kept.length > 0) {
      const changes = await store.usersChanges(
        context.scope.tenantId,
        kept.map((m) => m.user_id),
      );
      const ended = changes.filter((c) => c.change === 'role_removal' && c.group_id === group.id);
      await supersede(context, ended);
      for (const c of ended) quiet.add(c.user_id);
    }
  }
  const removedIds = userIds(removed);
  for (const id of await holdLosses(
    context,
    group,
    roleChanges.filter((c) => removedIds.has(c.row.id)),
    true,
  ))
    quiet.add(id);
  const audible = (m: MemberRow) => !quiet.has(m.value);
  membershipChanged(events, group.id, added.filter(audible), removed.filter(audible));
  userRolesChanged(
    events,
    roleChanges.filter((c) => !quiet.has(c.row.id)),
  );
}

/** A group was deleted; `roleChanges` were read before its role mappings went with it. */
export async function groupRemoved(context: GuardContext, group: GroupRow, roleChanges: readonly RoleChange[]): Promise<void> {
  const { events } = context;
  groupDeleted(events, group);
  if (roleChanges.length === 0 || !events.enabled) {
    userRolesChanged(events, roleChanges);
    return;
  }
  const quiet = await holdLosses(context, group, roleChanges, false);
  userRolesChanged(
    events,
    roleChanges.filter((c) => !quiet.has(c.row.id)),
  );
}
