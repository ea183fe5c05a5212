/**
 * Storage of the directory API: keyset-paged reads across a tenant's connections, and removal of
 * detached users and groups. The tenant is part of every query except the primary-key lookups that
 * find a resource's tenant in the first place.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Database, ScimGroupsTable, ScimUsersTable } from '../db/tables.js';
import { chunks } from '../scim/store/scope.js';
import type { Position } from './cursor.js';
import { groupMatches, userMatches } from './search.js';

export type UserRow = Selectable<ScimUsersTable>;
export type GroupRow = Selectable<ScimGroupsTable>;

/** Which resources a list covers. */
export interface ListScope {
  tenantId: string;
  /** Only this connection's (or former connection's) resources. */
  connectionId?: string;
  /** The tenant directory: resources of connections that sync to user management, and detached ones. */
  directoryOnly: boolean;
}

/** Filters of the user list; all optional, combined with AND. */
export interface UserFilter {
  active?: boolean;
  /**
   * Users with this `active`, and users whose app view differs (`app_view`), whatever their row says:
   * the caller reads those as the app sees them and filters again (src/deprovisioning/app-view.ts).
   */
  activeOrFlagged?: boolean;
  /** Lower-cased: compared with `email_norm`. */
  email?: string;
  /** An instant as stored (ISO-8601 UTC with milliseconds). */
  updatedSince?: string;
  /** A LIKE pattern from `containsPattern` (src/directory/search.ts). */
  search?: string;
  /** Only these ids. */
  ids?: readonly string[];
  /** Only users with these mapped values (src/attributes/value-index.ts), all of them. */
  attributes?: readonly AttributeMatch[];
}

/** A mapped attribute's value as the index holds it. */
export interface AttributeMatch {
  key: string;
  /** Normalised: src/attributes/value-index.ts. */
  value: string;
}

/** Filters of the group list. */
export interface GroupFilter {
  updatedSince?: string;
  /** A LIKE pattern from `containsPattern` (src/directory/search.ts). */
  search?: string;
  /** Only these ids. */
  ids?: readonly string[];
}

/** One page request: rows strictly after `after`, at most `limit`. */
export interface PageRequest {
  after?: Position;
  limit: number;
}

/** A membership row as the members list reads it. */
export interface MemberRef {
  memberId: string;
  memberType: string;
}

/** A group a user belongs to directly. */
export interface GroupRef {
  id: string;
  displayName: string;
}

/** Both resource tables have these columns; the list conditions only use them. */
type ResourceTable = 'scim_users' | 'scim_groups';
type CommonBuilder = ExpressionBuilder<Database, ResourceTable>;

/**
 * The WHERE of a user or group list. Typed over both tables, which share every column used here;
 * callers pass their single-table builder through `common()`.
 */
function listConditions(eb: CommonBuilder, scope: ListScope, updatedSince: string | undefined, after: Position | undefined): Expression<SqlBool> {
  const terms: Expression<SqlBool>[] = [eb('tenant_id', '=', scope.tenantId)];
  if (scope.connectionId !== undefined) terms.push(eb('connection_id', '=', scope.connectionId));
  if (scope.directoryOnly) {
    // A staging connection (syncToUserManagement off) keeps its data out of the tenant directory;
    // detached data has no connection any more and stays visible until removed by hand.
    const synced = eb.selectFrom('connections').select('connections.id').where('connections.tenant_id', '=', scope.tenantId).where('connections.sync_to_user_management', '=', 1);
    terms.push(eb.or([eb('detached', '=', 1), eb('connection_id', 'in', synced)]));
  }
  if (updatedSince !== undefined) terms.push(eb('updated_at', '>=', updatedSince));
  // Keyset: (created_at, id) never change, so rows cannot move between pages.
  if (after) terms.push(eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt, after.id)));
  return eb.and(terms);
}

const common = <TB extends ResourceTable>(eb: ExpressionBuilder<Database, TB>) => eb as unknown as CommonBuilder;

