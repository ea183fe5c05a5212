/** Storage of SCIM groups of one connection and their membership rows. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import type { Database, ScimGroupsTable } from '../../db/tables.js';
import type { StoredResource } from '../resources/normalize.js';
import type { RowMeta } from '../resources/render.js';
import { pageExtras, pageQueries, startPage, type PageRow, type PageStart } from './page-seek.js';
import { countResources } from './resource-counts.js';
import { listCondition, orderBy, PAGE_COLUMNS, type ListQuery } from './list-query.js';
import { assertStorable, chunks, storable, type ConnectionScope } from './scope.js';

export type GroupRow = Selectable<ScimGroupsTable>;

/** A member as stored: the id and whether it is a User or a Group. */
export interface MemberRow {
  value: string;
  type: 'User' | 'Group';
}

/** A member as the Group `members` attribute shows it. */
export interface MemberView extends MemberRow {
  display: string | null;
}

function asMember(row: { member_id: string; member_type: string }): MemberRow {
  return { value: row.member_id, type: row.member_type === 'Group' ? 'Group' : 'User' };
}

export function groupColumns(resource: StoredResource) {
  const displayName = resource.displayName as string;
  return {
    display_name: displayName,
    display_name_norm: displayName.toLowerCase(),
    external_id: typeof resource.externalId === 'string' ? resource.externalId : null,
  };
}

/** Storage port of SCIM groups; construct one per transaction. */
export class GroupStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async insert(scope: ConnectionScope, id: string, resource: StoredResource, now: string): Promise<GroupRow> {
    assertStorable(resource);
    const row: GroupRow = {
      id,
      tenant_id: scope.tenantId,
      connection_id: scope.connectionId,
      ...groupColumns(resource),
      detached: 0,
      resource: JSON.stringify(resource),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await this.dialect.scim.insertResource(this.db, this.dialect, scope, { table: 'scim_groups', row });
    return row;
  }

  /** The row, or undefined. `lock`: the read of a write, which locks the row where writers run side by side (Dialect.scim.lockForWrite). */
  get(scope: ConnectionScope, id: string, lock = false): Promise<GroupRow | undefined> {
    if (!storable(id)) return Promise.resolve(undefined);
    const select = this.db
      .selectFrom('scim_groups')
      .selectAll()
      .where('id', '=', id)
      .where('connection_id', '=', scope.connectionId)
      .where('tenant_id', '=', scope.tenantId)
      .where('detached', '=', 0);
    return (lock ? this.dialect.scim.lockForWrite(select) : select).executeTakeFirst();
  }

