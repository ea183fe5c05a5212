/** Storage of SCIM connections and their bearer tokens. The tenant is part of every query. */
import type { Kysely, Selectable } from 'kysely';
import { appendWithChange, type AuditRecord } from '../audit/with-change.js';
import type { Dialect } from '../db/dialect.js';
import type { ConnectionsTable, Database } from '../db/tables.js';
import type { AttributeTables } from '../attributes/tables.js';
import type { ConnectionAccessTables } from './access-tables.js';
import { toDirectoryGroup, toDirectoryUser } from '../directory/shape.js';
import { EventStore } from '../events/store.js';
import type { NewEvent } from '../events/types.js';

export type ConnectionRow = ConnectionsTable;

/** Filters of the connection list; all optional, combined with AND. */
export interface ConnectionFilter {
  tenantId?: string;
  source?: string;
  connectionName?: string;
  id?: string;
}

/** Storage port of the connections domain. */
export class ConnectionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Inserts a connection, its first token, its events and its audit entry in one transaction; with
   * `maxForTenant`, only while the tenant has fewer connections than that. The count is taken under the
   * tenant row's lock (a no-op UPDATE: PostgreSQL's row lock, SQLite's write lock), so concurrent
   * creates cannot both pass it. Without a token (a directory Rollcall reads), `alongside` writes the
   * connection's own rows in the same transaction.
   */
  async insertWithToken(
    row: ConnectionRow,
    token: { id: string; hash: string; prefix: string } | null,
    events: readonly NewEvent[] = [],
    maxForTenant?: number,
    audit?: AuditRecord,
    alongside?: (trx: Kysely<Database>) => Promise<unknown>,
  ): Promise<'created' | 'not_found' | 'too_many'> {
    return this.db.transaction().execute(async (trx) => {
      if (maxForTenant !== undefined) {
        const locked = await trx.updateTable('tenants').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', row.tenant_id).executeTakeFirst();
        if (Number(locked.numUpdatedRows) === 0) return 'not_found';
        const { n } = await trx
          .selectFrom('connections')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', row.tenant_id)
          .executeTakeFirstOrThrow();
        if (Number(n) >= maxForTenant) return 'too_many';
      }
      if (events.length > 0) await new EventStore(trx, this.dialect).append({ tenantId: row.tenant_id, connectionId: row.id }, events, row.created_at);
      await trx.insertInto('connections').values(row).execute();
      await alongside?.(trx);
      // A directory Rollcall reads (Google Workspace) has no SCIM token.
      if (token) {
        await trx
          .insertInto('connection_tokens')
          .values({
            id: token.id,
            connection_id: row.id,
            tenant_id: row.tenant_id,
            token_hash: token.hash,
            token_prefix: token.prefix,
            created_at: row.created_at,
            last_used_at: null,
            expires_at: null,
          })
          .execute();
      }
      if (audit) await appendWithChange(trx, audit, row.created_at);
      return 'created';
    });
  }

  list(filter: ConnectionFilter): Promise<ConnectionRow[]> {
    let query = this.db.selectFrom('connections').selectAll();
    if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
    if (filter.source !== undefined) query = query.where('source', '=', filter.source);
    if (filter.connectionName !== undefined) query = query.where('connection_name', '=', filter.connectionName);
    if (filter.id !== undefined) query = query.where('id', '=', filter.id);
    return query.orderBy('created_at').orderBy('id').execute();
  }

  /** The connection; scoped to a tenant when one is given (self-service callers). */
  find(id: string, tenantId?: string): Promise<ConnectionRow | undefined> {
    let query = this.db.selectFrom('connections').selectAll().where('id', '=', id);
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    return query.executeTakeFirst();
  }

  /** Updates the connection and writes its audit entry in one transaction; false when it does not exist. */
  async update(id: string, tenantId: string, changes: Partial<Pick<ConnectionRow, 'sync_to_user_management' | 'connection_name'>>, at: string, audit?: AuditRecord): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('connections')
        .set({ ...changes, updated_at: at })
        .where('id', '=', id)
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      if (audit) await appendWithChange(trx, audit, at);
      return true;
    });
  }

  /**
   * Deletes the connection (its tokens cascade, so they stop working at once) and, in the same
   * transaction, either deletes what it provisioned or leaves it detached, and writes its events and
   * audit entry.
   */
  async delete(
    id: string,
    tenantId: string,
    removeUsersAndGroups: boolean,
    options: { events: readonly NewEvent[]; emitResourceEvents: boolean; now: string; audit?: AuditRecord },
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // Locks the row first (PostgreSQL's row lock, SQLite's write lock): an unknown connection writes nothing.
      const locked = await trx.updateTable('connections').set((eb) => ({ updated_at: eb.ref('updated_at') })).where('id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirst();
      if (Number(locked.numUpdatedRows) === 0) return false;
      const scope = { connection: id, tenant: tenantId };
      const events = new EventStore(trx, this.dialect);
      const eventScope = { tenantId, connectionId: id };
      if (removeUsersAndGroups && options.emitResourceEvents) {
        // The app learns that each user and group is gone, as if the IdP had deleted them.
        await this.forEachPage(trx, 'scim_users', id, tenantId, (rows) =>
          events.append(eventScope, rows.map((r) => ({ type: 'user.deleted', resourceId: r.id, data: { ...toDirectoryUser(r) } })), options.now),
        );
        await this.forEachPage(trx, 'scim_groups', id, tenantId, (rows) =>
          events.append(eventScope, rows.map((r) => ({ type: 'group.deleted', resourceId: r.id, data: { ...toDirectoryGroup(r) } })), options.now),
        );
      }
      if (options.events.length > 0) await events.append(eventScope, options.events, options.now);
      if (removeUsersAndGroups) {
        await trx.deleteFrom('scim_group_members').where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
        await trx.deleteFrom('scim_groups').where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
        await trx.deleteFrom('scim_users').where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
        // The triggers have counted them down to zero; nothing of the connection is left to count or order.
        await trx.deleteFrom('scim_counts').where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
        await trx.deleteFrom('scim_order_blocks').where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
      } else {
        await trx.updateTable('scim_groups').set({ detached: 1 }).where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
        await trx.updateTable('scim_users').set({ detached: 1 }).where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
      }
      await trx.deleteFrom('connections').where('id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
      if (options.audit) await appendWithChange(trx, options.audit, options.now);
      return true;
    });
  }

  /** The connection a SCIM bearer token opens, if the token belongs to that very connection and is live. */
  findByToken(connectionId: string, tokenHash: string, now: string) {
    return this.db
      .withTables<ConnectionAccessTables & AttributeTables>()
      .selectFrom('connection_tokens')
      .innerJoin('connections', 'connections.id', 'connection_tokens.connection_id')
      // The IP allowlist comes with the token, so checking it costs no extra query (migration 0006).
      .leftJoin('connection_ip_allowlists', 'connection_ip_allowlists.connection_id', 'connections.id')
      // So do the compatibility switches, which the source's preset completes (migration 0016).
      .leftJoin('connection_compatibility', 'connection_compatibility.connection_id', 'connections.id')
      // And the attribute catalogue (one row) with the connection's own mappings (migration 0018).
      .leftJoin('connection_attribute_mappings', 'connection_attribute_mappings.connection_id', 'connections.id')
      .leftJoin('attribute_catalogue', (join) => join.on('attribute_catalogue.id', '=', 1))
      .select([
        'attribute_catalogue.predefined as attributePredefined',
        'attribute_catalogue.custom as attributeCustom',
        'attribute_catalogue.custom_schema as attributeCustomSchema',
        'connection_attribute_mappings.mappings as attributeMappings',
        'connection_ip_allowlists.cidrs as ipAllowlist',
        'connection_compatibility.settings as compatibility',
        'connections.source as source',
        'connections.id as connectionId',
        'connections.tenant_id as tenantId',
        'connections.sync_to_user_management as syncToUserManagement',
        'connection_tokens.id as tokenId',
        'connection_tokens.token_hash as tokenHash',
        'connection_tokens.expires_at as expiresAt',
      ])
      .where('connection_tokens.token_hash', '=', tokenHash)
      .where('connection_tokens.connection_id', '=', connectionId)
      .where((eb) => eb.or([eb('connection_tokens.expires_at', 'is', null), eb('connection_tokens.expires_at', '>', now)]))
      .executeTakeFirst();
  }

  /** Calls `fn` with every row of a connection's users or groups, 500 at a time, in id order. */
  private async forEachPage<T extends 'scim_users' | 'scim_groups'>(
    trx: Kysely<Database>,
    table: T,
    connectionId: string,
    tenantId: string,
    fn: (rows: Selectable<Database[T]>[]) => Promise<void>,
  ): Promise<void> {
    let after = '';
    for (;;) {
      const rows = await trx
        .selectFrom(table as 'scim_users')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .where('tenant_id', '=', tenantId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(500)
        .execute();
      if (rows.length === 0) return;
      // The query is typed for users; groups share the columns it reads.
      await fn(rows as Selectable<Database[T]>[]);
      after = rows[rows.length - 1].id;
    }
  }
}
