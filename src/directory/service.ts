/**
 * The directory API's logic: what provisioning put in Rollcall, read in the normalised shape, and
 * the removal of detached data. The tenant directory shows connections that sync to user
 * management plus detached data; a connection's own lists show its data whatever that flag says.
 */
import { AttributeStore } from '../attributes/store.js';
import { activeAttributes } from '../attributes/catalogue.js';
import { resolveManagers, type ManagerReference } from '../attributes/manager-store.js';
import { filterable, normalizeFilterValue } from '../attributes/value-index.js';
import type { Db } from '../db/open.js';
import { conflict, notFound, validationFailed } from '../http/api-errors.js';
import { RoleService } from '../roles/service.js';
import { decodeCursor, encodeCursor, type CursorKind, type Position } from './cursor.js';
import { DetachedRemoval, type PurgeResult } from './removal.js';
import { containsPattern, userMatchesInMemory } from './search.js';
import { AppView } from '../deprovisioning/app-view.js';
import { managerValue, toDirectoryGroup, toDirectoryUser, type DirectoryGroup, type DirectoryUser } from './shape.js';
import { DirectoryStore, type AttributeMatch, type GroupRow, type ListScope, type UserFilter, type UserRow } from './store.js';

/** A page of a list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Paging and filters of the user and group lists, as the routes pass them. */
export interface ListParams {
  cursor?: string;
  limit: number;
  connectionId?: string;
  /** Users only. */
  active?: boolean;
  /** Users only; case-insensitive. */
  email?: string;
  /** An RFC 3339 date-time: resources updated at or after it. */
  updatedSince?: string;
  /** Text search, case-insensitive, anywhere in the name fields, externalId and (users) primary email. */
  q?: string;
  /** Comma-separated ids: only these resources (at most MAX_IDS). */
  ids?: string;
  /** Users only: `attributes.<key>` query parameters, a mapped attribute's value each. */
  [attribute: `attributes.${string}`]: string | undefined;
}

/** How many ids one list request may name. */
export const MAX_IDS = 100;
/** How many `attributes.<key>` filters one list request may have. */
export const MAX_ATTRIBUTE_FILTERS = 5;

/** A group with its direct member count, as the group lists and GET /api/v1/groups/{id} return it. */
export type DirectoryGroupDetail = DirectoryGroup & { memberCount: number };

/** A member of a group: a user, or a nested group, marked by `type`. */
export type DirectoryMember = ({ type: 'user' } & DirectoryUser) | ({ type: 'group' } & DirectoryGroup);

/** Stored timestamps are ISO-8601 UTC with milliseconds; any RFC 3339 input is brought to that form so text comparison is correct. */
function storedInstant(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw validationFailed('querystring.updatedSince must be an RFC 3339 date-time', 'querystring.updatedSince');
  return new Date(time).toISOString();
}

const searchPattern = (q: string | undefined) => (q === undefined ? undefined : containsPattern(q));

/** `ids=a,b,c` as a list of distinct ids; 400 when it names none or more than MAX_IDS. */
function idList(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const ids = [...new Set(raw.split(',').map((id) => id.trim()).filter(Boolean))];
  if (ids.length === 0) throw validationFailed('querystring.ids must name at least one id', 'querystring.ids');
  if (ids.length > MAX_IDS) throw validationFailed(`querystring.ids names ${ids.length} ids; at most ${MAX_IDS}`, 'querystring.ids');
  const long = ids.find((id) => id.length > 64);
  if (long !== undefined) throw validationFailed('querystring.ids has an id longer than 64 characters', 'querystring.ids');
  return ids;
}

function position(kind: CursorKind, cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  const decoded = decodeCursor(kind, cursor);
  if (!decoded) throw validationFailed(`querystring.cursor is not a cursor this API returned for a list of ${kind}`, 'querystring.cursor');
  return decoded;
}

