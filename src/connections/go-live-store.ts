/**
 * Storage side of going live — a staging connection (syncToUserManagement off) switched on: the
 * preview's counts and samples, and the pages its events are written from. Every query names the
 * tenant and the connection and starts from an index that leads with them
 * (scim_users_tenant_connection_page, scim_groups_tenant_connection_page, the member and email
 * indexes), so a 20,000-user connection costs counts and LIMITed reads, never every row in memory.
 */
import { sql, type ExpressionBuilder, type Kysely, type Selectable } from 'kysely';
import { resolveManagers, type ManagerReference } from '../attributes/manager-store.js';
import { appendWithChange, type AuditRecord } from '../audit/with-change.js';
import type { Dialect } from '../db/dialect.js';
import { isTransientConflict } from '../db/errors.js';
import type { Database, ScimGroupsTable, ScimUsersTable } from '../db/tables.js';
import { EventStore } from '../events/store.js';
import type { RoleTables } from '../roles/tables.js';
import { chunks } from '../scim/store/scope.js';
import type { ConnectionRow, ConnectionStore } from './store.js';

/** The connection a go-live query is about. */
export interface GoLiveScope {
  tenantId: string;
  connectionId: string;
}

/** A keyset position in (created_at, id) order: the last row read. */
export interface Keyset {
  createdAt: string;
  id: string;
}

/** A membership, and a keyset position in (group, member) order. */
export interface MembershipKeyset {
  groupId: string;
  userId: string;
}

export type UserRow = Selectable<ScimUsersTable>;
export type GroupRow = Selectable<ScimGroupsTable>;

/** A role mapped to one of the connection's groups, and how many of its users would get it. */
export interface RoleReach {
  key: string;
  name: string;
  users: number;
}

/** A user already in the tenant directory whose primary email one of the connection's users has. */
export interface ExistingUser {
  id: string;
  connectionId: string;
  emailNorm: string;
}

/** What a connection update may change. */
export type ConnectionChanges = Partial<Pick<ConnectionRow, 'sync_to_user_management' | 'connection_name'>>;

/** Writes the go-live events through a store bound to the update's transaction. */
export type GoLiveWriter = (pages: GoLiveStore, events: EventStore) => Promise<unknown>;

/** How often an update that met a concurrent change of the connection row runs again. */
const MAX_ATTEMPTS = 5;

const count = (value: number | string | bigint | null | undefined) => Number(value ?? 0);

