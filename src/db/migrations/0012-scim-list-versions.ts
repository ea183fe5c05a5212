import { sql, type Kysely } from 'kysely';
import { createCountsFunction, SHARDS } from './0008-scim-counts.js';
import { isPostgres } from './dialect.js';

/**
 * PostgreSQL: a version for each list of users or groups, so a process can keep the list's order
 * blocks (migration 0009) and a page's statement can tell whether they are still the blocks it
 * would read (src/scim/store/postgres-block-index.ts).
 *
 * Each shard row of scim_counts gains `version`, which the count trigger adds one to whenever it
 * counts a statement's rows into that shard, and block upkeep adds one to on a shard of its own
 * (UPKEEP_SHARD, which no trigger picks) whenever it changes blocks. The order-block trigger runs on
 * the same statements as the count trigger, so every change to a list's blocks, by either, moves a
 * shard's version in the same transaction. The list's version is its shards' versions, in shard order:
 *
 * - it only grows: a shard's version only ever has one added to it, under the row's lock;
 * - it is exact: a snapshot that sees a transaction more than another, among those that changed
 *   the blocks, sees at least one shard higher; one that rolled back added nothing and changed nothing.
 *
 * SQLite gains the column too, so both have one shape, and leaves it at 0: its process keeps its
 * blocks by `total_changes()` and `data_version` instead (src/scim/store/order-blocks.ts).
 */

/** The shard block upkeep counts its changes on: past the ones the count trigger picks (0 … SHARDS − 1). */
export const UPKEEP_SHARD = SHARDS;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('scim_counts').addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  if (!isPostgres(db)) return;
  await sql`
    create or replace function scim_counts_change() returns trigger language plpgsql as $$
    begin
      insert into scim_counts (tenant_id, connection_id, resource_type, shard, n, version)
        select tenant_id, connection_id, tg_argv[0], floor(random() * ${sql.lit(SHARDS)})::int,
          case when tg_op = 'INSERT' then count(*) else -count(*) end, 1
        from changed group by tenant_id, connection_id
        on conflict (tenant_id, connection_id, resource_type, shard) do update set n = scim_counts.n + excluded.n, version = scim_counts.version + 1;
      return null;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await createCountsFunction(db);
  await db.schema.alterTable('scim_counts').dropColumn('version').execute();
}