/** Splits a `limit + 1` fetch into the page and whether more follow. */
function pageOf<R>(rows: R[], limit: number): { rows: R[]; last: R | undefined } {
  if (rows.length <= limit) return { rows, last: undefined };
  const page = rows.slice(0, limit);
  return { rows: page, last: page.at(-1) };
}

const keyOf = (row: { created_at: string; id: string }): Position => ({ createdAt: row.created_at, id: row.id });
/** The keyset order of pages: (created_at, id), compared as the database compares text. */
const compareKeys = (a: Position, b: Position): number => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Rows read per query when a whole list is answered at once. */
const ALL_GROUPS_BATCH = 1000;

/** Logic of the directory domain. */
export class DirectoryService {
  private readonly store: DirectoryStore;
  private readonly removal: DetachedRemoval;
  private readonly roles: RoleService;
  /** Where the app's view differs from the SCIM rows: held and discarded changes (src/deprovisioning). */
  private readonly appView: AppView;

  constructor(private readonly db: Db) {
    this.store = new DirectoryStore(db.kysely);
    this.removal = new DetachedRemoval(db);
    this.roles = new RoleService(db);
    this.appView = new AppView(db.kysely);
  }

  private async requireTenant(tenantId: string): Promise<void> {
    if (!(await this.store.tenantExists(tenantId))) throw notFound(`Tenant "${tenantId}" not found`);
  }

  private async connectionScope(connectionId: string): Promise<ListScope> {
    const connection = await this.store.findConnection(connectionId);
    if (!connection) throw notFound(`SCIM configuration "${connectionId}" not found`);
    return { tenantId: connection.tenant_id, connectionId: connection.id, directoryOnly: false };
  }

  /** Adds each user's direct groups and effective roles (the default role plus its groups' roles), and resolves managers. */
  private async withGroups(tenantId: string, scimRows: readonly UserRow[]): Promise<DirectoryUser[]> {
    const { rows, kept } = await this.appView.users(tenantId, scimRows);
    const ids = rows.map((r) => r.id);
    const [groups, roles, managers] = await Promise.all([this.store.groupsOfUsers(tenantId, ids), this.roles.effectiveRoles(tenantId, ids), this.managers(tenantId, rows)]);
    return rows.map((row) => {
      const user = { ...toDirectoryUser(row, undefined, managers.get(row.connection_id)), groups: groups.get(row.id) ?? [], roles: roles.get(row.id) ?? [] };
      const keptGroups = kept.groups.get(row.id)?.filter((g) => !user.groups.some((own) => own.id === g.id));
      if (keptGroups?.length) user.groups = [...user.groups, ...keptGroups];
      const keptRoles = kept.roles.get(row.id);
      if (keptRoles?.length) user.roles = [...new Set([...user.roles, ...keptRoles])].sort();
      return user;
    });
  }

  /** The managers the rows' `manager` attributes name, resolved per connection (src/attributes/manager-store.ts). */
  private async managers(tenantId: string, rows: readonly UserRow[]): Promise<Map<string, Map<string, ManagerReference>>> {
    const byConnection = new Map<string, string[]>();
    for (const row of rows) {
      const value = managerValue(row);
      if (value === undefined) continue;
      const values = byConnection.get(row.connection_id);
      if (values) values.push(value);
      else byConnection.set(row.connection_id, [value]);
    }
    const out = new Map<string, Map<string, ManagerReference>>();
    for (const [connectionId, values] of byConnection) out.set(connectionId, await resolveManagers(this.db.kysely, tenantId, connectionId, values));
    return out;
  }