/** `detached = 1` as a literal, so the partial indexes of migration 0003 apply on both engines. */
const DETACHED = sql.lit(1);

/** Storage port of the directory domain; construct one per transaction for writes. */
export class DirectoryStore {
  constructor(private readonly db: Kysely<Database>) {}

  async tenantExists(tenantId: string): Promise<boolean> {
    return (await this.db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst()) !== undefined;
  }

  findConnection(id: string): Promise<{ id: string; tenant_id: string } | undefined> {
    return this.db.selectFrom('connections').select(['id', 'tenant_id']).where('id', '=', id).executeTakeFirst();
  }

  findUser(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('scim_users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findGroup(id: string): Promise<GroupRow | undefined> {
    return this.db.selectFrom('scim_groups').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listUsers(scope: ListScope, filter: UserFilter, page: PageRequest): Promise<UserRow[]> {
    if (filter.attributes !== undefined && filter.attributes.length > 0) return this.listUsersByAttributes(scope, filter, filter.attributes, page);
    let query = this.db
      .selectFrom('scim_users')
      .selectAll()
      .where((eb) => listConditions(common(eb), scope, filter.updatedSince, page.after));
    if (filter.active !== undefined) query = query.where('active', '=', filter.active ? 1 : 0);
    if (filter.activeOrFlagged !== undefined) query = query.where((eb) => eb.or([eb('active', '=', filter.activeOrFlagged ? 1 : 0), eb('app_view', '=', 1)]));
    if (filter.email !== undefined) query = query.where('email_norm', '=', filter.email);
    if (filter.search !== undefined) query = query.where((eb) => userMatches(eb, filter.search!));
    if (filter.ids !== undefined) query = query.where('id', 'in', [...filter.ids]);
    return query.orderBy('created_at').orderBy('id').limit(page.limit).execute();
  }

  /**
   * Users with mapped values: the first value's index rows are walked in page order (created_at, id —
   * the index holds the user's created_at) and joined to their users, so a page costs its rows
   * whatever the tenant's size; further values are checked per row. The index rows come as a derived
   * table with their own column names, so the list conditions name only the users' columns.
   */
  private listUsersByAttributes(scope: ListScope, filter: UserFilter, [first, ...rest]: readonly AttributeMatch[], page: PageRequest): Promise<UserRow[]> {
    let matches = this.db
      .selectFrom('scim_user_attribute_values')
      .select(['user_id as av_user', 'created_at as av_created'])
      .where('tenant_id', '=', scope.tenantId)
      .where('attr_key', '=', first.key)
      .where('value_norm', '=', first.value);
    if (page.after) matches = matches.where((eb) => eb(eb.refTuple('created_at', 'user_id'), '>', eb.tuple(page.after!.createdAt, page.after!.id)));
    let query = this.db
      .selectFrom(matches.as('av'))
      .innerJoin('scim_users', 'scim_users.id', 'av.av_user')
      .selectAll('scim_users')
      .where((eb) => listConditions(common(eb as unknown as ExpressionBuilder<Database, 'scim_users'>), scope, filter.updatedSince, undefined));
    for (const match of rest) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('scim_user_attribute_values as more')
            .select('more.user_id')
            .whereRef('more.user_id', '=', 'scim_users.id')
            .where('more.attr_key', '=', match.key)
            .where('more.value_norm', '=', match.value),
        ),
      );
    }
    if (filter.active !== undefined) query = query.where('scim_users.active', '=', filter.active ? 1 : 0);
    if (filter.activeOrFlagged !== undefined) query = query.where((eb) => eb.or([eb('scim_users.active', '=', filter.activeOrFlagged ? 1 : 0), eb('scim_users.app_view', '=', 1)]));
    if (filter.email !== undefined) query = query.where('scim_users.email_norm', '=', filter.email);
    if (filter.search !== undefined) query = query.where((eb) => userMatches(eb as unknown as ExpressionBuilder<Database, 'scim_users'>, filter.search!));
    if (filter.ids !== undefined) query = query.where('scim_users.id', 'in', [...filter.ids]);
    return query.orderBy('av.av_created').orderBy('av.av_user').limit(page.limit).execute();
  }

  listGroups(scope: ListScope, filter: GroupFilter, page: PageRequest): Promise<GroupRow[]> {
    let query = this.db
      .selectFrom('scim_groups')
      .selectAll()
      .where((eb) => listConditions(common(eb), scope, filter.updatedSince, page.after));
    if (filter.search !== undefined) query = query.where((eb) => groupMatches(eb, filter.search!));
    if (filter.ids !== undefined) query = query.where('id', 'in', [...filter.ids]);
    return query.orderBy('created_at').orderBy('id').limit(page.limit).execute();
  }

  /** The group if it shows in the tenant directory (see `ListScope.directoryOnly`). */
  findDirectoryGroup(tenantId: string, id: string): Promise<GroupRow | undefined> {
    return this.db
      .selectFrom('scim_groups')
      .selectAll()
      .where((eb) => listConditions(common(eb), { tenantId, directoryOnly: true }, undefined, undefined))
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** The user members of each of these groups of the tenant, with the group they belong to. */
  async userMembersOf(tenantId: string, groupIds: readonly string[]): Promise<(UserRow & { group_id: string })[]> {
    const rows: (UserRow & { group_id: string })[] = [];
    for (const part of chunks([...new Set(groupIds)], 500)) {
      rows.push(
        ...(await this.db
          .selectFrom('scim_group_members as m')
          .innerJoin('scim_users as u', 'u.id', 'm.member_id')
          .selectAll('u')
          .select('m.group_id')
          .where('m.tenant_id', '=', tenantId)
          .where('u.tenant_id', '=', tenantId)
          .where('m.member_type', '=', 'User')
          .where('m.group_id', 'in', part)
          .orderBy('m.group_id')
          .orderBy('u.id')
          .execute()),
      );
    }
    return rows;
  }

  /**
   * How many direct members (users and nested groups) each of these groups of the tenant has, from
   * the counts triggers keep (migration 0017): one primary-key read per group, whatever its size.
   * A group without members may have no count row: 0.
   */
  async memberCounts(tenantId: string, groupIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>(groupIds.map((id) => [id, 0]));
    for (const part of chunks([...new Set(groupIds)], 500)) {
      const rows = await this.db.selectFrom('scim_member_counts').select(['group_id', 'n']).where('tenant_id', '=', tenantId).where('group_id', 'in', part).execute();
      for (const row of rows) out.set(row.group_id, Number(row.n));
    }
    return out;
  }

  /** Membership rows of a group, by member id (the primary key's order), after `afterId`. */
  members(tenantId: string, groupId: string, afterId: string | undefined, limit: number): Promise<MemberRef[]> {
    let query = this.db
      .selectFrom('scim_group_members')
      .select(['member_id as memberId', 'member_type as memberType'])
      .where('tenant_id', '=', tenantId)
      .where('group_id', '=', groupId);
    if (afterId !== undefined) query = query.where('member_id', '>', afterId);
    return query.orderBy('member_id').limit(limit).execute();
  }

  async usersByIds(tenantId: string, ids: readonly string[]): Promise<UserRow[]> {
    const rows: UserRow[] = [];
    for (const part of chunks(ids, 500)) {
      rows.push(...(await this.db.selectFrom('scim_users').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', part).execute()));
    }
    return rows;
  }

  async groupsByIds(tenantId: string, ids: readonly string[]): Promise<GroupRow[]> {
    const rows: GroupRow[] = [];
    for (const part of chunks(ids, 500)) {
      rows.push(...(await this.db.selectFrom('scim_groups').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', part).execute()));
    }
    return rows;
  }

  /** The groups each user is a direct member of, by display name. */
  async groupsOfUsers(tenantId: string, userIds: readonly string[]): Promise<Map<string, GroupRef[]>> {
    const out = new Map<string, GroupRef[]>();
    for (const part of chunks([...new Set(userIds)], 500)) {
      const rows = await this.db
        .selectFrom('scim_group_members as m')
        .innerJoin('scim_groups as g', 'g.id', 'm.group_id')
        .select(['m.member_id as userId', 'g.id as id', 'g.display_name as displayName'])
        .where('m.tenant_id', '=', tenantId)
        .where('g.tenant_id', '=', tenantId)
        .where('m.member_type', '=', 'User')
        .where('m.member_id', 'in', part)
        .orderBy('g.display_name_norm')
        .orderBy('g.id')
        .execute();
      for (const row of rows) {
        const list = out.get(row.userId) ?? [];
        list.push({ id: row.id, displayName: row.displayName });
        out.set(row.userId, list);
      }
    }
    return out;
  }

  /** Deletes one detached user; undefined when the tenant has no detached user with this id (any more). */
  deleteDetachedUser(tenantId: string, id: string): Promise<UserRow | undefined> {
    return this.db.deleteFrom('scim_users').where('id', '=', id).where('tenant_id', '=', tenantId).where('detached', '=', DETACHED).returningAll().executeTakeFirst();
  }

  deleteDetachedGroup(tenantId: string, id: string): Promise<GroupRow | undefined> {
    return this.db.deleteFrom('scim_groups').where('id', '=', id).where('tenant_id', '=', tenantId).where('detached', '=', DETACHED).returningAll().executeTakeFirst();
  }

  /**
   * Deletes up to `batch` detached users of the tenant (of one former connection if given), in id
   * order so concurrent purges lock rows in the same order; returns the deleted rows.
   */
  deleteDetachedUserBatch(tenantId: string, connectionId: string | undefined, batch: number): Promise<UserRow[]> {
    let victims = this.db.selectFrom('scim_users').select('id').where('tenant_id', '=', tenantId).where('detached', '=', DETACHED);
    if (connectionId !== undefined) victims = victims.where('connection_id', '=', connectionId);
    return this.db
      .deleteFrom('scim_users')
      .where('tenant_id', '=', tenantId)
      .where('detached', '=', DETACHED)
      .where('id', 'in', victims.orderBy('id').limit(batch))
      .returningAll()
      .execute();
  }

  deleteDetachedGroupBatch(tenantId: string, connectionId: string | undefined, batch: number): Promise<GroupRow[]> {
    let victims = this.db.selectFrom('scim_groups').select('id').where('tenant_id', '=', tenantId).where('detached', '=', DETACHED);
    if (connectionId !== undefined) victims = victims.where('connection_id', '=', connectionId);
    return this.db
      .deleteFrom('scim_groups')
      .where('tenant_id', '=', tenantId)
      .where('detached', '=', DETACHED)
      .where('id', 'in', victims.orderBy('id').limit(batch))
      .returningAll()
      .execute();
  }

  /**
   * Removes the memberships of these (deleted) users or groups in any group; returns them as
   * (group, member) pairs. A deleted group's own member rows go with it (the foreign key's cascade
   * on SQLite, migration 0011's trigger on PostgreSQL).
   */
  async removeMemberships(tenantId: string, memberIds: readonly string[]): Promise<{ groupId: string; memberId: string; memberType: string }[]> {
    const removed: { groupId: string; memberId: string; memberType: string }[] = [];
    for (const part of chunks([...new Set(memberIds)], 500)) {
      const rows = await this.db
        .deleteFrom('scim_group_members')
        .where('tenant_id', '=', tenantId)
        .where('member_id', 'in', part)
        .returning(['group_id as groupId', 'member_id as memberId', 'member_type as memberType'])
        .execute();
      removed.push(...rows);
    }
    return removed;
  }
}
