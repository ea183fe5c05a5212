/** A connection's number of users or groups, from the trigger-kept counts (migration 0008). */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { ResourceTypeName } from '../schema/index.js';
import type { ConnectionScope } from './scope.js';

/** One indexed read of at most a few shard rows, whatever the connection's size. */
export async function countResources(db: Kysely<Database>, scope: ConnectionScope, resourceType: ResourceTypeName): Promise<number> {
  const { rows } = await sql<{ n: number | string | null }>`select ${keptCount(scope, resourceType)} as n`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The count as a scalar subquery: read alone (countResources) or by a page query beside its rows (src/scim/store/page-seek.ts). */
export function keptCount(scope: ConnectionScope, resourceType: ResourceTypeName): RawBuilder<number | string | null> {
  return sql<number | string | null>`(select sum(n) from scim_counts where tenant_id = ${scope.tenantId} and connection_id = ${scope.connectionId} and resource_type = ${resourceType})`;
}

/**
 * PostgreSQL: the list's version (migration 0012) as a scalar subquery: each shard's version, in
 * shard order, '' before the list has any. It moves with every change to the list's order blocks.
 */
export function listVersion(scope: ConnectionScope, resourceType: ResourceTypeName): RawBuilder<string> {
  return sql<string>`(select coalesce(string_agg(shard || ':' || version, ',' order by shard), '') from scim_counts where tenant_id = ${scope.tenantId} and connection_id = ${scope.connectionId} and resource_type = ${resourceType})`;
}