  /** The `attributes.<key>=<value>` parameters as index lookups; 400 for an attribute that is not on or cannot be filtered. */
  private async attributeFilters(params: ListParams): Promise<AttributeMatch[] | undefined> {
    const wanted = Object.entries(params).filter(([name]) => name.startsWith('attributes.'));
    if (wanted.length === 0) return undefined;
    if (wanted.length > MAX_ATTRIBUTE_FILTERS) throw validationFailed(`At most ${MAX_ATTRIBUTE_FILTERS} attributes.<key> filters`, 'querystring');
    const catalogue = await new AttributeStore(this.db.kysely).catalogue();
    const types = new Map(activeAttributes(catalogue).map((a) => [a.key, a.type]));
    return wanted.map(([name, raw]) => {
      const key = name.slice('attributes.'.length);
      const field = `querystring.${name}`;
      const type = types.get(key);
      if (type === undefined) throw validationFailed(`"${key}" is not an attribute of the catalogue that is on`, field);
      if (!filterable(type)) throw validationFailed(`"${key}" (${type}) cannot be filtered by`, field);
      const value = normalizeFilterValue(type, String(raw));
      if (value === undefined) throw validationFailed(`${field} is not a value of "${key}" (${type})`, field);
      return { key, value };
    });
  }

  private async userPage(scope: ListScope, params: ListParams): Promise<Page<DirectoryUser>> {
    const filter = {
      active: params.active,
      email: params.email?.toLowerCase(),
      updatedSince: storedInstant(params.updatedSince),
      search: searchPattern(params.q),
      ids: idList(params.ids),
      attributes: await this.attributeFilters(params),
    };
    const after = position('users', params.cursor);
    if (await this.appView.differs(scope.tenantId, scope.connectionId)) return this.userPageAsAppSees(scope, filter, after, params);
    const fetched = await this.store.listUsers(scope, filter, { after, limit: params.limit + 1 });
    const { rows, last } = pageOf(fetched, params.limit);
    return { items: await this.withGroups(scope.tenantId, rows), nextCursor: last ? encodeCursor('users', keyOf(last)) : null };
  }

  /**
   * A page of users where the app's view differs from the SCIM rows (src/deprovisioning): rows kept
   * active, and users the IdP deleted whom the app still sees, merged in (created_at, id) order.
   * Each source is read one row past the page; the page ends where either source's known rows end.
   */
  private async userPageAsAppSees(scope: ListScope, filter: UserFilter, after: Position | undefined, params: ListParams): Promise<Page<DirectoryUser>> {
    const { limit } = params;
    // A row kept active by the app matches active=true although its SCIM row is inactive.
    const [scimRows, deleted] = await Promise.all([
      this.store.listUsers(scope, { ...filter, active: undefined, activeOrFlagged: filter.active }, { after, limit: limit + 1 }),
      this.appView.deletedUsers(scope.tenantId, scope.connectionId, after, limit + 1),
    ]);
    const known = [scimRows, deleted].filter((rows) => rows.length > limit).map((rows) => keyOf(rows[limit - 1]));
    const bound = known.sort(compareKeys)[0];
    const { rows: seen } = await this.appView.users(scope.tenantId, [...scimRows.slice(0, limit), ...deleted.slice(0, limit).filter((row) => userMatchesInMemory(row, filter, params.q))]);
    const candidates = seen
      .filter((row) => filter.active === undefined || (row.active === 1) === filter.active)
      .filter((row) => bound === undefined || compareKeys(keyOf(row), bound) <= 0)
      .sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
    const page = candidates.slice(0, limit);
    const next = candidates.length > limit ? keyOf(page.at(-1)!) : bound;
    return { items: await this.withGroups(scope.tenantId, page), nextCursor: next ? encodeCursor('users', next) : null };
  }

  private async groupPage(scope: ListScope, params: ListParams): Promise<Page<DirectoryGroupDetail>> {
    const filter = { updatedSince: storedInstant(params.updatedSince), search: searchPattern(params.q), ids: idList(params.ids) };
    const fetched = await this.store.listGroups(scope, filter, { after: position('groups', params.cursor), limit: params.limit + 1 });
    const { rows, last } = pageOf(fetched, params.limit);
    const counts = await this.memberCounts(scope.tenantId, rows.map((row) => row.id));
    return { items: rows.map((row) => ({ ...toDirectoryGroup(row), memberCount: counts.get(row.id) ?? 0 })), nextCursor: last ? encodeCursor('groups', keyOf(last)) : null };
  }

