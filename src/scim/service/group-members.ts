/** Applies membership changes (from POST, PUT and PATCH) to a group's member rows. */
import { invalidValue } from '../errors.js';
import { matchingIndexes } from '../filter/evaluate.js';
import type { MemberOp, MemberRef } from '../patch/types.js';
import { groupSchema } from '../schema/index.js';
import type { GroupStore, MemberRow } from '../store/group-store.js';
import type { ConnectionScope } from '../store/scope.js';

const MEMBERS_ATTRIBUTE = groupSchema.attributes.find((a) => a.name === 'members');

/** What a membership change did overall, for events. */
export interface MembershipChange {
  added: MemberRow[];
  removed: MemberRow[];
}

/**
 * Resolves member references to rows of this connection. A reference to a resource that does not
 * exist here (or exists only in another connection) is a client error: 400 invalidValue.
 */
async function resolve(groups: GroupStore, scope: ConnectionScope, groupId: string, refs: readonly MemberRef[]): Promise<MemberRow[]> {
  for (const ref of refs) {
    if (typeof ref?.value !== 'string' || ref.value === '') throw invalidValue('Every member needs a "value": the id of a User or Group');
  }
  const ids = refs.map((r) => r.value);
  const found = await groups.findMembers(scope, ids);
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw invalidValue(`Member "${missing}" is not a User or Group of this connection`);
  if (ids.includes(groupId)) throw invalidValue('A group cannot be a member of itself');
  return [...new Set(ids)].map((value) => ({ value, type: found.get(value)! }));
}

/** Applies the operations in order; returns the ids added and removed overall. */
export async function applyMemberOps(groups: GroupStore, scope: ConnectionScope, groupId: string, ops: readonly MemberOp[], now: string): Promise<MembershipChange> {
  // Net effect: a member removed and added back (PUT, replace) is no change.
  const added = new Map<string, MemberRow>();
  const removed = new Map<string, MemberRow>();
  const onAdd = (rows: MemberRow[]) => rows.forEach((m) => (removed.delete(m.value) ? undefined : added.set(m.value, m)));
  const onRemove = (rows: MemberRow[]) => rows.forEach((m) => (added.delete(m.value) ? undefined : removed.set(m.value, m)));
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        onAdd(await groups.addMembers(scope, groupId, await resolve(groups, scope, groupId, op.members), now));
        break;
      case 'remove':
        onRemove(await groups.removeMembers(scope, groupId, op.values));
        break;
      case 'removeAll':
        onRemove(await groups.removeAllMembers(scope, groupId));
        break;
      case 'replace': {
        const rows = await resolve(groups, scope, groupId, op.members);
        onRemove(await groups.removeAllMembers(scope, groupId));
        onAdd(await groups.addMembers(scope, groupId, rows, now));
        break;
      }
      case 'removeWhere': {
        // A general value filter (`members[type eq "Group"]`): rare, so evaluated over the member list.
        const members = await groups.members(scope, groupId);
        const hits = matchingIndexes(op.filter, members, MEMBERS_ATTRIBUTE).map((i) => members[i].value);
        if (hits.length > 0) onRemove(await groups.removeMembers(scope, groupId, hits));
        break;
      }
    }
  }
  return { added: [...added.values()], removed: [...removed.values()] };
}