/** Storage port of going live; construct one on a transaction to read within it. */
export class GoLiveStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** `users` of the tenant in the tenant directory (other than this connection's): a connection that syncs, or detached. */
  private visibleElsewhere(eb: ExpressionBuilder<Database, 'scim_users'>, scope: GoLiveScope) {
    const synced = eb.selectFrom('connections').select('connections.id').where('connections.tenant_id', '=', scope.tenantId).where('connections.sync_to_user_management', '=', 1);
    return eb.and([eb('scim_users.connection_id', '<>', scope.connectionId), eb.or([eb('scim_users.detached', '=', 1), eb('scim_users.connection_id', 'in', synced)])]);
  }

  // ---- The preview.

  /** How many users the connection holds, and how many of them are active. */
  async userCounts(scope: GoLiveScope): Promise<{ total: number; active: number }> {
    const row = await this.db
      .selectFrom('scim_users')
      .select((eb) => [eb.fn.countAll<number | string>().as('total'), eb.fn.sum<number | string | null>('active').as('active')])
      .where('tenant_id', '=', scope.tenantId)
      .where('connection_id', '=', scope.connectionId)
      .executeTakeFirstOrThrow();
    return { total: count(row.total), active: count(row.active) };
  }

  async groupCount(scope: GoLiveScope): Promise<number> {
    const row = await this.db
      .selectFrom('scim_groups')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', scope.tenantId)
      .where('connection_id', '=', scope.connectionId)
      .executeTakeFirstOrThrow();
    return count(row.n);
  }

  /** The user members of the connection's groups: one per group.user_added that going live writes. */
  async membershipCount(scope: GoLiveScope): Promise<number> {
    const row = await this.db
      .selectFrom('scim_groups as g')
      .innerJoin('scim_group_members as m', 'm.group_id', 'g.id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('g.tenant_id', '=', scope.tenantId)
      .where('g.connection_id', '=', scope.connectionId)
      .where('m.tenant_id', '=', scope.tenantId)
      .where('m.connection_id', '=', scope.connectionId)
      .where('m.member_type', '=', 'User')
      .executeTakeFirstOrThrow();
    return count(row.n);
  }

  /** How many user members each of these groups of the connection has (a few groups: a sample). */
  async userMemberCounts(scope: GoLiveScope, groupIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>(groupIds.map((id) => [id, 0]));
    if (groupIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('scim_group_members')
      .select(['group_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('tenant_id', '=', scope.tenantId)
      .where('connection_id', '=', scope.connectionId)
      .where('member_type', '=', 'User')
      .where('group_id', 'in', [...groupIds])
      .groupBy('group_id')
      .execute();
    for (const row of rows) out.set(row.group_id, count(row.n));
    return out;
  }

  /**
   * Each role mapped to one of the connection's groups, with how many distinct users of the
   * connection are direct members of such a group (roles come from direct groups: src/roles/effective.ts).
   */
  async roleReach(scope: GoLiveScope): Promise<RoleReach[]> {
    const rows = await this.db
      .withTables<RoleTables>()
      .selectFrom('scim_groups as g')
      .innerJoin('group_roles as gr', 'gr.group_id', 'g.id')
      .innerJoin('roles as r', 'r.key', 'gr.role_key')
      .leftJoin('scim_group_members as m', (join) =>
        join.onRef('m.group_id', '=', 'g.id').on('m.member_type', '=', 'User').on('m.tenant_id', '=', scope.tenantId).on('m.connection_id', '=', scope.connectionId),
      )
      .select(['r.key', 'r.name', sql<number | string>`count(distinct m.member_id)`.as('users')])
      .where('g.tenant_id', '=', scope.tenantId)
      .where('g.connection_id', '=', scope.connectionId)
      .where('gr.tenant_id', '=', scope.tenantId)
      .groupBy(['r.key', 'r.name'])
      .orderBy('r.key')
      .execute();
    return rows.map((row) => ({ key: row.key, name: row.name, users: count(row.users) }));
  }

  /** The connection's users whose primary email a user of the tenant directory has already. */
  private matching(scope: GoLiveScope) {
    return this.db
      .selectFrom('scim_users as u')
      .where('u.tenant_id', '=', scope.tenantId)
      .where('u.connection_id', '=', scope.connectionId)
      .where('u.email_norm', 'is not', null)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('scim_users')
            .select(sql.lit(1).as('one'))
            .where('scim_users.tenant_id', '=', scope.tenantId)
            .whereRef('scim_users.email_norm', '=', 'u.email_norm')
            .where((inner) => this.visibleElsewhere(inner, scope)),
        ),
      );
  }

  async matchCount(scope: GoLiveScope): Promise<number> {
    const row = await this.matching(scope)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return count(row.n);
  }

  /** The first `limit` matching users in (created_at, id) order. */
  matchSample(scope: GoLiveScope, limit: number): Promise<UserRow[]> {
    return this.matching(scope).selectAll('u').orderBy('u.created_at').orderBy('u.id').limit(limit).execute();
  }

  /** For each of these emails (lower-cased), the oldest user of the tenant directory that has it. */
  async existingByEmail(scope: GoLiveScope, emails: readonly string[]): Promise<Map<string, ExistingUser>> {
    const out = new Map<string, ExistingUser>();
    for (const part of chunks([...new Set(emails)], 200)) {
      const rows = await this.db
        .selectFrom('scim_users')
        .select(['id', 'connection_id as connectionId', 'email_norm as emailNorm'])
        .where('tenant_id', '=', scope.tenantId)
        .where('email_norm', 'in', part)
        .where((eb) => this.visibleElsewhere(eb, scope))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      for (const row of rows) if (!out.has(row.emailNorm!)) out.set(row.emailNorm!, row as ExistingUser);
    }
    return out;
  }

  // ---- Pages of what going live writes events for.

  /** Up to `limit` users of the connection after `after`, in (created_at, id) order. */
  userPage(scope: GoLiveScope, after: Keyset | undefined, limit: number): Promise<UserRow[]> {
    let query = this.db.selectFrom('scim_users').selectAll().where('tenant_id', '=', scope.tenantId).where('connection_id', '=', scope.connectionId);
    if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt, after.id)));
    return query.orderBy('created_at').orderBy('id').limit(limit).execute();
  }

  /** Up to `limit` groups of the connection after `after`, in (created_at, id) order. */
  groupPage(scope: GoLiveScope, after: Keyset | undefined, limit: number): Promise<GroupRow[]> {
    let query = this.db.selectFrom('scim_groups').selectAll().where('tenant_id', '=', scope.tenantId).where('connection_id', '=', scope.connectionId);
    if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt, after.id)));
    return query.orderBy('created_at').orderBy('id').limit(limit).execute();
  }

  /** The same order as `groupPage`, ids only. */
  groupIdPage(scope: GoLiveScope, after: Keyset | undefined, limit: number): Promise<{ id: string; created_at: string }[]> {
    let query = this.db.selectFrom('scim_groups').select(['id', 'created_at']).where('tenant_id', '=', scope.tenantId).where('connection_id', '=', scope.connectionId);
    if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt, after.id)));
    return query.orderBy('created_at').orderBy('id').limit(limit).execute();
  }

  /**
   * Up to `limit` user memberships of these groups of the connection after `after`, in (group,
   * member) order. Two walks of the membership primary key, each from where it should start: the
   * rest of `after`'s group, then the groups after it. (One query with a row comparison after the
   * group list would not start there: PostgreSQL reads every earlier membership again to skip it.)
   */
  async userMembersOf(scope: GoLiveScope, groupIds: readonly string[], after: MembershipKeyset | undefined, limit: number): Promise<MembershipKeyset[]> {
    const members = () =>
      this.db
        .selectFrom('scim_group_members')
        .select(['group_id as groupId', 'member_id as userId'])
        .where('tenant_id', '=', scope.tenantId)
        .where('connection_id', '=', scope.connectionId)
        .where('member_type', '=', 'User');
    const rows = after ? await members().where('group_id', '=', after.groupId).where('member_id', '>', after.userId).orderBy('member_id').limit(limit).execute() : [];
    if (rows.length < limit) {
      let next = members().where('group_id', 'in', [...groupIds]);
      if (after) next = next.where('group_id', '>', after.groupId);
      rows.push(...(await next.orderBy('group_id').orderBy('member_id').limit(limit - rows.length).execute()));
    }
    return rows;
  }

  /** The managers these `manager` values name in the connection (src/attributes/manager-store.ts). */
  managers(scope: GoLiveScope, values: readonly string[]): Promise<Map<string, ManagerReference>> {
    return resolveManagers(this.db, scope.tenantId, scope.connectionId, values);
  }

  // ---- The switch.

  /**
   * Applies `changes` to the connection and writes its audit entry in one transaction; when the
   * connection was staging and `changes` switch syncToUserManagement on, `goLive` writes the events
   * of what becomes visible in that same transaction. Its first statement locks the connection's row
   * before the flag is read, so of two concurrent switches only the first sees it off. Every staging
   * write holds that row with a key-share lock while it runs (UnitOfWork.liveNow), which the lock for
   * update waits for and which lets the write still move the connection's lastSync: once the lock is taken, the
   * writes that came before have committed and later ones wait, so the connection's rows stand still
   * while the events are read, page by page, each statement seeing every commit before it (READ
   * COMMITTED). A deadlock with another transaction runs the whole switch again. False when the
   * connection of that tenant does not exist.
   */
  async update(connectionId: string, tenantId: string, changes: ConnectionChanges, at: string, audit: AuditRecord, goLive: GoLiveWriter): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db
          .transaction()
          .execute(async (trx) => {
            // The row locked for update (PostgreSQL; SQLite's transaction holds the write lock): it
            // waits for the staging writes holding it shared, and they wait for this.
            const before = await this.dialect.scim
              .lockForWrite(trx.selectFrom('connections').select('sync_to_user_management').where('id', '=', connectionId).where('tenant_id', '=', tenantId))
              .executeTakeFirst();
            if (!before) return false;
            if (before.sync_to_user_management === 0 && changes.sync_to_user_management === 1) {
              await goLive(new GoLiveStore(trx, this.dialect), new EventStore(trx, this.dialect));
            }
            // Last: the flag's change moves the environment's SCIM access version (migration 0014),
            // whose row lock other access changes then wait for only until this commits.
            await trx.updateTable('connections').set({ ...changes, updated_at: at }).where('id', '=', connectionId).where('tenant_id', '=', tenantId).execute();
            await appendWithChange(trx, audit, at);
            return true;
          });
      } catch (error) {
        if (!isTransientConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

/**
 * The go-live store over the database a ConnectionStore writes to. ConnectionStore keeps its handles
 * private and ConnectionService holds only it; the bracket access is still type-checked, so a rename
 * fails to compile. (A constructor dependency of ConnectionService would replace this.)
 */
export function goLiveStoreOf(store: ConnectionStore): GoLiveStore {
  return new GoLiveStore(store['db'], store['dialect']);
}