  /** Writes a new resource (or just a new version, for membership changes) if still at `current.version`. */
  async update(scope: ConnectionScope, current: GroupRow, resource: StoredResource, now: string): Promise<GroupRow | undefined> {
    assertStorable(resource);
    const changes = { ...groupColumns(resource), resource: JSON.stringify(resource), version: current.version + 1, updated_at: now };
    const result = await this.db
      .updateTable('scim_groups')
      .set(changes)
      .where('id', '=', current.id)
      .where('connection_id', '=', scope.connectionId)
      .where('tenant_id', '=', scope.tenantId)
      .where('version', '=', current.version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 0 ? undefined : { ...current, ...changes };
  }

  /**
   * Deletes the group, its membership rows (the foreign key's cascade on SQLite, migration 0011's
   * trigger on PostgreSQL) and its own membership in other groups.
   */
  async delete(scope: ConnectionScope, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('scim_groups')
      .where('id', '=', id)
      .where('connection_id', '=', scope.connectionId)
      .where('tenant_id', '=', scope.tenantId)
      .where('detached', '=', 0)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return false;
    await this.db.deleteFrom('scim_group_members').where('member_id', '=', id).where('connection_id', '=', scope.connectionId).where('tenant_id', '=', scope.tenantId).execute();
    return true;
  }

  private base(scope: ConnectionScope, query: Pick<ListQuery, 'filter'>) {
    const condition = listCondition(query, 'Group', this.dialect, scope.connectionId);
    let select = this.db
      .selectFrom('scim_groups as r')
      .where('r.connection_id', '=', scope.connectionId)
      .where('r.tenant_id', '=', scope.tenantId);
    // No `detached = 0` here: rows are detached only when their connection is deleted, and a deleted
    // connection answers no SCIM request, so a live connection has none. Leaving it out lets
    // counts and pages run on the (tenant, connection, created_at, id) index alone.
    if (condition) select = select.where(sql<boolean>`${condition}`);
    return select;
  }

  /** A page in list order, ids first (a deferred join, as for users). */
  list(scope: ConnectionScope, query: ListQuery, start?: PageStart, withTotal = false): Promise<PageRow<RowMeta>[]> {
    const order = sql`${orderBy(query, 'Group', this.dialect)}`;
    let page = this.base(scope, query).select('r.id').orderBy(order).limit(query.limit);
    // After a known row or from an order block (src/scim/store/page-seek.ts): a short range scan of the index instead of OFFSET.
    page = startPage(page, query, start);
    const extras = pageExtras(scope, 'Group', start, withTotal);
    return pageQueries(this.db, scope, 'Group', start)
      .selectFrom('scim_groups as r')
      .select(PAGE_COLUMNS)
      .$if(extras.length > 0, (q) => q.select(extras))
      .where('r.id', 'in', page)
      .orderBy(order)
      .execute();
  }

  async count(scope: ConnectionScope, query: Pick<ListQuery, 'filter'>): Promise<number> {
    // Unfiltered (Entra's and Okta's full syncs, every page): the kept count, not a walk of the index.
    if (!query.filter) return countResources(this.db, scope, 'Group');
    const row = await this.base(scope, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Which of `ids` exist in this connection, and as what. Members can only be resources of the
   * same connection: an id from elsewhere is as unknown as a made-up one.
   */
  async findMembers(scope: ConnectionScope, ids: readonly string[]): Promise<Map<string, 'User' | 'Group'>> {
    const found = new Map<string, 'User' | 'Group'>();
    for (const part of chunks([...new Set(ids)].filter(storable), 500)) {
      const users = await this.db.selectFrom('scim_users').select('id').where('connection_id', '=', scope.connectionId).where('tenant_id', '=', scope.tenantId).where('detached', '=', 0).where('id', 'in', part).execute();
      for (const u of users) found.set(u.id, 'User');
      if (users.length === part.length) continue;
      const groups = await this.db.selectFrom('scim_groups').select('id').where('connection_id', '=', scope.connectionId).where('tenant_id', '=', scope.tenantId).where('detached', '=', 0).where('id', 'in', part).execute();
      for (const g of groups) found.set(g.id, 'Group');
    }
    return found;
  }

  /** Adds members (one row each; already-present members are left alone). Returns the members actually added. */
  async addMembers(scope: ConnectionScope, groupId: string, members: readonly MemberRow[], now: string): Promise<MemberRow[]> {
    const added: MemberRow[] = [];
    for (const part of chunks(members, 500)) {
      const rows = part.map((m) => ({ group_id: groupId, member_id: m.value, member_type: m.type, tenant_id: scope.tenantId, connection_id: scope.connectionId, created_at: now }));
      const inserted = await this.db
        .insertInto('scim_group_members')
        .values(rows)
        .onConflict((oc) => oc.columns(['group_id', 'member_id']).doNothing())
        .returning(['member_id', 'member_type'])
        .execute();
      added.push(...inserted.map(asMember));
    }
    return added;
  }

  /** Removes these members; returns those that were members. */
  async removeMembers(scope: ConnectionScope, groupId: string, ids: readonly string[]): Promise<MemberRow[]> {
    const removed: MemberRow[] = [];
    for (const part of chunks([...new Set(ids)].filter(storable), 500)) {
      const rows = await this.db
        .deleteFrom('scim_group_members')
        .where('group_id', '=', groupId)
        .where('connection_id', '=', scope.connectionId)
        .where('tenant_id', '=', scope.tenantId)
        .where('member_id', 'in', part)
        .returning(['member_id', 'member_type'])
        .execute();
      removed.push(...rows.map(asMember));
    }
    return removed;
  }

  /** Removes every member; returns them. */
  async removeAllMembers(scope: ConnectionScope, groupId: string): Promise<MemberRow[]> {
    const rows = await this.db
      .deleteFrom('scim_group_members')
      .where('group_id', '=', groupId)
      .where('connection_id', '=', scope.connectionId)
      .where('tenant_id', '=', scope.tenantId)
      .returning(['member_id', 'member_type'])
      .execute();
    return rows.map(asMember);
  }

  /** Membership rows of this connection with each member's display name. */
  private memberSelect(scope: ConnectionScope) {
    return this.db
      .selectFrom('scim_group_members as m')
      .leftJoin('scim_users as u', (join) => join.onRef('u.id', '=', 'm.member_id').on('m.member_type', '=', 'User'))
      .leftJoin('scim_groups as g', (join) => join.onRef('g.id', '=', 'm.member_id').on('m.member_type', '=', 'Group'))
      .select([
        'm.group_id',
        'm.member_id as value',
        sql<'User' | 'Group'>`m.member_type`.as('type'),
        sql<string | null>`coalesce(u.display_name, u.user_name, g.display_name)`.as('display'),
      ])
      .where('m.connection_id', '=', scope.connectionId)
      .where('m.tenant_id', '=', scope.tenantId);
  }

  /**
   * The members of a group with their display names, in member-id order (the primary key's, so no
   * sort); with `page`, at most `page.limit` members after the id `page.after`, for streaming.
   */
  async members(scope: ConnectionScope, groupId: string, page?: { after?: string; limit: number }): Promise<MemberView[]> {
    let select = this.memberSelect(scope).where('m.group_id', '=', groupId).orderBy('m.member_id');
    if (page?.after !== undefined) select = select.where('m.member_id', '>', page.after);
    if (page) select = select.limit(page.limit);
    return (await select.execute()).map(({ value, type, display }) => ({ value, type, display }));
  }

  /** The members of several groups (a page of a list) in one query per 500 groups, by group id. */
  async membersOf(scope: ConnectionScope, groupIds: readonly string[]): Promise<Map<string, MemberView[]>> {
    const out = new Map<string, MemberView[]>(groupIds.map((id) => [id, []]));
    for (const part of chunks(groupIds, 500)) {
      const rows = await this.memberSelect(scope).where('m.group_id', 'in', part).orderBy('m.group_id').orderBy('m.member_id').execute();
      for (const { group_id, value, type, display } of rows) out.get(group_id)?.push({ value, type, display });
    }
    return out;
  }
}