  async tenantUsers(tenantId: string, params: ListParams): Promise<Page<DirectoryUser>> {
    await this.requireTenant(tenantId);
    return this.userPage({ tenantId, connectionId: params.connectionId, directoryOnly: true }, params);
  }

  async tenantGroups(tenantId: string, params: ListParams): Promise<Page<DirectoryGroupDetail>> {
    await this.requireTenant(tenantId);
    return this.groupPage({ tenantId, connectionId: params.connectionId, directoryOnly: true }, params);
  }

  /**
   * Every group of the tenant directory, in creation order, read page by page (Frontegg's groups
   * API answers with all of them). An unknown tenant has none.
   */
  async allTenantGroups(tenantId: string): Promise<DirectoryGroup[]> {
    const out: DirectoryGroup[] = [];
    const scope: ListScope = { tenantId, directoryOnly: true };
    let after: Position | undefined;
    for (;;) {
      const rows = await this.store.listGroups(scope, {}, { after, limit: ALL_GROUPS_BATCH });
      out.push(...rows.map(toDirectoryGroup));
      if (rows.length < ALL_GROUPS_BATCH) return out;
      after = keyOf(rows.at(-1)!);
    }
  }

  /** A group of the tenant directory; another tenant's, or a staging connection's, is a 404. */
  async tenantGroup(tenantId: string, id: string): Promise<DirectoryGroup> {
    const row = await this.store.findDirectoryGroup(tenantId, id);
    if (!row) throw notFound(`Group "${id}" not found`);
    return toDirectoryGroup(row);
  }

  /** The user members of each of these groups of the tenant (groups without any are absent). */
  async userMembersOf(tenantId: string, groupIds: readonly string[]): Promise<Map<string, DirectoryUser[]>> {
    const out = new Map<string, DirectoryUser[]>();
    for (const { group_id: groupId, ...row } of await this.store.userMembersOf(tenantId, groupIds)) {
      const users = out.get(groupId);
      if (users) users.push(toDirectoryUser(row));
      else out.set(groupId, [toDirectoryUser(row)]);
    }
    return out;
  }

  async connectionUsers(connectionId: string, params: ListParams): Promise<Page<DirectoryUser>> {
    return this.userPage(await this.connectionScope(connectionId), params);
  }

  async connectionGroups(connectionId: string, params: ListParams): Promise<Page<DirectoryGroupDetail>> {
    return this.groupPage(await this.connectionScope(connectionId), params);
  }

  private async requireUser(id: string): Promise<UserRow> {
    const row = (await this.store.findUser(id)) ?? (await this.appView.deletedUser(id));
    if (!row) throw notFound(`User "${id}" not found`);
    return row;
  }

  private async requireGroup(id: string): Promise<GroupRow> {
    const row = await this.store.findGroup(id);
    if (!row) throw notFound(`Group "${id}" not found`);
    return row;
  }

  async user(id: string): Promise<DirectoryUser> {
    const row = await this.requireUser(id);
    const [user] = await this.withGroups(row.tenant_id, [row]);
    return user;
  }

  async group(id: string): Promise<DirectoryGroupDetail> {
    const row = await this.requireGroup(id);
    const counts = await this.memberCounts(row.tenant_id, [row.id]);
    return { ...toDirectoryGroup(row), memberCount: counts.get(row.id) ?? 0 };
  }

