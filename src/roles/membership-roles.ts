/**
 * Which users' effective roles a group change alters, for `user.updated` events. The SCIM write
 * path calls in here after every membership change: for a group with no mapped role (the common
 * case) that costs one primary-key lookup of `group_roles`; the rest runs only for mapped groups.
 */
import type { Selectable } from 'kysely';
import type { ScimUsersTable } from '../db/tables.js';
import type { Stores } from '../scim/service/unit-of-work.js';
import type { MemberRow } from '../scim/store/group-store.js';
import type { ConnectionScope } from '../scim/store/scope.js';
import { changedRoles, type GroupRoleChange } from './effective.js';
import { RoleStore } from './store.js';

/** A user whose effective roles changed, and its roles now. */
export interface RoleChange {
  row: Selectable<ScimUsersTable>;
  roles: string[];
  /** The role keys the user had through groups, when the change leaves it none. */
  lost?: string[];
}

/** Reads what `change` needs and returns the users whose roles it alters, with their rows. */
export async function resolveRoleChanges(store: RoleStore, tenantId: string, change: GroupRoleChange): Promise<RoleChange[]> {
  if (change.users.length === 0) return [];
  const defaultKey = await store.defaultKey();
  const mapped = await store.mappedRoles(tenantId, change.users.map((u) => u.id));
  const changed = changedRoles(change, defaultKey, mapped);
  if (changed.length === 0) return [];
  const rows = new Map((await store.usersByIds(tenantId, changed.map((c) => c.userId))).map((r) => [r.id, r]));
  return changed.flatMap(({ userId, roles, lost }) => {
    const row = rows.get(userId);
    if (!row) return [];
    return lost ? [{ row, roles, lost }] : [{ row, roles }];
  });
}

const userIds = (members: readonly MemberRow[]) => members.filter((m) => m.type === 'User').map((m) => m.value);

/** After members were added to or removed from a group in a SCIM write. */
export async function membershipRoleChanges(stores: Pick<Stores, 'trx' | 'events'>, scope: ConnectionScope, groupId: string, added: readonly MemberRow[], removed: readonly MemberRow[]): Promise<RoleChange[]> {
  if (!stores.events.enabled) return [];
  const addedIds = userIds(added);
  const removedIds = userIds(removed);
  if (addedIds.length === 0 && removedIds.length === 0) return [];
  const store = new RoleStore(stores.trx);
  const keys = await store.groupRoleKeys(groupId);
  if (keys.length === 0) return [];
  return resolveRoleChanges(store, scope.tenantId, {
    groupId,
    keysBefore: keys,
    keysAfter: keys,
    users: [...addedIds.map((id) => ({ id, wasMember: false, isMember: true })), ...removedIds.map((id) => ({ id, wasMember: true, isMember: false }))],
  });
}

/** Before a group is deleted in a SCIM write: its members lose the roles mapped to it. */
export async function groupDeletionRoleChanges(stores: Pick<Stores, 'trx' | 'events'>, scope: ConnectionScope, groupId: string): Promise<RoleChange[]> {
  if (!stores.events.enabled) return [];
  const store = new RoleStore(stores.trx);
  const keys = await store.groupRoleKeys(groupId);
  if (keys.length === 0) return [];
  const members: string[] = [];
  for (let page = await store.userMembers(scope.tenantId, groupId, '', 1000); page.length > 0; page = await store.userMembers(scope.tenantId, groupId, page.at(-1)!, 1000)) {
    members.push(...page);
  }
  return resolveRoleChanges(store, scope.tenantId, { groupId, keysBefore: keys, keysAfter: [], users: members.map((id) => ({ id, wasMember: true, isMember: false })) });
}
