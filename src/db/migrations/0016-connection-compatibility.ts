import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * A connection's compatibility switches (src/connections/compatibility.ts): the ones its vendor or
 * the customer's admin set, as a JSON object; a switch not in it takes the source preset's default.
 * Read with the token on every SCIM request and kept with the resolved token in each process, so a
 * change moves the SCIM access version (migration 0014) in its own transaction, as an IP allowlist
 * change does: every process sees it on its next request.
 *
 * Self-contained, as every migration: nothing is imported from the others.
 */

const TRIGGERS = [
  ['compatibility_insert', 'insert'],
  ['compatibility_update', 'update'],
  ['compatibility_delete', 'delete'],
] as const;

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('connection_compatibility')
    // Goes with its connection: deleting the connection (or its tenant) deletes the switches.
    .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  for (const [name, event] of TRIGGERS) {
    if (isPostgres(db)) {
      await sql`
        create trigger ${sql.raw(`scim_access_${name}`)} after ${sql.raw(event)} on connection_compatibility
        for each statement execute function scim_access_changed()`.execute(db);
    } else {
      await sql`
        create trigger ${sql.raw(`scim_access_${name}`)} after ${sql.raw(event)} on connection_compatibility
        begin
          update scim_access_version set version = version + 1 where id = 1;
        end`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of TRIGGERS) {
    await sql`drop trigger if exists ${sql.raw(`scim_access_${name}`)}${sql.raw(isPostgres(db) ? ' on connection_compatibility' : '')}`.execute(db);
  }
  await db.schema.dropTable('connection_compatibility').ifExists().execute();
}