  /**
   * A page of a group's direct members, users and nested groups, in member id order. Users the app
   * keeps in the group while a change that removed them is held or was discarded are members here.
   */
  async members(groupId: string, params: { cursor?: string; limit: number }): Promise<Page<DirectoryMember>> {
    const group = await this.requireGroup(groupId);
    const after = position('members', params.cursor);
    const [fetched, kept] = await Promise.all([this.store.members(group.tenant_id, group.id, after?.id, params.limit + 1), this.appView.keptMembers(group.tenant_id, [group.id])]);
    const bound = fetched.length > params.limit ? fetched[params.limit - 1].memberId : undefined;
    const own = new Set(fetched.map((m) => m.memberId));
    const keptRefs = (kept.get(group.id) ?? [])
      .filter((id) => !own.has(id) && (after === undefined || id > after.id) && (bound === undefined || id <= bound))
      .map((id) => ({ memberId: id, memberType: 'User' }));
    const candidates = [...fetched.slice(0, params.limit), ...keptRefs].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
    const rows = candidates.slice(0, params.limit);
    const last = candidates.length > params.limit ? rows.at(-1)!.memberId : bound;
    const userIds = rows.filter((m) => m.memberType === 'User').map((m) => m.memberId);
    const groupIds = rows.filter((m) => m.memberType === 'Group').map((m) => m.memberId);
    const found = await this.store.usersByIds(group.tenant_id, userIds);
    const deleted = await Promise.all(userIds.filter((id) => !found.some((u) => u.id === id)).map((id) => this.appView.deletedUser(id, group.tenant_id)));
    const userRows = [...found, ...deleted.filter((u): u is UserRow => u !== undefined)];
    const users = new Map((await this.withGroups(group.tenant_id, userRows)).map((u) => [u.id, u]));
    const groups = new Map((await this.store.groupsByIds(group.tenant_id, groupIds)).map((g) => [g.id, toDirectoryGroup(g)]));
    const items: DirectoryMember[] = [];
    for (const m of rows) {
      const user = users.get(m.memberId);
      const nested = groups.get(m.memberId);
      if (user) items.push({ type: 'user', ...user });
      else if (nested) items.push({ type: 'group', ...nested });
    }
    return { items, nextCursor: last !== undefined ? encodeCursor('members', { createdAt: '', id: last }) : null };
  }

  /** Each group's member count as the app sees it: its members, and the users it keeps (src/deprovisioning). */
  private async memberCounts(tenantId: string, groupIds: readonly string[]): Promise<Map<string, number>> {
    const [counts, kept] = await Promise.all([this.store.memberCounts(tenantId, groupIds), this.appView.keptMembers(tenantId, groupIds)]);
    for (const [id, users] of kept) counts.set(id, (counts.get(id) ?? 0) + users.length);
    return counts;
  }

  /** Deletes a detached user. A live one belongs to its identity provider: 409. */
  async deleteUser(id: string): Promise<void> {
    const row = await this.requireUser(id);
    if (row.detached !== 1) {
      throw conflict(
        `User "${id}" is provisioned by the live SCIM configuration "${row.connection_id}": deprovision it in the identity provider, or delete the configuration first. Only detached users can be deleted here.`,
      );
    }
    if (!(await this.removal.deleteUser(row.tenant_id, id))) throw notFound(`User "${id}" not found`);
  }

  /** Deletes a detached group. A live one belongs to its identity provider: 409. */
  async deleteGroup(id: string): Promise<void> {
    const row = await this.requireGroup(id);
    if (row.detached !== 1) {
      throw conflict(
        `Group "${id}" is provisioned by the live SCIM configuration "${row.connection_id}": delete it in the identity provider, or delete the configuration first. Only detached groups can be deleted here.`,
      );
    }
    if (!(await this.removal.deleteGroup(row.tenant_id, id))) throw notFound(`Group "${id}" not found`);
  }

  /** Deletes the tenant's detached users and groups (only one former connection's if given). */
  async purgeDetached(tenantId: string, connectionId: string | undefined): Promise<PurgeResult> {
    await this.requireTenant(tenantId);
    return this.removal.purge(tenantId, connectionId);
  }
}
