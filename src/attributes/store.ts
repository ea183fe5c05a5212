/**
 * Storage of the attribute catalogue, the connections' mappings and their re-evaluations
 * (migration 0018). Every connection query carries the tenant once the connection's tenant is known.
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../audit/actor.js';
import { AuditStore, type AuditChange } from '../audit/store.js';
import { lockConnection } from '../connections/connection-lock.js';
import type { Database } from '../db/tables.js';
import { storedCatalogue, type Catalogue } from './catalogue.js';
import type { AttributeEvaluationsTable, AttributeTables } from './tables.js';

/** A connection whose mappings are read or set. */
export interface MappingOwner {
  tenantId: string;
  source: string;
  syncToUserManagement: boolean;
  /** Its own mappings as stored (JSON), or null. */
  mappings: string | null;
}

/** A change with its audit entry, written in one transaction. */
export interface Audited {
  actor: Actor;
  change: AuditChange;
}

export class AttributeStore {
  private readonly db: Kysely<Database & AttributeTables>;

  constructor(private readonly base: Kysely<Database>) {
    this.db = base.withTables<AttributeTables>();
  }

  async catalogue(): Promise<Catalogue> {
    return storedCatalogue(await this.db.selectFrom('attribute_catalogue').selectAll().where('id', '=', 1).executeTakeFirst());
  }

  /** Stores the catalogue, audits it and re-evaluates every connection's users, in one transaction. */
  async saveCatalogue(catalogue: Catalogue, audit: Audited, now: string): Promise<void> {
    await this.base.transaction().execute(async (base) => {
      const trx = base.withTables<AttributeTables>();
      const row = { predefined: JSON.stringify(catalogue.predefined), custom: JSON.stringify(catalogue.custom), custom_schema: catalogue.customSchema, updated_at: now };
      await trx
        .insertInto('attribute_catalogue')
        .values({ id: 1, ...row })
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute();
      await new AuditStore(base).append(audit.actor, audit.change, now);
      await scheduleEvaluations(trx, undefined, now);
    });
  }

  /** The connection and its own mappings; with `tenantId`, only a connection of that tenant. */
  async owner(connectionId: string, tenantId?: string): Promise<MappingOwner | undefined> {
    let query = this.db
      .selectFrom('connections')
      .leftJoin('connection_attribute_mappings', (join) =>
        join.onRef('connection_attribute_mappings.connection_id', '=', 'connections.id').onRef('connection_attribute_mappings.tenant_id', '=', 'connections.tenant_id'),
      )
      .select(['connections.tenant_id as tenantId', 'connections.source as source', 'connections.sync_to_user_management as sync', 'connection_attribute_mappings.mappings as mappings'])
      .where('connections.id', '=', connectionId);
    if (tenantId !== undefined) query = query.where('connections.tenant_id', '=', tenantId);
    const row = await query.executeTakeFirst();
    return row && { tenantId: row.tenantId, source: row.source, syncToUserManagement: row.sync === 1, mappings: row.mappings ?? null };
  }

  /**
   * Replaces the connection's own mappings, audits it and re-evaluates its users, in one transaction
   * under the connection row's lock. False when the connection (of that tenant) is gone.
   */
  async saveMappings(connectionId: string, tenantId: string, mappings: string, audit: Audited, now: string): Promise<boolean> {
    return this.base.transaction().execute(async (base) => {
      const trx = base.withTables<AttributeTables>();
      if (!(await lockConnection(base, tenantId, connectionId))) return false;
      await trx
        .insertInto('connection_attribute_mappings')
        .values({ connection_id: connectionId, tenant_id: tenantId, mappings, updated_at: now })
        .onConflict((oc) => oc.column('connection_id').doUpdateSet({ mappings, updated_at: now }))
        .execute();
      await new AuditStore(base).append(audit.actor, audit.change, now);
      await scheduleEvaluations(trx, { connectionId, tenantId }, now);
      return true;
    });
  }

