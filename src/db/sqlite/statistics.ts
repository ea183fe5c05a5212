/**
 * Planner statistics for SQLite. Without ANALYZE data SQLite's planner ranks indexes by how many
 * equality columns they match, and on a fresh database it would, for instance, page through a
 * connection's users to find one email instead of looking the email up. Until a real ANALYZE has
 * run (the `sqlite.optimize` job runs `PRAGMA optimize`), we give it the shape of a large
 * directory: many users per connection, one row per userName, few per email.
 */
import { sql } from 'kysely';
import type { Db } from '../open.js';

/** `sqlite_stat1.stat` per index: total rows, then rows per distinct prefix of the index columns. */
const SHAPE: Record<string, [table: string, stat: string]> = {
  scim_users_user_name: ['scim_users', '1000000 100000 100000 1'],
  scim_users_external_id: ['scim_users', '1000000 100000 100000 1'],
  scim_users_display_name: ['scim_users', '1000000 100000 100000 2'],
  scim_users_tenant: ['scim_users', '1000000 100000 1'],
  scim_users_tenant_page: ['scim_users', '1000000 100000 1 1'],
  scim_users_tenant_connection_page: ['scim_users', '1000000 100000 100000 1 1'],
  scim_users_tenant_email_page: ['scim_users', '1000000 100000 2 1 1'],
  scim_users_detached: ['scim_users', '1000 1000 1000 1'],
  scim_user_emails_value: ['scim_user_emails', '1000000 100000 1'],
  // Mapped values (migration 0018): a few attributes per user, tens of users per value.
  scim_user_attribute_values_lookup: ['scim_user_attribute_values', '3000000 300000 30000 30 1 1'],
  scim_users_attribute_problems: ['scim_users', '1000 1000 1000 1'],
  scim_groups_display_name: ['scim_groups', '100000 10000 10000 1'],
  scim_groups_external_id: ['scim_groups', '100000 10000 10000 1'],
  scim_groups_tenant: ['scim_groups', '100000 10000 1'],
  scim_groups_tenant_page: ['scim_groups', '100000 10000 1 1'],
  scim_groups_tenant_connection_page: ['scim_groups', '100000 10000 10000 1 1'],
  scim_groups_detached: ['scim_groups', '1000 1000 1000 1'],
  scim_group_members_member: ['scim_group_members', '5000000 5 1'],
};

/** Installs the default statistics unless real ones exist; no-op on PostgreSQL (it analyzes itself). */
export async function seedSqliteStatistics(db: Db): Promise<void> {
  if (db.dialect.name !== 'sqlite') return;
  const k = db.kysely;
  const table = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(k);
  if (Number(table.rows[0]?.n ?? 0) > 0) {
    const seeded = await sql<{ n: number }>`select count(*) as n from sqlite_stat1 where tbl = 'scim_users'`.execute(k);
    if (Number(seeded.rows[0]?.n ?? 0) > 0) return;
  } else {
    // Creates sqlite_stat1 (cheap here: no statistics exist yet, so the database is new or tiny).
    await sql`analyze sqlite_master`.execute(k);
  }
  const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(k);
  const present = new Set(indexes.rows.map((r) => r.name));
  for (const [index, [tbl, stat]] of Object.entries(SHAPE)) {
    if (!present.has(index)) continue;
    await sql`delete from sqlite_stat1 where idx = ${index}`.execute(k);
    await sql`insert into sqlite_stat1 (tbl, idx, stat) values (${tbl}, ${index}, ${stat})`.execute(k);
  }
  // Reload the statistics into this connection's planner.
  await sql`analyze sqlite_schema`.execute(k);
}

/** Hourly `PRAGMA optimize` on SQLite: refreshes statistics of tables whose size changed a lot. */
export function sqliteOptimizeJob(db: Db): { name: string; intervalMs: number; run(): Promise<void> } {
  return {
    name: 'sqlite.optimize',
    intervalMs: 3_600_000,
    run: async () => {
      await sql`pragma optimize`.execute(db.kysely);
    },
  };
}
