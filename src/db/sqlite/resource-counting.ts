/**
 * SQLite: a new user or group is counted into scim_counts and its order block by the insert itself
 * (`insertCounted`, the SQLite dialect's `insertResource`), instead of by AFTER INSERT triggers
 * (migration 0010 drops them on SQLite).
 *
 * Why: an INSERT that fires triggers may write several rows, so inside a transaction SQLite keeps a
 * statement journal for it, a copy of every page the statement touches (the row, its eight index
 * entries, the two counters), in case the statement has to be undone alone. Past 64 KiB that journal
 * spills to a temporary file — about one create in five opened, wrote and deleted a file. Three
 * single-row statements need no statement journal at all. Every insert of a user or group goes
 * through the dialect's `insertResource` (test/storage/resource-counts.test.ts checks that no other
 * code inserts them); deletes, which come from many places (SCIM, Bulk, the directory API,
 * connection and tenant deletion), are still counted by triggers.
 *
 * PostgreSQL keeps its per-statement triggers: they cost one trigger call per statement there.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { insertResourceRow, type NewResourceRow } from '../scim-dialect.js';
import type { Database } from '../tables.js';
import type { ResourceTypeName } from '../../scim/schema/index.js';
import type { ConnectionScope } from '../../scim/store/scope.js';

/** The count and the list's version (migration 0012). */
const COUNT = `insert into scim_counts (tenant_id, connection_id, resource_type, shard, n, version) values (?, ?, ?, 0, 1, 1)
  on conflict (tenant_id, connection_id, resource_type, shard) do update set n = n + 1, version = version + 1`;
const BLOCK = `select start_at, start_id from scim_order_blocks
  where tenant_id = ? and connection_id = ? and resource_type = ? and (start_at, start_id) <= (?, ?)
  order by start_at desc, start_id desc limit 1`;
const COUNT_IN_BLOCK = `insert into scim_order_blocks (tenant_id, connection_id, resource_type, start_at, start_id, shard, n) values (?, ?, ?, ?, ?, 0, 1)
  on conflict (tenant_id, connection_id, resource_type, start_at, start_id, shard) do update set n = n + 1`;

/** Inserts a user or group through `db` (a SQLite write transaction) and counts it. */
export async function insertCounted(db: Kysely<Database>, dialect: Dialect, scope: ConnectionScope, resource: NewResourceRow): Promise<void> {
  await insertResourceRow(db, dialect, resource);
  await countInserted(db, scope, resource.table === 'scim_users' ? 'User' : 'Group', resource.row);
}

/** Counts one row just inserted by `db` into its connection's count and order block. */
async function countInserted(
  db: Kysely<Database>,
  scope: ConnectionScope,
  resourceType: ResourceTypeName,
  row: { id: string; created_at: string },
): Promise<void> {
  const key = [scope.tenantId, scope.connectionId, resourceType];
  await db.executeQuery(CompiledQuery.raw(COUNT, key));
  const found = await db.executeQuery<{ start_at: string; start_id: string }>(CompiledQuery.raw(BLOCK, [...key, row.created_at, row.id]));
  const block = found.rows[0] ?? { start_at: '', start_id: '' };
  await db.executeQuery(CompiledQuery.raw(COUNT_IN_BLOCK, [...key, block.start_at, block.start_id]));
}
