/** Storage of a connection's compatibility switches (migration 0016). The tenant is part of every query. */
import type { Kysely } from 'kysely';
import type { Actor } from '../audit/actor.js';
import { AuditStore, type AuditChange } from '../audit/store.js';
import type { Database } from '../db/tables.js';
import type { ConnectionAccessTables } from './access-tables.js';
import { lockConnection } from './connection-lock.js';

/** The connection a change concerns: its tenant and source, which picks the defaults. */
export interface CompatibilityOwner {
  tenantId: string;
  source: string;
  /** The switches set for it (JSON), or null. */
  settings: string | null;
}

export class CompatibilityStore {
  private readonly db: Kysely<Database & ConnectionAccessTables>;

  constructor(private readonly base: Kysely<Database>) {
    this.db = base.withTables<ConnectionAccessTables>();
  }

  /** The connection and its stored switches; with `tenantId`, only a connection of that tenant. */
  async find(connectionId: string, tenantId?: string): Promise<CompatibilityOwner | undefined> {
    let query = this.db
      .selectFrom('connections')
      .leftJoin('connection_compatibility', (join) =>
        join.onRef('connection_compatibility.connection_id', '=', 'connections.id').onRef('connection_compatibility.tenant_id', '=', 'connections.tenant_id'),
      )
      .select(['connections.tenant_id as tenantId', 'connections.source as source', 'connection_compatibility.settings as settings'])
      .where('connections.id', '=', connectionId);
    if (tenantId !== undefined) query = query.where('connections.tenant_id', '=', tenantId);
    const row = await query.executeTakeFirst();
    return row && { tenantId: row.tenantId, source: row.source, settings: row.settings ?? null };
  }

  /**
   * Merges `change` into the connection's stored switches and records `audit` in the same
   * transaction, under the connection row's lock so two changes at once both count. Undefined when
   * the connection (of that tenant) is gone.
   */
  async update(
    connectionId: string,
    tenantId: string,
    merge: (stored: string | null) => string,
    audit: { actor: Actor; change: (settings: string) => AuditChange },
    now: string,
  ): Promise<string | undefined> {
    return this.base.transaction().execute(async (base) => {
      const trx = base.withTables<ConnectionAccessTables>();
      if (!(await lockConnection(base, tenantId, connectionId))) return undefined;
      const current = await trx
        .selectFrom('connection_compatibility')
        .select('settings')
        .where('connection_id', '=', connectionId)
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      const settings = merge(current?.settings ?? null);
      await trx
        .insertInto('connection_compatibility')
        .values({ connection_id: connectionId, tenant_id: tenantId, settings, updated_at: now })
        .onConflict((oc) => oc.column('connection_id').doUpdateSet({ settings, updated_at: now }))
        .execute();
      await new AuditStore(base).append(audit.actor, audit.change(settings), now);
      return settings;
    });
  }
}
