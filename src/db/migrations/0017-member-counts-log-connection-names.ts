import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * Two things the dashboard reads on every page of groups and of monitoring:
 *
 * 1. Each group's number of direct members, kept by triggers in the same transaction as the member
 *    rows (as migration 0008 keeps each connection's users and groups), so a page of groups shows
 *    its counts with one indexed read each instead of counting member rows: counting a
 *    100,000-member group's rows takes 13–40 ms on PostgreSQL and about 8 ms on SQLite. Triggers
 *    rather than application code: members come and go through SCIM, Bulk, PostgreSQL's member
 *    statements, user deletion, connection and tenant deletion and purges, and member rows are never
 *    updated. One row per group: the writes that add or remove a group's members already queue on
 *    the group's row, and a statement counts the groups it touches in group order, so concurrent
 *    statements take the count rows in the same order. A group's row goes with the group.
 *
 *    PostgreSQL counts per statement with transition tables; a removal is counted only for groups
 *    that still exist, so the cascade of a group's deletion (migration 0011) leaves nothing behind.
 *    SQLite counts per row; its AFTER INSERT trigger makes a single-member insert keep a statement
 *    journal of a few pages, in memory (multi-row inserts already keep one).
 *
 * 2. The connection's name on each request-log row, written by the log writer with the row, so the
 *    monitoring page can name a connection deleted since (its log rows outlive it). Null for rows
 *    written before this migration and for a connection deleted before its rows were flushed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scim_member_counts')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('scim_member_counts_pk', ['tenant_id', 'group_id'])
    .execute();

  if (isPostgres(db)) {
    await sql`
      create function scim_member_counts_change() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into scim_member_counts (tenant_id, group_id, n)
            select tenant_id, group_id, count(*) from changed group by tenant_id, group_id order by tenant_id, group_id
            on conflict (tenant_id, group_id) do update set n = scim_member_counts.n + excluded.n;
        else
          insert into scim_member_counts (tenant_id, group_id, n)
            select c.tenant_id, c.group_id, -count(*) from changed c
            where exists (select 1 from scim_groups g where g.id = c.group_id and g.tenant_id = c.tenant_id)
            group by c.tenant_id, c.group_id order by c.tenant_id, c.group_id
            on conflict (tenant_id, group_id) do update set n = scim_member_counts.n + excluded.n;
        end if;
        return null;
      end
      $$`.execute(db);
    await sql`create trigger scim_group_members_count_insert after insert on scim_group_members referencing new table as changed for each statement execute function scim_member_counts_change()`.execute(db);
    await sql`create trigger scim_group_members_count_delete after delete on scim_group_members referencing old table as changed for each statement execute function scim_member_counts_change()`.execute(db);
    await sql`
      create function scim_groups_member_counts_delete() returns trigger language plpgsql as $$
      begin
        delete from scim_member_counts m using changed o where m.tenant_id = o.tenant_id and m.group_id = o.id;
        return null;
      end
      $$`.execute(db);
    await sql`create trigger scim_groups_member_counts_delete after delete on scim_groups referencing old table as changed for each statement execute function scim_groups_member_counts_delete()`.execute(db);
  } else {
    await sql`
      create trigger scim_group_members_count_insert after insert on scim_group_members begin
        insert into scim_member_counts (tenant_id, group_id, n) values (new.tenant_id, new.group_id, 1)
          on conflict (tenant_id, group_id) do update set n = n + 1;
      end`.execute(db);
    // An update, not an upsert: a member deleted by its group's cascade finds no row to count into.
    await sql`
      create trigger scim_group_members_count_delete after delete on scim_group_members begin
        update scim_member_counts set n = n - 1 where tenant_id = old.tenant_id and group_id = old.group_id;
      end`.execute(db);
    await sql`
      create trigger scim_groups_member_counts_delete after delete on scim_groups begin
        delete from scim_member_counts where tenant_id = old.tenant_id and group_id = old.id;
      end`.execute(db);
  }

  // What is there already.
  await sql`
    insert into scim_member_counts (tenant_id, group_id, n)
    select tenant_id, group_id, count(*) from scim_group_members group by tenant_id, group_id`.execute(db);

  await db.schema.alterTable('request_logs').addColumn('connection_name', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('request_logs').dropColumn('connection_name').execute();
  const on = (table: string) => sql.raw(isPostgres(db) ? ` on ${table}` : '');
  await sql`drop trigger if exists scim_group_members_count_insert${on('scim_group_members')}`.execute(db);
  await sql`drop trigger if exists scim_group_members_count_delete${on('scim_group_members')}`.execute(db);
  await sql`drop trigger if exists scim_groups_member_counts_delete${on('scim_groups')}`.execute(db);
  if (isPostgres(db)) {
    await sql`drop function if exists scim_member_counts_change()`.execute(db);
    await sql`drop function if exists scim_groups_member_counts_delete()`.execute(db);
  }
  await db.schema.dropTable('scim_member_counts').ifExists().execute();
}
