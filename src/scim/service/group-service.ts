/** SCIM Groups of one connection: create, read, list, replace, patch, delete; members as rows. */
import { newId } from '../../security/ids.js';
import { groupCreated, groupUpdated, membershipChanged } from '../../events/scim-events.js';
import { groupRemoved, membersChanged } from '../../deprovisioning/group-changes.js';
import { groupDeletionRoleChanges, membershipRoleChanges } from '../../roles/membership-roles.js';
import { notFound } from '../errors.js';
import { applyPatch } from '../patch/apply-patch.js';
import type { MemberOp } from '../patch/types.js';
import { normalizeResource, type StoredResource } from '../resources/normalize.js';
import { project, wants, type Projection } from '../resources/projection.js';
import { renderMembers, renderResource } from '../resources/render.js';
import type { GroupRow, MemberView } from '../store/group-store.js';
import type { ListQuery } from '../store/list-query.js';
import type { ConnectionScope } from '../store/scope.js';
import { applyMemberOps } from './group-members.js';
import { checkIfMatch } from './preconditions.js';
import type { Paging } from './paging.js';
import type { ScimStorage } from './scim-storage.js';
import { VersionConflict, type Stores, type UnitOfWork } from './unit-of-work.js';
import type { Rendered } from './user-service.js';

const ALL: Projection = { exclude: [] };

/**
 * Members read per query when a group is rendered. A group with more is streamed page by page
 * (a 100,000-member group never sits in memory as one array); one with fewer is rendered whole.
 */
export const MEMBER_PAGE = 2000;

const taken = (displayName: unknown) => `A group with displayName "${String(displayName)}" already exists in this connection`;

/** Logic of the SCIM Groups endpoint. */
export class GroupService {
  private readonly writes: UnitOfWork;
  private readonly paging: Paging;

  constructor(storage: ScimStorage) {
    this.writes = storage.writes;
    this.paging = storage.paging;
  }

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
    const row = await this.writes.write(scope, taken(resource.displayName), async (stores, now) => {
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
    const stores = this.writes.reads();
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
    const stores = this.writes.reads();
    const { rows, total } = await this.paging.page(({ groups }) => groups, scope, 'Group', query);
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
    return this.writes.write(scope, () => taken(displayName), async (stores, now) => {
      const current = await stores.groups.get(scope, id, true);
      if (!current) this.notFound(id);
      checkIfMatch(ifMatch, current.version);
      const stored = JSON.parse(current.resource) as StoredResource;
      const { resource, memberOps } = change(stored);
      displayName = (resource ?? stored).displayName;
      const membership = await applyMemberOps(stores.groups, scope, id, memberOps, now);
      const membershipMoved = membership.added.length > 0 || membership.removed.length > 0;
      if (!resource && !membershipMoved) return current;
      // A membership change is a change of the group: new version, new lastModified.
      const updated = await stores.groups.update(scope, current, resource ?? stored, now);
      if (!updated) throw new VersionConflict();
      if (resource) groupUpdated(stores.events, current, updated);
      // user.updated for members whose effective roles changed; one indexed lookup unless the group has
      // mapped roles. A member losing its last mapped role may be held (src/deprovisioning/).
      const roleChanges = await membershipRoleChanges(stores, scope, id, membership.added, membership.removed);
      await membersChanged({ trx: stores.trx, events: stores.events, scope, now }, updated, membership.added, membership.removed, roleChanges);
      return updated;
    });
  }

  /** PUT: replaces the group, members included (omitted members are removed, RFC 7644 §3.5.1). */
  async replace(scope: ConnectionScope, baseUrl: string, id: string, body: unknown, ifMatch?: string): Promise<Rendered> {
    const { resource, members } = normalizeResource('Group', body);
    const row = await this.update(scope, id, ifMatch, () => ({ resource, memberOps: [{ op: 'replace', members: members ?? [] }] }));
    return { resource: await this.renderOne(this.writes.reads(), scope, baseUrl, row, ALL), version: row.version };
  }

  /**
   * PATCH: attribute changes and member row inserts/deletes, atomically. With `maxMembers`, the
   * answer leaves `members` out when the group has more than that many.
   */
  async patch(scope: ConnectionScope, baseUrl: string, id: string, body: unknown, ifMatch?: string, projection: Projection = ALL, maxMembers?: number): Promise<Rendered> {
    let displayName: unknown;
    const change = (current: StoredResource) => {
      const result = applyPatch(current, body, { resourceType: 'Group', id });
      const attributesChanged = result.changed.some((name) => name !== 'members');
      const resource = attributesChanged ? result.resource : undefined;
      displayName = (resource ?? current).displayName;
      return { resource, memberOps: result.memberOps };
    };
    // The database may make it in fewer round trips than a transaction (src/db/postgres/group-patch.ts).
    const row = await this.writes.patchGroup({
      scope,
      id,
      body,
      ifMatch,
      change,
      conflictMessage: () => taken(displayName),
      inTransaction: () => this.update(scope, id, ifMatch, change),
    });
    // Rendered from the row just written: a 204 (members excluded) reads nothing more.
    const stores = this.writes.reads();
    if (maxMembers !== undefined && wants(projection, 'Group', 'members')) {
      const members = await stores.groups.members(scope, id, { limit: maxMembers + 1 });
      const extra = members.length > maxMembers ? {} : { members: renderMembers(members, baseUrl) };
      return { resource: project(renderResource('Group', row, baseUrl, extra), 'Group', projection), version: row.version };
    }
    return { resource: await this.renderOne(stores, scope, baseUrl, row, projection), version: row.version };
  }

  async delete(scope: ConnectionScope, id: string, ifMatch?: string): Promise<void> {
    await this.writes.write(scope, '', async (stores, now) => {
      const current = await stores.groups.get(scope, id, true);
      if (!current) this.notFound(id);
      checkIfMatch(ifMatch, current.version);
      // Read before the delete cascades the group's role mappings away.
      const roleChanges = await groupDeletionRoleChanges(stores, scope, id);
      if (!(await stores.groups.delete(scope, id))) this.notFound(id);
      await groupRemoved({ trx: stores.trx, events: stores.events, scope, now }, current, roleChanges);
    });
  }
}
