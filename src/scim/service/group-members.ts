/** Applies membership changes (from POST, PUT and PATCH) to a group's member rows. */
import { invalidValue, type ScimError } from '../errors.js';
import { matchingIndexes } from '../filter/evaluate.js';
import type { MemberOp, MemberRef } from '../patch/types.js';
import { groupSchema } from '../schema/index.js';
import type { GroupStore, MemberRow } from '../store/group-store.js';
import type { MemberChange } from '../../db/postgres/member-change.js';
import { storable, type ConnectionScope, type WritePolicy } from '../store/scope.js';

const MEMBERS_ATTRIBUTE = groupSchema.attributes.find((a) => a.name === 'members');

/** What a membership change did overall, for events. */
export interface MembershipChange {
  added: MemberRow[];
  removed: MemberRow[];
}

/** Refuses a member reference without an id (400 invalidValue). */
function checkValues(refs: readonly MemberRef[]): string[] {
  for (const ref of refs) {
    if (typeof ref?.value !== 'string' || ref.value === '') throw invalidValue('Every member needs a "value": the id of a User or Group');
  }
  return refs.map((r) => r.value);
}

/**
 * The member rows of `ids`, given which of them exist in this connection (`found`). A reference to
 * a resource that does not exist here (or exists only in another connection) is a client error,
 * 400 invalidValue, unless the connection's policy ignores such ids; the group itself always is one.
 */
function membersOf(ids: readonly string[], found: ReadonlyMap<string, 'User' | 'Group'>, groupId: string, policy: WritePolicy | undefined): MemberRow[] {
  if (ids.includes(groupId)) throw invalidValue('A group cannot be a member of itself');
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    if (!policy?.ignoreUnknownMembers) throw missingMember(missing[0]);
    policy.ignoreUnknownMembers([...new Set(missing)]);
  }
  return [...new Set(ids)].filter((id) => found.has(id)).map((value) => ({ value, type: found.get(value)! }));
}

/** The error for a member id that is no User or Group of this connection. */
export function missingMember(id: string): ScimError {
  return invalidValue(`Member "${id}" is not a User or Group of this connection`);
}

/** Resolves member references to rows of this connection. */
async function resolve(groups: GroupStore, scope: ConnectionScope, groupId: string, refs: readonly MemberRef[]): Promise<MemberRow[]> {
  const ids = checkValues(refs);
  return membersOf(ids, await groups.findMembers(scope, ids), groupId, scope.writePolicy);
}

/** The ids `ops` add or remove, distinct, in order; undefined when an op needs the whole member list. */
function namedIds(ops: readonly MemberOp[]): string[] | undefined {
  const ids: string[] = [];
  for (const op of ops) {
    if (op.op === 'add') ids.push(...checkValues(op.members));
    else if (op.op === 'remove') ids.push(...op.values);
    else return undefined;
  }
  return [...new Set(ids)];
}

/** The ids of members that `ops` add or remove, or undefined when an op needs the whole member list (see planMemberOps). */
export function memberIdsOf(ops: readonly MemberOp[]): string[] | undefined {
  return namedIds(ops)?.filter(storable);
}

/**
 * The change `ops` make when they all add or all remove members named by id (what Okta and Entra ID
 * send): the ids, distinct, in order. Undefined for anything else, or for ids the other ways handle:
 * one with U+0000, or the group's own.
 */
export function simpleMemberChange(ops: readonly MemberOp[], groupId: string): MemberChange | undefined {
  const kind = ops[0]?.op;
  if ((kind !== 'add' && kind !== 'remove') || ops.some((op) => op.op !== kind)) return undefined;
  let ids: string[] | undefined;
  try {
    ids = namedIds(ops);
  } catch {
    return undefined; // a member without an id: the other ways answer 400, after looking the group up
  }
  if (!ids || ids.length === 0 || ids.includes(groupId) || !ids.every(storable)) return undefined;
  return { kind, ids };
}

/**
 * What `ops` (adds and removes only, see memberIdsOf) change, worked out in memory instead of by
 * row writes: `found` tells which of the ids they name exist in this connection, `current` which are
 * members now. The same net effect as applyMemberOps, whose writes report it.
 */
export function planMemberOps(
  ops: readonly MemberOp[],
  groupId: string,
  found: ReadonlyMap<string, 'User' | 'Group'>,
  current: ReadonlyMap<string, 'User' | 'Group'>,
  policy?: WritePolicy,
): MembershipChange {
  const members = new Map(current);
  for (const op of ops) {
    if (op.op === 'add') for (const m of membersOf(checkValues(op.members), found, groupId, policy)) members.set(m.value, members.get(m.value) ?? m.type);
    else if (op.op === 'remove') for (const value of op.values) members.delete(value);
    else throw new Error(`planMemberOps cannot plan "${op.op}"`);
  }
  const added = [...members].filter(([value]) => !current.has(value)).map(([value, type]) => ({ value, type }));
  const removed = [...current].filter(([value]) => !members.has(value)).map(([value, type]) => ({ value, type }));
  return { added, removed };
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
