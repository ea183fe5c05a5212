/**
 * PostgreSQL's faster ways of a SCIM Group PATCH (PostgresScimWrites.patchGroup). Each answers
 * undefined when the PATCH has to go the next way; the last way is the PATCH's transaction, which
 * is always right.
 */
import { groupUpdated, membershipChanged } from '../../events/scim-events.js';
import { notFound } from '../../scim/errors.js';
import { applyPatch } from '../../scim/patch/apply-patch.js';
import type { PatchResult } from '../../scim/patch/types.js';
import type { StoredResource } from '../../scim/resources/normalize.js';
import { memberIdsOf, missingMember, planMemberOps, simpleMemberChange } from '../../scim/service/group-members.js';
import { checkIfMatch } from '../../scim/service/preconditions.js';
import type { GroupPatch } from '../../scim/service/unit-of-work.js';
import type { GroupRow } from '../../scim/store/group-store.js';
import { storable } from '../../scim/store/scope.js';
import { queueGroupChange, readGroupChange } from './group-change.js';
import { changeMembers } from './member-change.js';
import type { PostgresScimWrites } from './scim-writes.js';

/** A group with nothing in it, to learn which members a PATCH body names. */
const EMPTY_GROUP: StoredResource = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: '' };

const groupNotFound = (id: string) => notFound(`Group ${id} not found`);

/**
 * A PATCH that only adds or only removes members by id, without If-Match, as one statement
 * (member-change.ts). Undefined for any other PATCH, and when roles are mapped to the group or it
 * was deleted meanwhile.
 */
export async function patchByStatement(writes: PostgresScimWrites, patch: GroupPatch): Promise<GroupRow | undefined> {
  const { scope, id, body, ifMatch } = patch;
  if (ifMatch !== undefined || !storable(id)) return undefined;
  // Members never live in the resource: applied to an empty group, the PATCH says what it does to them.
  let patched: PatchResult;
  try {
    patched = applyPatch(EMPTY_GROUP, body, { resourceType: 'Group', id });
  } catch {
    return undefined; // the other ways give the error, after looking the group up
  }
  const change = patched.membersOnly ? simpleMemberChange(patched.memberOps, id) : undefined;
  if (!change) return undefined;
  const outcome = await writes.oneStatement(scope, async (db, context) => {
    const outcome = await changeMembers(db, { scope, groupId: id, change, ...context });
    return { result: outcome, applied: outcome.kind === 'applied' };
  });
  if (outcome.kind === 'notFound') throw groupNotFound(id);
  if (outcome.kind === 'missing') {
    // A connection that ignores unknown members: the next way leaves them out (nothing was applied).
    if (scope.writePolicy?.ignoreUnknownMembers) return undefined;
    throw missingMember(outcome.id);
  }
  return outcome.kind === 'applied' ? outcome.row : undefined;
}

/**
 * A PATCH that adds and removes members and may change attributes, in two round trips
 * (group-change.ts). Undefined for ops that need every member (replace, a filter on members); when
 * the group has mapped roles, whose changes need more reads; when the group is not found (the
 * transaction answers 404); when another write got to the group between the read and the write.
 */
export async function patchUnlocked(writes: PostgresScimWrites, patch: GroupPatch): Promise<GroupRow | undefined> {
  const { scope, id, ifMatch, change } = patch;
  // The member ids the body names, from the PATCH applied to an empty group: members never live in
  // the resource, so its member ops do not depend on it. A body that fails here fails in the transaction too.
  let ids: string[] | undefined;
  try {
    ids = memberIdsOf(change(EMPTY_GROUP).memberOps);
  } catch {
    return undefined;
  }
  if (!ids) return undefined;
  const named = new Set(ids);
  return writes.guarded(scope, patch.conflictMessage, async (db, batch, events, now) => {
    const read = await readGroupChange(db, scope, id, ids);
    if (!read) return undefined;
    checkIfMatch(ifMatch, read.row.version);
    const stored = JSON.parse(read.row.resource) as StoredResource;
    const { resource, memberOps } = change(stored);
    if (memberIdsOf(memberOps)?.every((value) => named.has(value)) !== true) return undefined;
    const membership = planMemberOps(memberOps, id, read.found, read.current, scope.writePolicy);
    const usersChanged = [...membership.added, ...membership.removed].some((m) => m.type === 'User');
    if (read.mapped && events.enabled && usersChanged) return undefined;
    if (!resource && membership.added.length === 0 && membership.removed.length === 0) return read.row;
    const updated = queueGroupChange(batch, scope, read.row, resource ?? stored, membership, now);
    if (resource) groupUpdated(events, read.row, updated);
    membershipChanged(events, id, membership.added, membership.removed);
    return updated;
  });
}
