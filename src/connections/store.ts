/** Storage of SCIM connections and their bearer tokens. The tenant is part of every query. */
import type { Kysely } from 'kysely';
import type { ConnectionsTable, Database } from '../db/tables.js';

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
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts a connection and its first token in one transaction. */
  async insertWithToken(row: ConnectionRow, token: { id: string; hash: string; prefix: string }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('connections').values(row).execute();
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

  async update(id: string, tenantId: string, changes: Partial<Pick<ConnectionRow, 'sync_to_user_management' | 'connection_name'>>, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('connections')
      .set({ ...changes, updated_at: at })
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Deletes the connection (its tokens cascade, so they stop working at once) and, in the same
   * transaction, either deletes what it provisioned or leaves it detached.
   */
  async delete(id: string, tenantId: string, removeUsersAndGroups: boolean): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const scope = { connection: id, tenant: tenantId };
      if (removeUsersAndGroups) {
        await trx.deleteFrom('scim_group_members').where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
        await trx.deleteFrom('scim_groups').where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
        await trx.deleteFrom('scim_users').where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
      } else {
        await trx.updateTable('scim_groups').set({ detached: 1 }).where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
        await trx.updateTable('scim_users').set({ detached: 1 }).where('connection_id', '=', scope.connection).where('tenant_id', '=', scope.tenant).execute();
      }
      const result = await trx.deleteFrom('connections').where('id', '=', scope.connection).where('tenant_id', '=', scope.tenant).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /** The connection a SCIM bearer token opens, if the token belongs to that very connection and is live. */
  findByToken(connectionId: string, tokenHash: string, now: string) {
    return this.db
      .selectFrom('connection_tokens')
      .innerJoin('connections', 'connections.id', 'connection_tokens.connection_id')
      .select([
        'connections.id as connectionId',
        'connections.tenant_id as tenantId',
        'connections.sync_to_user_management as syncToUserManagement',
        'connection_tokens.id as tokenId',
        'connection_tokens.token_hash as tokenHash',
      ])
      .where('connection_tokens.token_hash', '=', tokenHash)
      .where('connection_tokens.connection_id', '=', connectionId)
      .where((eb) => eb.or([eb('connection_tokens.expires_at', 'is', null), eb('connection_tokens.expires_at', '>', now)]))
      .executeTakeFirst();
  }
}
