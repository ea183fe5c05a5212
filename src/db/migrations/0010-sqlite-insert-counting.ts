import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * SQLite: new users and groups are counted by the store that inserts them
 * (src/db/sqlite/resource-counting.ts says why), so the AFTER INSERT triggers of migrations 0008 and
 * 0009 go. Their AFTER DELETE triggers stay, and PostgreSQL keeps all of its triggers.
 */
// The tables and the insert triggers of migrations 0008 and 0009, copied: a migration imports nothing from another.
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
  if (isPostgres(db)) return;
  for (const { table } of TABLES) {
    await sql`drop trigger if exists ${sql.raw(`${table}_count_insert`)}`.execute(db);
    await sql`drop trigger if exists ${sql.raw(`${table}_order_insert`)}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  for (const { table, type } of TABLES) {
    await sqliteCountTrigger(table, type, 'insert').execute(db);
    await sqliteOrderTrigger(table, type, 'insert').execute(db);
  }
}
