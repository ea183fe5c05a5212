/** SCIM Groups of one connection: create, read, list, replace, patch, delete; members as rows. */
import { newId } from '../../security/ids.js';
import { groupCreated, groupDeleted, groupUpdated, membershipChanged, userRolesChanged } from '../../events/scim-events.js';
import { groupDeletionRoleChanges, membershipRoleChanges } from '../../roles/membership-roles.js';
import { notFound } from '../errors.js';
import { applyPatch } from '../patch/apply-patch.js';
import type { MemberOp, PatchResult } from '../patch/types.js';
import { normalizeResource, type StoredResource } from '../resources/normalize.js';
import { project, wants, type Projection } from '../resources/projection.js';
import { renderMembers, renderResource } from '../resources/render.js';
import { queueGroupChange, readGroupChange } from '../store/group-change-postgres.js';
import { changeMembers } from '../store/member-change-postgres.js';
import type { GroupRow, MemberView } from '../store/group-store.js';
import type { ListQuery } from '../store/list-query.js';
import { storable, type ConnectionScope } from '../store/scope.js';
import { applyMemberOps, memberIdsOf, missingMember, planMemberOps, simpleMemberChange } from './group-members.js';
import { checkIfMatch } from './preconditions.js';
import { VersionConflict, type ScimTransactions, type Stores } from './transactions.js';
import type { Rendered } from './user-service.js';

const ALL: Projection = { exclude: [] };

/** A group with nothing in it, to learn which members a PATCH body names (patchMembers, patchUnlocked). */
const EMPTY_GROUP: StoredResource = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: '' };

/**
 * Members read per query when a group is rendered. A group with more is streamed page by page
 * (a 100,000-member group never sits in memory as one array); one with fewer is rendered whole.
 */
export const MEMBER_PAGE = 2000;

const taken = (displayName: unknown) => `A group with displayName "${String(displayName)}" already exists in this connection`;

/** Logic of the SCIM Groups endpoint. */
export class GroupService {
  constructor(private readonly tx: ScimTransactions) {}

  private async renderOne(stores: Stores, scope: ConnectionScope, baseUrl: string, row: GroupRow, projection: Projection) {
    // Entra ID asks for excludedAttributes=members: then no membership row is read at all.
    const extra = wants(projection, 'Group', 'members') ? { members: renderMembers(await stores.groups.members(scope, row.id), baseUrl) } : {};
    return project(renderResource('Group', row, baseUrl, extra), 'Group', projection);
  }

  private notFound(id: string): never {
    throw notFound(`Group ${id} not found`);
  }

  async create(scope: ConnectionScope, baseUrl: string, body: unknown): Promise<Rendered> {
    const { resource, members } = normalizeResource('Group', body);
    const row = await this.tx.write(scope, taken(resource.displayName), async (stores, now) => {
      const inserted = await stores.groups.insert(scope, newId(), resource, now);
      groupCreated(stores.events, inserted);
      if (members && members.length > 0) {
        const { added } = await applyMemberOps(stores.groups, scope, inserted.id, [{ op: 'add', members }], now);
        membershipChanged(stores.events, inserted.id, added, []);
      }
      return inserted;
    });
    return this.get(scope, baseUrl, row.id);
  }

  async get(scope: ConnectionScope, baseUrl: string, id: string, projection: Projection = ALL): Promise<Rendered> {
    const stores = this.tx.reads();
    const row = await stores.groups.get(scope, id);
    if (!row) this.notFound(id);
    // The plain GET (no projection) of a large group streams its members; a projection of members'
    // sub-attributes is rare enough to render in memory.
    if (projection.include === undefined && projection.exclude.length === 0) {
      const first = await stores.groups.members(scope, id, { limit: MEMBER_PAGE + 1 });
      if (first.length > MEMBER_PAGE) {
        return { resource: renderResource('Group', row, baseUrl), version: row.version, memberPages: this.memberPages(stores, scope, baseUrl, id, first) };
      }
      return { resource: renderResource('Group', row, baseUrl, { members: renderMembers(first, baseUrl) }), version: row.version };
    }
    return { resource: await this.renderOne(stores, scope, baseUrl, row, projection), version: row.version };
  }

