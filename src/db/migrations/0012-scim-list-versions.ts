import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * A version for each list of users or groups, so a process can keep the list's order blocks
 * (migration 0009) and tell whether they are still the blocks it would read
 * (src/scim/store/order-blocks.ts, postgres-block-index.ts).
 *
 * Each shard row of scim_counts gains `version`, which whatever counts rows into that shard adds one
 * to in the same statement — PostgreSQL's count trigger, SQLite's delete triggers and the SQLite
 * store that counts its inserts (src/db/sqlite/resource-counting.ts) — and block upkeep adds one to on
 * a shard of its own (UPKEEP_SHARD, which no count picks) whenever it changes blocks. Rows are counted
 * by the same statements (PostgreSQL) or in the same transaction (SQLite) as their order blocks, so
 * every change to a list's blocks moves a shard's version with it. The list's version is its shards'
 * versions, in shard order:
 *
 * - it only grows: a shard's version only ever has one added to it, under the row's lock;
 * - it is exact: a snapshot that sees a transaction more than another, among those that changed
 *   the blocks, sees at least one shard higher; one that rolled back added nothing and changed nothing.
 */

// What migration 0008 made, copied: a migration imports nothing from another.
const SHARDS = 16;

const TABLES = [
  { table: 'scim_users', type: 'User' },
  { table: 'scim_groups', type: 'Group' },
] as const;

/**
 * SQLite's row trigger counting one row in or out (migration 0010 drops the insert ones again);
 * `versioned`, it moves the count row's version too (migration 0012).
 */
function sqliteCountTrigger(table: string, type: string, event: 'insert' | 'delete', versioned = false) {
  const [row, delta] = event === 'insert' ? ['new', '+ 1'] : ['old', '- 1'];
  const [columns, values, version] = versioned ? [sql`, version`, sql`, 1`, sql`, version = version + 1`] : [sql``, sql``, sql``];
  return sql`
    create trigger ${sql.raw(`${table}_count_${event}`)} after ${sql.raw(event)} on ${sql.table(table)} begin
      insert into scim_counts (tenant_id, connection_id, resource_type, shard, n${columns}) values (${sql.raw(row)}.tenant_id, ${sql.raw(row)}.connection_id, ${sql.lit(type)}, 0, 0 ${sql.raw(delta)}${values})
        on conflict (tenant_id, connection_id, resource_type, shard) do update set n = n ${sql.raw(delta)}${version};
    end`;
}

/** PostgreSQL's statement trigger function counting rows in and out (migration 0012 replaces it, and its down puts this back). */
async function createCountsFunction(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function scim_counts_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into scim_counts (tenant_id, connection_id, resource_type, shard, n)
          select tenant_id, connection_id, tg_argv[0], floor(random() * ${sql.lit(SHARDS)})::int, count(*) from changed group by tenant_id, connection_id
          on conflict (tenant_id, connection_id, resource_type, shard) do update set n = scim_counts.n + excluded.n;
      else
        insert into scim_counts (tenant_id, connection_id, resource_type, shard, n)
          select tenant_id, connection_id, tg_argv[0], floor(random() * ${sql.lit(SHARDS)})::int, -count(*) from changed group by tenant_id, connection_id
          on conflict (tenant_id, connection_id, resource_type, shard) do update set n = scim_counts.n + excluded.n;
      end if;
      return null;
    end
    $$`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('scim_counts').addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  if (!isPostgres(db)) {
    for (const { table, type } of TABLES) {
      await sql`drop trigger ${sql.raw(`${table}_count_delete`)}`.execute(db);
      await sqliteCountTrigger(table, type, 'delete', true).execute(db);
    }
    return;
  }
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
  else {
    for (const { table, type } of TABLES) {
      await sql`drop trigger ${sql.raw(`${table}_count_delete`)}`.execute(db);
      await sqliteCountTrigger(table, type, 'delete').execute(db);
    }
  }
  await db.schema.alterTable('scim_counts').dropColumn('version').execute();
}
