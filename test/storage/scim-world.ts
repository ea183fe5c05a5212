/**
 * What the SCIM storage tests of this folder share: tenants and connections made as rows, the
 * storage and services over one database, SCIM errors caught as values, and the counts a connection
 * keeps (scim_counts, scim_order_blocks) beside the rows it really has.
 */
import { sql } from 'kysely';
import type { Db } from '../../src/db/open.js';
import { ScimError } from '../../src/scim/errors.js';
import type { ResourceTypeName } from '../../src/scim/schema/index.js';
import { BulkService } from '../../src/scim/service/bulk-service.js';
import { GroupService } from '../../src/scim/service/group-service.js';
import type { ScimStorage, ScimStorageOptions } from '../../src/scim/service/scim-storage.js';
import { UserService } from '../../src/scim/service/user-service.js';
import { countResources } from '../../src/scim/store/resource-counts.js';
import type { ConnectionScope } from '../../src/scim/store/scope.js';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BASE = 'https://rollcall.test/scim/v2';
const NOW = '2026-11-29T00:00:00.000Z';

/** The storage of one database and the services over it. */
export interface Services {
  storage: ScimStorage;
  users: UserService;
  groups: GroupService;
  bulk: BulkService;
}

export function services(db: Db, options: ScimStorageOptions = {}, storage = db.dialect.scim.storage(db, options)): Services {
  const users = new UserService(storage);
  const groups = new GroupService(storage);
  return { storage, users, groups, bulk: new BulkService(users, groups, storage.writes) };
}

/** Stops what the storage runs in the background (PostgreSQL's block reads, statistics) before its database closes. */
export async function closeStorage(storage: ScimStorage): Promise<void> {
  await (storage.blockIndex as Partial<{ idle(): Promise<void> }>).idle?.();
  await storage.close();
}

export async function addTenant(db: Db, id: string): Promise<void> {
  await db.kysely.insertInto('tenants').values({ id, name: id.toUpperCase(), created_at: NOW, updated_at: NOW }).execute();
}

let connections = 0;

/** A new connection of `tenantId`, as a row; its scope records events. */
export async function addConnection(db: Db, tenantId: string, name = 'conn'): Promise<ConnectionScope> {
  const id = `${name}-${++connections}`;
  await db.kysely
    .insertInto('connections')
    .values({ id, tenant_id: tenantId, source: 'okta', connection_name: id, sync_to_user_management: 1, created_at: NOW, updated_at: NOW, last_sync_at: null })
    .execute();
  return { tenantId, connectionId: id, emitEvents: true };
}

/** The SCIM error a call ends with, as the client sees it; anything else (success included) fails the test. */
export async function scimError(call: Promise<unknown>): Promise<{ status: number; scimType?: string; detail: string }> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof ScimError) return { status: error.status, ...(error.scimType ? { scimType: error.scimType } : {}), detail: error.message };
    throw error;
  }
  throw new Error(`expected a SCIM error, got ${JSON.stringify(result)}`);
}

const TABLE = { User: 'scim_users', Group: 'scim_groups' } as const;

/** The rows of the connection, counted. */
export async function rowCount(db: Db, scope: ConnectionScope, type: ResourceTypeName): Promise<number> {
  const row = await db.kysely
    .selectFrom(TABLE[type])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', scope.tenantId)
    .where('connection_id', '=', scope.connectionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The sum of the connection's order blocks. */
export async function blockTotal(db: Db, scope: ConnectionScope, type: ResourceTypeName): Promise<number> {
  const row = await db.kysely
    .selectFrom('scim_order_blocks')
    .select(sql<number | string | null>`sum(n)`.as('n'))
    .where('tenant_id', '=', scope.tenantId)
    .where('connection_id', '=', scope.connectionId)
    .where('resource_type', '=', type)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A connection's rows, its kept count (scim_counts) and its order blocks' total, per resource type. */
export async function counted(db: Db, scope: ConnectionScope) {
  const of = async (type: ResourceTypeName) => ({ rows: await rowCount(db, scope, type), kept: await countResources(db.kysely, scope, type), blocks: await blockTotal(db, scope, type) });
  return { User: await of('User'), Group: await of('Group') };
}

/** `counted` as it is when every kept number is right: each is the number of rows. */
export function exactly(users: number, groups: number) {
  return { User: { rows: users, kept: users, blocks: users }, Group: { rows: groups, kept: groups, blocks: groups } };
}

/**
 * Every (tenant, connection, resource type) of the database with what it has: rows, scim_counts,
 * order blocks. Zeroes are left out, so a list with no rows and no counts does not show.
 */
export async function everyCount(db: Db): Promise<Record<string, { rows: number; kept: number; blocks: number }>> {
  const out: Record<string, { rows: number; kept: number; blocks: number }> = {};
  const put = (tenant: string, connection: string, type: string, field: 'rows' | 'kept' | 'blocks', n: unknown) => {
    const key = `${tenant}/${connection}/${type}`;
    out[key] ??= { rows: 0, kept: 0, blocks: 0 };
    out[key][field] += Number(n);
  };
  for (const type of ['User', 'Group'] as const) {
    const rows = await db.kysely
      .selectFrom(TABLE[type])
      .select(['tenant_id', 'connection_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['tenant_id', 'connection_id'])
      .execute();
    for (const r of rows) put(r.tenant_id, r.connection_id, type, 'rows', r.n);
  }
  const kept = await db.kysely.selectFrom('scim_counts').select(['tenant_id', 'connection_id', 'resource_type', sql<number>`sum(n)`.as('n')]).groupBy(['tenant_id', 'connection_id', 'resource_type']).execute();
  for (const r of kept) put(r.tenant_id, r.connection_id, r.resource_type, 'kept', r.n);
  const blocks = await db.kysely.selectFrom('scim_order_blocks').select(['tenant_id', 'connection_id', 'resource_type', sql<number>`sum(n)`.as('n')]).groupBy(['tenant_id', 'connection_id', 'resource_type']).execute();
  for (const r of blocks) put(r.tenant_id, r.connection_id, r.resource_type, 'blocks', r.n);
  for (const [key, value] of Object.entries(out)) if (value.rows === 0 && value.kept === 0 && value.blocks === 0) delete out[key];
  return out;
}

/** The events of a connection, in feed order, as (type, resource id, data). */
export async function eventsOf(db: Db, scope: ConnectionScope) {
  const rows = await db.kysely
    .selectFrom('events')
    .select(['type', 'resource_id', 'data', 'tenant_id', 'connection_id'])
    .where('tenant_id', '=', scope.tenantId)
    .where('connection_id', '=', scope.connectionId)
    .orderBy('tx_order')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ type: r.type, resourceId: r.resource_id, data: JSON.parse(r.data) as Record<string, unknown> }));
}
