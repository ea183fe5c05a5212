import type { Kysely } from 'kysely';

/**
 * Per-connection IP allowlists (src/connections/token-store.ts) and leases of background jobs that
 * must run once across all processes, not once per process (src/jobs/exclusive.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('connection_ip_allowlists')
    // Goes with its connection: deleting the connection (or its tenant) deletes the list.
    .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    // JSON array of CIDR blocks; read whole with the token on every SCIM request.
    .addColumn('cidrs', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    // The next run may start at or after this time; claiming moves it forward.
    .addColumn('run_after', 'text', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['job_leases', 'connection_ip_allowlists']) await db.schema.dropTable(table).ifExists().execute();
}