  /** The connection's re-evaluation, if one ever ran. */
  evaluation(connectionId: string, tenantId: string): Promise<AttributeEvaluationsTable | undefined> {
    return this.db.selectFrom('attribute_evaluations').selectAll().where('connection_id', '=', connectionId).where('tenant_id', '=', tenantId).executeTakeFirst();
  }

  /** Re-evaluations still running, across connections: how many, and their counts. */
  async pendingEvaluations(): Promise<{ connections: number; processed: number; total: number }> {
    const row = await this.db
      .selectFrom('attribute_evaluations')
      .select((eb) => [eb.fn.countAll<number>().as('connections'), eb.fn.sum<number>('processed').as('processed'), eb.fn.sum<number>('total').as('total')])
      .where('finished_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { connections: Number(row.connections), processed: Number(row.processed ?? 0), total: Number(row.total ?? 0) };
  }

  /** A page of the connection's users whose values did not all convert, in id order. */
  problems(connectionId: string, tenantId: string, after: string, limit: number) {
    return this.base
      .selectFrom('scim_users')
      .select(['id', 'user_name', 'attribute_problems', 'updated_at'])
      .where('connection_id', '=', connectionId)
      .where('tenant_id', '=', tenantId)
      .where('attribute_problems', 'is not', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** How many of the connection's users have values that did not convert. */
  async problemCount(connectionId: string, tenantId: string): Promise<number> {
    const row = await this.base
      .selectFrom('scim_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('connection_id', '=', connectionId)
      .where('tenant_id', '=', tenantId)
      .where('attribute_problems', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A connection user for a preview: the one with that id or userName, or the one updated last. */
  previewUser(connectionId: string, tenantId: string, user?: string) {
    let query = this.base.selectFrom('scim_users').selectAll().where('connection_id', '=', connectionId).where('tenant_id', '=', tenantId);
    query =
      user === undefined
        ? query.orderBy('updated_at', 'desc').orderBy('id', 'desc')
        : query.where((eb) => eb.or([eb('id', '=', user), eb('user_name_norm', '=', user.toLowerCase())])).orderBy('id');
    return query.limit(1).executeTakeFirst();
  }
}

/**
 * Starts (or restarts) the re-evaluation of one connection's users, or of every connection's when
 * `connection` is undefined, in the caller's transaction. A new generation makes a pass in progress
 * start over from the first user (./reevaluation.ts).
 */
export async function scheduleEvaluations(trx: Kysely<Database & AttributeTables>, connection: { connectionId: string; tenantId: string } | undefined, now: string): Promise<void> {
  let connections = trx
    .selectFrom('connections as c')
    .select((eb) => [
      'c.id as connection_id',
      'c.tenant_id as tenant_id',
      sql.lit(1).as('generation'),
      sql.lit('').as('after_id'),
      sql.lit(0).as('processed'),
      sql.lit(0).as('changed'),
      eb
        .selectFrom('scim_users as u')
        .select((u) => u.fn.countAll<number>().as('n'))
        .whereRef('u.tenant_id', '=', 'c.tenant_id')
        .whereRef('u.connection_id', '=', 'c.id')
        .as('total'),
      sql.val(now).as('started_at'),
      sql.lit(null).as('finished_at'),
      sql.val(now).as('updated_at'),
    ])
    // SQLite reads ON CONFLICT after a SELECT without WHERE as part of a join: the SELECT always has one.
    .where(sql<boolean>`1 = 1`);
  if (connection) connections = connections.where('c.id', '=', connection.connectionId).where('c.tenant_id', '=', connection.tenantId);
  await trx
    .insertInto('attribute_evaluations')
    .columns(['connection_id', 'tenant_id', 'generation', 'after_id', 'processed', 'changed', 'total', 'started_at', 'finished_at', 'updated_at'])
    .expression(connections)
    .onConflict((oc) =>
      oc.column('connection_id').doUpdateSet((eb) => ({
        generation: sql`${sql.ref('attribute_evaluations.generation')} + 1`,
        after_id: '',
        processed: 0,
        changed: 0,
        total: eb.ref('excluded.total'),
        started_at: now,
        finished_at: null,
        updated_at: now,
      })),
    )
    .execute();
}
