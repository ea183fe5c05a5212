import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * Order statistics for the default list order (created_at, id), so a page at any startIndex is found
 * without walking every row before it (src/scim/store/order-blocks.ts explains the reads).
 *
 * Each connection's users (and groups) are cut into blocks of consecutive rows in that order. A block
 * is named by its lower bound, `(start_at, start_id)`, and holds the rows from there up to the next
 * block's bound; `n` is how many. The first block's bound is ('', ''), below every key, so every row
 * falls into exactly one block. Triggers add and subtract in the same transaction as the rows — for
 * every way a row comes or goes, as for the counts of migration 0008. Blocks are split, merged and
 * tidied by src/scim/store/order-maintenance.ts; the triggers only count.
 *
 * PostgreSQL: per-statement triggers with transition tables, counts spread over shard rows picked at
 * random (as scim_counts, with its SHARDS) so concurrent creates do not queue on the last block's
 * row, and a shared advisory lock per connection that the maintenance takes exclusively, so it sees
 * every counted row committed and no trigger counts into a block being split. SQLite has one writer:
 * row triggers, one row per block; since migration 0010 its inserts are counted by the store instead.
 */

/** Count rows per connection, as migration 0008's (copied: a migration imports nothing from another). */
const SHARDS = 16;

const TABLES = [
  { table: 'scim_users', type: 'User' },
  { table: 'scim_groups', type: 'Group' },
] as const;

/** SQLite's row trigger counting one row into or out of its block (migration 0010 drops the insert ones again). */
function sqliteOrderTrigger(table: string, type: string, event: 'insert' | 'delete') {
  const [row, delta] = event === 'insert' ? ['new', '+ 1'] : ['old', '- 1'];
  // `where true`: SQLite needs it to parse an upsert after INSERT … SELECT … FROM.
  return sql`
    create trigger ${sql.raw(`${table}_order_${event}`)} after ${sql.raw(event)} on ${sql.table(table)} begin
      insert into scim_order_blocks (tenant_id, connection_id, resource_type, start_at, start_id, shard, n)
        select ${sql.raw(row)}.tenant_id, ${sql.raw(row)}.connection_id, ${sql.lit(type)}, coalesce(b.start_at, ''), coalesce(b.start_id, ''), 0, 0 ${sql.raw(delta)}
        from (select 1) one left join (
          select start_at, start_id from scim_order_blocks
          where tenant_id = ${sql.raw(row)}.tenant_id and connection_id = ${sql.raw(row)}.connection_id and resource_type = ${sql.lit(type)}
            and (start_at, start_id) <= (${sql.raw(row)}.created_at, ${sql.raw(row)}.id)
          order by start_at desc, start_id desc
          limit 1
        ) b
        where true
        on conflict (tenant_id, connection_id, resource_type, start_at, start_id, shard) do update set n = n ${sql.raw(delta)};
    end`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scim_order_blocks')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('start_id', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    // May go below zero on one shard; the block's sum is right.
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('scim_order_blocks_pk', ['tenant_id', 'connection_id', 'resource_type', 'start_at', 'start_id', 'shard'])
    .execute();

  if (isPostgres(db)) {
    await sql`
      create function scim_order_blocks_change() returns trigger language plpgsql volatile as $$
      declare
        picked int := floor(random() * ${sql.lit(SHARDS)})::int;
        direction int := case when tg_op = 'INSERT' then 1 else -1 end;
      begin
        -- Shared with every other writer of these connections; taken exclusively by block maintenance.
        perform pg_advisory_xact_lock_shared(hashtextextended(k, 0))
          from (select distinct connection_id || '/' || tg_argv[0] as k from changed order by 1) keys;
        insert into scim_order_blocks (tenant_id, connection_id, resource_type, start_at, start_id, shard, n)
          select c.tenant_id, c.connection_id, tg_argv[0], coalesce(b.start_at, ''), coalesce(b.start_id, ''), picked, direction * count(*)
          from changed c
          left join lateral (
            select o.start_at, o.start_id from scim_order_blocks o
            where o.tenant_id = c.tenant_id and o.connection_id = c.connection_id and o.resource_type = tg_argv[0]
              and (o.start_at, o.start_id) <= (c.created_at, c.id)
            order by o.start_at desc, o.start_id desc
            limit 1
          ) b on true
          group by c.tenant_id, c.connection_id, coalesce(b.start_at, ''), coalesce(b.start_id, '')
          on conflict (tenant_id, connection_id, resource_type, start_at, start_id, shard) do update set n = scim_order_blocks.n + excluded.n;
        return null;
      end
      $$`.execute(db);
    for (const { table, type } of TABLES) {
      await sql`create trigger ${sql.raw(`${table}_order_insert`)} after insert on ${sql.table(table)} referencing new table as changed for each statement execute function scim_order_blocks_change(${sql.lit(type)})`.execute(db);
      await sql`create trigger ${sql.raw(`${table}_order_delete`)} after delete on ${sql.table(table)} referencing old table as changed for each statement execute function scim_order_blocks_change(${sql.lit(type)})`.execute(db);
    }
  } else {
    for (const { table, type } of TABLES) {
      await sqliteOrderTrigger(table, type, 'insert').execute(db);
      await sqliteOrderTrigger(table, type, 'delete').execute(db);
    }
  }

  // What is there already: one block per connection, split by the maintenance job afterwards.
  for (const { table, type } of TABLES) {
    await sql`
      insert into scim_order_blocks (tenant_id, connection_id, resource_type, start_at, start_id, shard, n)
      select tenant_id, connection_id, ${sql.lit(type)}, '', '', 0, count(*) from ${sql.table(table)} group by tenant_id, connection_id`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table } of TABLES) {
    for (const event of ['insert', 'delete']) {
      await sql`drop trigger if exists ${sql.raw(`${table}_order_${event}`)}${sql.raw(isPostgres(db) ? ` on ${table}` : '')}`.execute(db);
    }
  }
  if (isPostgres(db)) await sql`drop function if exists scim_order_blocks_change()`.execute(db);
  await db.schema.dropTable('scim_order_blocks').ifExists().execute();
}
