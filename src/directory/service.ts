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
import { containsPattern } from './search.js';
import { managerValue, toDirectoryGroup, toDirectoryUser, type DirectoryGroup, type DirectoryUser } from './shape.js';
import { DirectoryStore, type AttributeMatch, type GroupRow, type ListScope, type UserRow } from './store.js';

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

/** Rows read per query when a whole list is answered at once. */
const ALL_GROUPS_BATCH = 1000;

/** Logic of the directory domain. */
export class DirectoryService {
  private readonly store: DirectoryStore;
  private readonly removal: DetachedRemoval;
  private readonly roles: RoleService;

  constructor(private readonly db: Db) {
    this.store = new DirectoryStore(db.kysely);
    this.removal = new DetachedRemoval(db);
    this.roles = new RoleService(db);
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
  private async withGroups(tenantId: string, rows: readonly UserRow[]): Promise<DirectoryUser[]> {
    const ids = rows.map((r) => r.id);
    const [groups, roles, managers] = await Promise.all([this.store.groupsOfUsers(tenantId, ids), this.roles.effectiveRoles(tenantId, ids), this.managers(tenantId, rows)]);
    return rows.map((row) => ({ ...toDirectoryUser(row, undefined, managers.get(row.connection_id)), groups: groups.get(row.id) ?? [], roles: roles.get(row.id) ?? [] }));
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
    const fetched = await this.store.listUsers(scope, filter, { after: position('users', params.cursor), limit: params.limit + 1 });
    const { rows, last } = pageOf(fetched, params.limit);
    return { items: await this.withGroups(scope.tenantId, rows), nextCursor: last ? encodeCursor('users', keyOf(last)) : null };
  }

  private async groupPage(scope: ListScope, params: ListParams): Promise<Page<DirectoryGroupDetail>> {
    const filter = { updatedSince: storedInstant(params.updatedSince), search: searchPattern(params.q), ids: idList(params.ids) };
    const fetched = await this.store.listGroups(scope, filter, { after: position('groups', params.cursor), limit: params.limit + 1 });
    const { rows, last } = pageOf(fetched, params.limit);
    const counts = await this.store.memberCounts(scope.tenantId, rows.map((row) => row.id));
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
    const row = await this.store.findUser(id);
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
    const counts = await this.store.memberCounts(row.tenant_id, [row.id]);
    return { ...toDirectoryGroup(row), memberCount: counts.get(row.id) ?? 0 };
  }

  /** A page of a group's direct members, users and nested groups, in member id order. */
  async members(groupId: string, params: { cursor?: string; limit: number }): Promise<Page<DirectoryMember>> {
    const group = await this.requireGroup(groupId);
    const after = position('members', params.cursor);
    const fetched = await this.store.members(group.tenant_id, group.id, after?.id, params.limit + 1);
    const { rows, last } = pageOf(fetched, params.limit);
    const userIds = rows.filter((m) => m.memberType === 'User').map((m) => m.memberId);
    const groupIds = rows.filter((m) => m.memberType === 'Group').map((m) => m.memberId);
    const users = new Map((await this.withGroups(group.tenant_id, await this.store.usersByIds(group.tenant_id, userIds))).map((u) => [u.id, u]));
    const groups = new Map((await this.store.groupsByIds(group.tenant_id, groupIds)).map((g) => [g.id, toDirectoryGroup(g)]));
    const items: DirectoryMember[] = [];
    for (const m of rows) {
      const user = users.get(m.memberId);
      const nested = groups.get(m.memberId);
      if (user) items.push({ type: 'user', ...user });
      else if (nested) items.push({ type: 'group', ...nested });
    }
    return { items, nextCursor: last ? encodeCursor('members', { createdAt: '', id: last.memberId }) : null };
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
