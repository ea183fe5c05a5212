/**
 * SQLite: a new user or group counted into scim_counts and its order block by the store that
 * inserts it, instead of by AFTER INSERT triggers (migration 0010 drops them on SQLite).
 *
 * Why: an INSERT that fires triggers may write several rows, so inside a transaction SQLite keeps a
 * statement journal for it, a copy of every page the statement touches (the row, its eight index
 * entries, the two counters), in case the statement has to be undone alone. Past 64 KiB that journal
 * spills to a temporary file — about one create in five opened, wrote and deleted a file. Three
 * single-row statements need no statement journal at all. Inserts happen in one place per table
 * (UserStore.insert, GroupStore.insert); deletes, which come from many places (SCIM, Bulk, the
 * directory API, connection and tenant deletion), are still counted by triggers.
 *
 * PostgreSQL keeps its per-statement triggers: they cost one trigger call per statement there.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { ResourceTypeName } from '../schema/index.js';
import type { ConnectionScope } from './scope.js';

/** The count and the list's version (migration 0012). */
const COUNT = `insert into scim_counts (tenant_id, connection_id, resource_type, shard, n, version) values (?, ?, ?, 0, 1, 1)
  on conflict (tenant_id, connection_id, resource_type, shard) do update set n = n + 1, version = version + 1`;
const BLOCK = `select start_at, start_id from scim_order_blocks
  where tenant_id = ? and connection_id = ? and resource_type = ? and (start_at, start_id) <= (?, ?)
  order by start_at desc, start_id desc limit 1`;
const COUNT_IN_BLOCK = `insert into scim_order_blocks (tenant_id, connection_id, resource_type, start_at, start_id, shard, n) values (?, ?, ?, ?, ?, 0, 1)
  on conflict (tenant_id, connection_id, resource_type, start_at, start_id, shard) do update set n = n + 1`;

/** Counts one row just inserted by `db` (a SQLite write transaction) into its connection's count and order block. */
export async function countInsertedSqlite(
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
