/** Storage of SCIM users of one connection: rows, their email rows, and their group memberships. */
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import { insertRows, type InsertSink } from '../../db/prepared-insert.js';
import type { Database, ScimUserAttributeValuesTable, ScimUsersTable } from '../../db/tables.js';
import type { StoredResource } from '../resources/normalize.js';
import type { ParsedRowMeta, RowMeta } from '../resources/render.js';
import { pageExtras, pageQueries, startPage, type PageRow, type PageStart } from './page-seek.js';
import { countResources } from './resource-counts.js';
import { listCondition, orderBy, PAGE_COLUMNS, type ListQuery } from './list-query.js';
import { assertStorable, chunks, storable, type ConnectionScope } from './scope.js';
import { attributeColumns, attributeValueRows } from '../../attributes/mappings.js';
import { emailRows, userColumns } from './user-columns.js';

export type UserRow = Selectable<ScimUsersTable>;

/** A group a user belongs to, as the User `groups` attribute shows it. */
export interface UserGroupRef {
  value: string;
  display: string;
}

/**
 * A row of a page; `groups` when the page query read them too, and the resource parsed already
 * (PostgreSQL, see `listWithGroups`).
 */
export type ListedUser = (RowMeta | ParsedRowMeta) & { groups?: UserGroupRef[] };

/** Replaces the attribute index rows of one user (src/attributes/value-index.ts), in the caller's transaction. */
export async function replaceAttributeValues(db: Kysely<Database>, userId: string, rows: readonly ScimUserAttributeValuesTable[]): Promise<void> {
  await db.deleteFrom('scim_user_attribute_values').where('user_id', '=', userId).execute();
  if (rows.length > 0) await db.insertInto('scim_user_attribute_values').values([...rows]).execute();
}

/** Storage port of SCIM users; construct one per transaction. */
export class UserStore {
  /** `batch` (PostgreSQL's create statement, whose rows its triggers count): inserts are added to it instead of run, for a caller to send. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly batch?: InsertSink,
  ) {}

  async insert(scope: ConnectionScope, id: string, resource: StoredResource, now: string): Promise<UserRow> {
    assertStorable(resource);
    const { values, ...attributes } = attributeColumns(scope.attributes, resource);
    const row: UserRow = {
      id,
      tenant_id: scope.tenantId,
      connection_id: scope.connectionId,
      ...userColumns(resource),
      detached: 0,
      app_view: 0,
      resource: JSON.stringify(resource),
      version: 1,
      created_at: now,
      updated_at: now,
      ...attributes,
    };
    const emails = emailRows(id, scope.connectionId, resource);
    const attributeRows = attributeValueRows(scope.attributes, { id, tenantId: scope.tenantId, connectionId: scope.connectionId, createdAt: now }, values);
    if (this.batch) {
      this.batch.add('scim_users', [row]);
      this.batch.add('scim_user_emails', emails);
      this.batch.add('scim_user_attribute_values', attributeRows);
      return row;
    }
    // Prepared texts, not Kysely's builder: this is the hot path of every create (src/db/prepared-insert.ts).
    await this.dialect.scim.insertResource(this.db, this.dialect, scope, { table: 'scim_users', row });
    await insertRows(this.db, this.dialect, 'scim_user_emails', emails);
    await insertRows(this.db, this.dialect, 'scim_user_attribute_values', attributeRows);
    return row;
  }

  /** The row, or undefined. `lock`: the read of a write, which locks the row where writers run side by side (Dialect.scim.lockForWrite). */
  get(scope: ConnectionScope, id: string, lock = false): Promise<UserRow | undefined> {
    if (!storable(id)) return Promise.resolve(undefined);
    const select = this.db
      .selectFrom('scim_users')
      .selectAll()
      .where('id', '=', id)
      .where('connection_id', '=', scope.connectionId)
      .where('tenant_id', '=', scope.tenantId)
      .where('detached', '=', 0);
    return (lock ? this.dialect.scim.lockForWrite(select) : select).executeTakeFirst();
  }

