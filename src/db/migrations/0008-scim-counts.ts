import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * How many users and groups each connection holds, kept by triggers in the same transaction as the
 * rows themselves, so an unfiltered SCIM list's totalResults and the dashboard's counts are one
 * indexed read instead of a count over every row (tens of milliseconds at 100k users, more at 1M).
 * Triggers rather than application code: every way a row goes — SCIM, Bulk, the directory API,
 * connection deletion, tenant deletion's cascade, a purge — is counted without anyone remembering to.
 *
 * PostgreSQL spreads each connection's count over SHARDS rows, picked at random per statement, so
 * concurrent creates on one connection do not queue on one row lock; readers sum the shards. Its
 * triggers are per statement with transition tables: deleting 100,000 users updates a few rows once.
 * SQLite has one writer at a time, so one row per connection and row-level triggers; since
 * migration 0010 its inserts are counted by the store that inserts (src/db/sqlite/resource-counting.ts).
 */
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
  await db.schema
    .createTable('scim_counts')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    // May go below zero on one shard (a delete lands on another shard than the create); the sum is right.
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('scim_counts_pk', ['tenant_id', 'connection_id', 'resource_type', 'shard'])
    .execute();

  if (isPostgres(db)) {
    await createCountsFunction(db);
    for (const { table, type } of TABLES) {
      await sql`create trigger ${sql.raw(`${table}_count_insert`)} after insert on ${sql.table(table)} referencing new table as changed for each statement execute function scim_counts_change(${sql.lit(type)})`.execute(db);
      await sql`create trigger ${sql.raw(`${table}_count_delete`)} after delete on ${sql.table(table)} referencing old table as changed for each statement execute function scim_counts_change(${sql.lit(type)})`.execute(db);
    }
  } else {
    for (const { table, type } of TABLES) {
      await sqliteCountTrigger(table, type, 'insert').execute(db);
      await sqliteCountTrigger(table, type, 'delete').execute(db);
    }
  }

  // What is there already.
  for (const { table, type } of TABLES) {
    await sql`
      insert into scim_counts (tenant_id, connection_id, resource_type, shard, n)
      select tenant_id, connection_id, ${sql.lit(type)}, 0, count(*) from ${sql.table(table)} group by tenant_id, connection_id`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table } of TABLES) {
    await sql`drop trigger if exists ${sql.raw(`${table}_count_insert`)}${sql.raw(isPostgres(db) ? ` on ${table}` : '')}`.execute(db);
    await sql`drop trigger if exists ${sql.raw(`${table}_count_delete`)}${sql.raw(isPostgres(db) ? ` on ${table}` : '')}`.execute(db);
  }
  if (isPostgres(db)) await sql`drop function if exists scim_counts_change()`.execute(db);
  await db.schema.dropTable('scim_counts').ifExists().execute();
}