  /**
   * The members in pages of MEMBER_PAGE, by member id, starting with the page already read. Each page
   * is its own query: a member added or removed while the response streams may or may not appear,
   * as if it had been read a moment earlier or later, and none appears twice.
   */
  private async *memberPages(stores: Stores, scope: ConnectionScope, baseUrl: string, id: string, first: MemberView[]) {
    let page = first.slice(0, MEMBER_PAGE);
    while (page.length > 0) {
      yield renderMembers(page, baseUrl);
      if (page.length < MEMBER_PAGE) return;
      page = await stores.groups.members(scope, id, { after: page[page.length - 1].value, limit: MEMBER_PAGE });
    }
  }

  async list(scope: ConnectionScope, baseUrl: string, query: ListQuery, projection: Projection) {
    const stores = this.tx.reads();
    const { rows, total } = await this.tx.page(({ groups }) => groups, scope, 'Group', query);
    // Members of the whole page in one query, not one per group.
    const members = rows.length > 0 && wants(projection, 'Group', 'members') ? await stores.groups.membersOf(scope, rows.map((r) => r.id)) : undefined;
    const resources = rows.map((row) => {
      const extra = members ? { members: renderMembers(members.get(row.id) ?? [], baseUrl) } : {};
      return project(renderResource('Group', row, baseUrl, extra), 'Group', projection);
    });
    return { total, resources };
  }

  /** One transaction: read, check If-Match, compute the change, write resource and member rows. */
  private async update(
    scope: ConnectionScope,
    id: string,
    ifMatch: string | undefined,
    change: (current: StoredResource) => { resource?: StoredResource; memberOps: MemberOp[] },
  ): Promise<GroupRow> {
    let displayName: unknown;
    return this.tx.write(scope, () => taken(displayName), async (stores, now) => {
      const current = await stores.groups.get(scope, id, true);
      if (!current) this.notFound(id);
      checkIfMatch(ifMatch, current.version);
      const stored = JSON.parse(current.resource) as StoredResource;
      const { resource, memberOps } = change(stored);
      displayName = (resource ?? stored).displayName;
      const membership = await applyMemberOps(stores.groups, scope, id, memberOps, now);
      const membersChanged = membership.added.length > 0 || membership.removed.length > 0;
      if (!resource && !membersChanged) return current;
      // A membership change is a change of the group: new version, new lastModified.
      const updated = await stores.groups.update(scope, current, resource ?? stored, now);
      if (!updated) throw new VersionConflict();
      if (resource) groupUpdated(stores.events, current, updated);
      membershipChanged(stores.events, id, membership.added, membership.removed);
      // user.updated for members whose effective roles changed; one indexed lookup unless the group has mapped roles.
      userRolesChanged(stores.events, await membershipRoleChanges(stores, scope, id, membership.added, membership.removed));
      return updated;
    });
  }

  /**
   * PostgreSQL: a PATCH that only adds or only removes members by id, without If-Match, as one
   * statement (src/scim/store/member-change-postgres.ts). Undefined when it has to go another way:
   * on SQLite; for any other PATCH; when roles are mapped to the group, or it was deleted meanwhile.
   */
  private async patchMembers(scope: ConnectionScope, id: string, body: unknown, ifMatch: string | undefined): Promise<GroupRow | undefined> {
    if (!this.tx.statementWrites || ifMatch !== undefined || !storable(id)) return undefined;
    // Members never live in the resource: applied to an empty group, the PATCH says what it does to them.
    let patched: PatchResult;
    try {
      patched = applyPatch(EMPTY_GROUP, body, { resourceType: 'Group', id });
    } catch {
      return undefined; // the other ways give the error, after looking the group up
    }
    const change = patched.membersOnly ? simpleMemberChange(patched.memberOps, id) : undefined;
    if (!change) return undefined;
    const outcome = await this.tx.oneStatement(scope, async (db, context) => {
      const outcome = await changeMembers(db, { scope, groupId: id, change, ...context });
      return { result: outcome, applied: outcome.kind === 'applied' };
    });
    if (outcome.kind === 'notFound') this.notFound(id);
    if (outcome.kind === 'missing') throw missingMember(outcome.id);
    return outcome.kind === 'applied' ? outcome.row : undefined;
  }