  /** Replaces the stored resource if the row is still at `version`; undefined when it moved on. */
  async update(scope: ConnectionScope, current: UserRow, resource: StoredResource, now: string): Promise<UserRow | undefined> {
    assertStorable(resource);
    const { values, ...attributes } = attributeColumns(scope.attributes, resource);
    const changes = { ...userColumns(resource), resource: JSON.stringify(resource), version: current.version + 1, updated_at: now, ...attributes };
    const result = await this.db
      .updateTable('scim_users')
      .set(changes)
      .where('id', '=', current.id)
      .where('connection_id', '=', scope.connectionId)
      .where('tenant_id', '=', scope.tenantId)
      .where('version', '=', current.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    await this.db.deleteFrom('scim_user_emails').where('user_id', '=', current.id).execute();
    const emails = emailRows(current.id, scope.connectionId, resource);
    if (emails.length > 0) await this.db.insertInto('scim_user_emails').values(emails).execute();
    // The index rows follow from the values: rewritten only when the values changed.
    if (changes.attributes !== current.attributes) {
      await replaceAttributeValues(this.db, current.id, attributeValueRows(scope.attributes, { id: current.id, tenantId: scope.tenantId, connectionId: scope.connectionId, createdAt: current.created_at }, values));
    }
    return { ...current, ...changes };
  }

  /** Deletes the user and its memberships; returns the groups it left, or undefined when there was no such user. */
  async delete(scope: ConnectionScope, id: string): Promise<string[] | undefined> {
    const result = await this.db
      .deleteFrom('scim_users')
      .where('id', '=', id)
      .where('connection_id', '=', scope.connectionId)
      .where('tenant_id', '=', scope.tenantId)
      .where('detached', '=', 0)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return undefined;
    const left = await this.db
      .deleteFrom('scim_group_members')
      .where('member_id', '=', id)
      .where('connection_id', '=', scope.connectionId)
      .where('tenant_id', '=', scope.tenantId)
      .returning('group_id')
      .execute();
    return left.map((m) => m.group_id);
  }

  private base(scope: ConnectionScope, query: Pick<ListQuery, 'filter'>) {
    const condition = listCondition(query, 'User', this.dialect, scope.connectionId);
    let select = this.db
      .selectFrom('scim_users as r')
      .where('r.connection_id', '=', scope.connectionId)
      .where('r.tenant_id', '=', scope.tenantId);
    // No `detached = 0` here: rows are detached only when their connection is deleted, and a deleted
    // connection answers no SCIM request, so a live connection has none. Leaving it out lets
    // counts and pages run on the (tenant, connection, created_at, id) index alone.
    if (condition) select = select.where(sql<boolean>`${condition}`);
    return select;
  }

  /**
   * A page in list order. The page's ids are found first (a deferred join): skipping `offset`
   * entries then walks the index only, and just the page's rows are read from the table.
   */
  list(scope: ConnectionScope, query: ListQuery, start?: PageStart, withTotal = false): Promise<PageRow<RowMeta>[]> {
    const order = sql`${orderBy(query, 'User', this.dialect)}`;
    const extras = pageExtras(scope, 'User', start, withTotal);
    return pageQueries(this.db, scope, 'User', start)
      .selectFrom('scim_users as r')
      .select(PAGE_COLUMNS)
      .$if(extras.length > 0, (q) => q.select(extras))
      .where('r.id', 'in', this.pageIds(scope, query, order, start))
      .orderBy(order)
      .execute();
  }

  /**
   * A page with each user's groups: read with the page where the database does that in the same
   * query (PostgreSQL), without them otherwise (the service reads them with `groupsOf`).
   */
  listWithGroups(scope: ConnectionScope, query: ListQuery, start?: PageStart, withTotal = false): Promise<PageRow<ListedUser>[]> {
    const order = sql`${orderBy(query, 'User', this.dialect)}`;
    return this.dialect.scim.usersWithGroups({
      db: this.db,
      scope,
      query,
      start,
      withTotal,
      order,
      pageIds: () => this.pageIds(scope, query, order, start),
      plain: () => this.list(scope, query, start, withTotal),
    });
  }

  /** The ids of a page, in list `order` (the ORDER BY of `query`); `start` as in `startPage`. */
  private pageIds(scope: ConnectionScope, query: ListQuery, order: RawBuilder<unknown>, start?: PageStart) {
    const page = this.base(scope, query).select('r.id').orderBy(order).limit(query.limit);
    // After a known row or from an order block (src/scim/store/page-seek.ts): a short range scan of the index instead of OFFSET.
    return startPage(page, query, start);
  }

  async count(scope: ConnectionScope, query: Pick<ListQuery, 'filter'>): Promise<number> {
    // Unfiltered (Entra's and Okta's full syncs, every page): the kept count, not a walk of the index.
    if (!query.filter) return countResources(this.db, scope, 'User');
    const row = await this.base(scope, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The groups of each user (direct memberships), for the computed User `groups` attribute. */
  async groupsOf(scope: ConnectionScope, userIds: readonly string[]): Promise<Map<string, UserGroupRef[]>> {
    const out = new Map<string, UserGroupRef[]>();
    for (const part of chunks(userIds, 500)) {
      if (part.length === 0) continue;
      const rows = await this.db
        .selectFrom('scim_group_members as m')
        .innerJoin('scim_groups as g', 'g.id', 'm.group_id')
        .select(['m.member_id as memberId', 'g.id as groupId', 'g.display_name as display'])
        .where('m.member_id', 'in', part)
        .where('m.connection_id', '=', scope.connectionId)
        .where('m.tenant_id', '=', scope.tenantId)
        .where('g.connection_id', '=', scope.connectionId)
        .where('g.tenant_id', '=', scope.tenantId)
        .orderBy('g.display_name_norm')
        .execute();
      for (const row of rows) {
        const list = out.get(row.memberId) ?? [];
        list.push({ value: row.groupId, display: row.display });
        out.set(row.memberId, list);
      }
    }
    return out;
  }
}
