import { sql, type Kysely } from 'kysely';
import { sqliteCountTrigger, TABLES } from './0008-scim-counts.js';
import { sqliteOrderTrigger } from './0009-scim-order-blocks.js';
import { isPostgres } from './dialect.js';

/**
 * SQLite: new users and groups are counted by the store that inserts them
 * (src/scim/store/insert-counting.ts says why), so the AFTER INSERT triggers of migrations 0008 and
 * 0009 go. Their AFTER DELETE triggers stay, and PostgreSQL keeps all of its triggers.
 */
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
