/**
 * What differs between the databases for the SCIM stores (src/scim/store, src/scim/service):
 * src/db/sqlite/scim-dialect.ts and src/db/postgres/scim-dialect.ts.
 */
import type { Insertable, Kysely, RawBuilder, SelectQueryBuilder } from 'kysely';
import type { Dialect } from './dialect.js';
import { insertRows } from './prepared-insert.js';
import type { Db } from './open.js';
import type { Database, ScimGroupsTable, ScimUsersTable } from './tables.js';
import type { ScimStorage, ScimStorageOptions } from '../scim/service/scim-storage.js';
import type { ListQuery } from '../scim/store/list-query.js';
import type { PageRow, PageStart } from '../scim/store/page-seek.js';
import type { ConnectionScope } from '../scim/store/scope.js';
import type { ListedUser } from '../scim/store/user-store.js';

/** A new user or group row and the table it goes to. */
export type NewResourceRow = { table: 'scim_users'; row: Insertable<ScimUsersTable> } | { table: 'scim_groups'; row: Insertable<ScimGroupsTable> };

/** What a page of users with their groups is made of (UserStore.listWithGroups). */
export interface UserPageParts {
  db: Kysely<Database>;
  scope: ConnectionScope;
  query: ListQuery;
  start: PageStart | undefined;
  withTotal: boolean;
  /** The list's ORDER BY. */
  order: RawBuilder<unknown>;
  /** The ids of the page, in list order. */
  pageIds(): SelectQueryBuilder<Database & { r: ScimUsersTable }, 'r', { id: string }>;
  /** The page without groups (the service reads them with UserStore.groupsOf). */
  plain(): Promise<PageRow<ListedUser>[]>;
}

export interface ScimDialect {
  /** The SCIM services' storage on this database: unit of work, paging, upkeep. */
  storage(db: Db, options?: ScimStorageOptions): ScimStorage;
  /**
   * Inserts a new user or group and keeps its connection's count and order block right (migrations
   * 0008 and 0009): every insert of a SCIM resource goes through here, on each database by its one way.
   */
  insertResource(db: Kysely<Database>, dialect: Dialect, scope: ConnectionScope, resource: NewResourceRow): Promise<void>;
  /**
   * `select`, the read of a resource a write is about to change, locking its row until the
   * transaction ends where writers run side by side: concurrent writers of one resource then queue
   * up instead of failing their version check after a few retries.
   */
  lockForWrite<TB extends keyof Database, O>(select: SelectQueryBuilder<Database, TB, O>): SelectQueryBuilder<Database, TB, O>;
  /** A page of users with each user's groups where the database reads them with the page; without them otherwise. */
  usersWithGroups(parts: UserPageParts): Promise<PageRow<ListedUser>[]>;
  /** Inside the transaction of a change to one list's order blocks: waits (briefly) for other processes changing them. */
  lockBlocks(trx: Kysely<Database>, list: string): Promise<void>;
}

/** Inserts the row of `resource` as it is (prepared text, src/db/prepared-insert.ts); counting is the caller's. */
export function insertResourceRow(db: Kysely<Database>, dialect: Dialect, resource: NewResourceRow): Promise<void> {
  return resource.table === 'scim_users' ? insertRows(db, dialect, 'scim_users', [resource.row]) : insertRows(db, dialect, 'scim_groups', [resource.row]);
}
