/**
 * Effective roles: the default role plus the roles mapped to the user's direct SCIM groups.
 * Pure functions over what the store read, so the SCIM hook and the mapping API agree.
 */
import type { MappedRole } from './store.js';

/** The effective role keys, sorted, each once. */
export function effectiveRoles(defaultKey: string | undefined, mapped: Iterable<string>): string[] {
  const keys = new Set(mapped);
  if (defaultKey !== undefined) keys.add(defaultKey);
  return [...keys].sort();
}

/** Per user, the role keys it gets through its groups, leaving out one group if named. */
export function rolesByUser(mapped: readonly MappedRole[], exceptGroupId?: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of mapped) {
    if (m.groupId === exceptGroupId) continue;
    const list = out.get(m.userId);
    if (list) list.push(m.roleKey);
    else out.set(m.userId, [m.roleKey]);
  }
  return out;
}

/** A change of one group: its members, its mapped roles, or both. */
export interface GroupRoleChange {
  groupId: string;
  keysBefore: readonly string[];
  keysAfter: readonly string[];
  /** The users concerned, and whether each was / is a member. */
  users: readonly { id: string; wasMember: boolean; isMember: boolean }[];
}

/**
 * The users whose effective roles the change alters, with their new roles; `lost` (the role keys
 * they had through groups) when the change leaves them none: a deprovisioning (src/deprovisioning/).
 */
export function changedRoles(change: GroupRoleChange, defaultKey: string | undefined, mapped: readonly MappedRole[]): { userId: string; roles: string[]; lost?: string[] }[] {
  const others = rolesByUser(mapped, change.groupId);
  const out: { userId: string; roles: string[]; lost?: string[] }[] = [];
  for (const user of change.users) {
    const other = others.get(user.id) ?? [];
    const mappedBefore = user.wasMember ? [...other, ...change.keysBefore] : other;
    const mappedAfter = user.isMember ? [...other, ...change.keysAfter] : other;
    const before = effectiveRoles(defaultKey, mappedBefore);
    const after = effectiveRoles(defaultKey, mappedAfter);
    if (before.join('\n') === after.join('\n')) continue;
    out.push(mappedBefore.length > 0 && mappedAfter.length === 0 ? { userId: user.id, roles: after, lost: [...new Set(mappedBefore)].sort() } : { userId: user.id, roles: after });
  }
  return out;
}
