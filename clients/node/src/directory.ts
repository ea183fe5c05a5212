/**
 * `rollcall.directory`: what the tenants' connections provisioned, as users and groups your app can read
 * without knowing SCIM (docs/directory-api.md). Lists are async iterators over every page.
 */
import type { ApiClient } from './api-client.js';
import type { Json, Query, RequestBody } from './operations.js';
import { cursorPaged } from './pagination.js';

/** A user with its groups and effective roles (`GET /api/v1/users/{id}`). */
export type DirectoryUser = Json<'/api/v1/users/{id}', 'get'>;
/** A user as the tenant and connection lists give it. */
export type DirectoryUserItem = Json<'/api/v1/tenants/{tenantId}/users', 'get'>['items'][number];
/** A group with its member count (`GET /api/v1/groups/{id}`). */
export type DirectoryGroup = Json<'/api/v1/groups/{id}', 'get'>;
/** A group as the tenant and connection lists give it. */
export type DirectoryGroupItem = Json<'/api/v1/tenants/{tenantId}/groups', 'get'>['items'][number];
/** A direct member of a group: a user or a nested group. */
export type GroupMember = Json<'/api/v1/groups/{id}/members', 'get'>['items'][number];
/** A connection of a tenant with its counts and health (`GET /api/v1/tenants/{tenantId}/connections`). */
export type ConnectionOverview = Json<'/api/v1/tenants/{tenantId}/connections', 'get'>['items'][number];

/** `ids` as the API takes it (comma-separated), or as an array. */
type IdsFilter = { ids?: string | readonly string[] };
/** Filters of a user list; `limit` is the page size (1–500). */
export type UserFilters = Omit<Query<'/api/v1/tenants/{tenantId}/users', 'get'>, 'cursor' | 'ids'> & IdsFilter;
/** Filters of a group list; `limit` is the page size (1–500). */
export type GroupFilters = Omit<Query<'/api/v1/tenants/{tenantId}/groups', 'get'>, 'cursor' | 'ids'> & IdsFilter;
/** Filters of a connection's user list. */
export type ConnectionUserFilters = Omit<Query<'/api/v1/connections/{id}/users', 'get'>, 'cursor' | 'ids'> & IdsFilter;
/** Filters of a connection's group list. */
export type ConnectionGroupFilters = Omit<Query<'/api/v1/connections/{id}/groups', 'get'>, 'cursor' | 'ids'> & IdsFilter;
/** What `purgeDetached` removes: every detached resource of the tenant, or of one former connection. */
export type PurgeDetachedBody = NonNullable<RequestBody<'/api/v1/tenants/{tenantId}/detached/purge', 'post'>>;

/** The filters with `ids` joined as the API takes it. */
function withIds<F extends IdsFilter>(filters: F): Omit<F, 'ids'> & { ids?: string } {
  const { ids, ...rest } = filters;
  return { ...rest, ids: typeof ids === 'string' || ids === undefined ? ids : ids.join(',') };
}

/** Reads and tidies the directory. */
export class Directory {
  constructor(private readonly api: ApiClient) {}

  /** Every user of the tenant (its syncing connections' and detached ones), page by page. */
  users(tenantId: string, filters: UserFilters = {}): AsyncGenerator<DirectoryUserItem, void, undefined> {
    const query = withIds(filters);
    return cursorPaged((cursor) => this.api.call('listTenantUsers', { path: { tenantId }, query: { ...query, cursor } }));
  }

  /** Every group of the tenant, page by page. */
  groups(tenantId: string, filters: GroupFilters = {}): AsyncGenerator<DirectoryGroupItem, void, undefined> {
    const query = withIds(filters);
    return cursorPaged((cursor) => this.api.call('listTenantGroups', { path: { tenantId }, query: { ...query, cursor } }));
  }

  /** One user, with its groups and roles. */
  user(id: string): Promise<DirectoryUser> {
    return this.api.call('getUser', { path: { id } });
  }

  /** One group, with its member count. */
  group(id: string): Promise<DirectoryGroup> {
    return this.api.call('getGroup', { path: { id } });
  }

  /** Every direct member of a group (users and nested groups), page by page. */
  members(groupId: string, options: { limit?: number } = {}): AsyncGenerator<GroupMember, void, undefined> {
    return cursorPaged((cursor) => this.api.call('listGroupMembers', { path: { id: groupId }, query: { limit: options.limit, cursor } }));
  }

  /** Every user of one connection, a staging one included, page by page. */
  connectionUsers(connectionId: string, filters: ConnectionUserFilters = {}): AsyncGenerator<DirectoryUserItem, void, undefined> {
    const query = withIds(filters);
    return cursorPaged((cursor) => this.api.call('listConnectionUsers', { path: { id: connectionId }, query: { ...query, cursor } }));
  }

  /** Every group of one connection, page by page. */
  connectionGroups(connectionId: string, filters: ConnectionGroupFilters = {}): AsyncGenerator<DirectoryGroupItem, void, undefined> {
    const query = withIds(filters);
    return cursorPaged((cursor) => this.api.call('listConnectionGroups', { path: { id: connectionId }, query: { ...query, cursor } }));
  }

  /** Deletes a detached user (a live one belongs to its identity provider: RollcallConflictError). */
  async deleteUser(id: string): Promise<void> {
    await this.api.call('deleteUser', { path: { id } });
  }

  /** Deletes a detached group. */
  async deleteGroup(id: string): Promise<void> {
    await this.api.call('deleteGroup', { path: { id } });
  }

  /** Deletes the tenant's detached users and groups, or one former connection's; answers the counts. */
  purgeDetached(tenantId: string, body: PurgeDetachedBody = {}): Promise<Json<'/api/v1/tenants/{tenantId}/detached/purge', 'post'>> {
    return this.api.call('purgeDetached', { path: { tenantId }, body });
  }

  /** The tenant's connections, newest first, with their user and group counts and health. */
  async tenantConnections(tenantId: string): Promise<ConnectionOverview[]> {
    return (await this.api.call('listTenantConnections', { path: { tenantId } })).items;
  }
}