  /**
   * PostgreSQL: a PATCH that adds and removes members and may change attributes, or one `patchMembers`
   * declined, in two round trips (src/scim/store/group-change-postgres.ts). Undefined when it has to go through
   * `update` instead: on SQLite; for ops that need every member (replace, a filter on members); when
   * the group has mapped roles, whose changes need more reads; when the group is not found (update
   * answers 404); when another write got to the group between the read and the write.
   */
  private async patchUnlocked(
    scope: ConnectionScope,
    id: string,
    body: unknown,
    ifMatch: string | undefined,
    change: (current: StoredResource) => { resource?: StoredResource; memberOps: MemberOp[] },
  ): Promise<GroupRow | undefined> {
    if (!this.tx.statementWrites) return undefined;
    // The member ids the body names, from the PATCH applied to an empty group: members never live in
    // the resource, so its member ops do not depend on it. A body that fails here fails in `update` too.
    let ids: string[] | undefined;
    try {
      ids = memberIdsOf(change(EMPTY_GROUP).memberOps);
    } catch {
      return undefined;
    }
    if (!ids) return undefined;
    const named = new Set(ids);
    let displayName: unknown;
    return this.tx.guarded(scope, () => taken(displayName), async (db, batch, events, now) => {
      const read = await readGroupChange(db, scope, id, ids);
      if (!read) return undefined;
      checkIfMatch(ifMatch, read.row.version);
      const stored = JSON.parse(read.row.resource) as StoredResource;
      const { resource, memberOps } = change(stored);
      if (memberIdsOf(memberOps)?.every((value) => named.has(value)) !== true) return undefined;
      displayName = (resource ?? stored).displayName;
      const membership = planMemberOps(memberOps, id, read.found, read.current);
      const usersChanged = [...membership.added, ...membership.removed].some((m) => m.type === 'User');
      if (read.mapped && events.enabled && usersChanged) return undefined;
      if (!resource && membership.added.length === 0 && membership.removed.length === 0) return read.row;
      const updated = queueGroupChange(batch, scope, read.row, resource ?? stored, membership, now);
      if (resource) groupUpdated(events, read.row, updated);
      membershipChanged(events, id, membership.added, membership.removed);
      return updated;
    });
  }

  /** PUT: replaces the group, members included (omitted members are removed, RFC 7644 §3.5.1). */
  async replace(scope: ConnectionScope, baseUrl: string, id: string, body: unknown, ifMatch?: string): Promise<Rendered> {
    const { resource, members } = normalizeResource('Group', body);
    const row = await this.update(scope, id, ifMatch, () => ({ resource, memberOps: [{ op: 'replace', members: members ?? [] }] }));
    return { resource: await this.renderOne(this.tx.reads(), scope, baseUrl, row, ALL), version: row.version };
  }

  /** PATCH: attribute changes and member row inserts/deletes, atomically. */
  async patch(scope: ConnectionScope, baseUrl: string, id: string, body: unknown, ifMatch?: string, projection: Projection = ALL): Promise<Rendered> {
    const change = (current: StoredResource) => {
      const result = applyPatch(current, body, { resourceType: 'Group', id });
      const attributesChanged = result.changed.some((name) => name !== 'members');
      return { resource: attributesChanged ? result.resource : undefined, memberOps: result.memberOps };
    };
    const row =
      (await this.patchMembers(scope, id, body, ifMatch)) ?? (await this.patchUnlocked(scope, id, body, ifMatch, change)) ?? (await this.update(scope, id, ifMatch, change));
    // Rendered from the row just written: a 204 (members excluded) reads nothing more.
    return { resource: await this.renderOne(this.tx.reads(), scope, baseUrl, row, projection), version: row.version };
  }

  async delete(scope: ConnectionScope, id: string, ifMatch?: string): Promise<void> {
    await this.tx.write(scope, '', async (stores) => {
      const current = await stores.groups.get(scope, id, true);
      if (!current) this.notFound(id);
      checkIfMatch(ifMatch, current.version);
      // Read before the delete cascades the group's role mappings away.
      const roleChanges = await groupDeletionRoleChanges(stores, scope, id);
      if (!(await stores.groups.delete(scope, id))) this.notFound(id);
      groupDeleted(stores.events, current);
      userRolesChanged(stores.events, roleChanges);
    });
  }
}
