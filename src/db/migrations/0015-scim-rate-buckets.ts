import type { Kysely } from 'kysely';

/**
 * One token bucket per SCIM connection, shared by every process on the database, so that
 * SCIM_RATE_LIMIT holds for the deployment rather than per process. Processes take tokens from it
 * in chunks, each by one statement that refills the bucket for the time since the last take and
 * takes what it can (src/db/sqlite/rate-buckets.ts, src/db/postgres/rate-buckets.ts); they serve
 * requests from what they took (src/limits/shared-rate-limit.ts). The row is made by a connection's
 * first take and goes with the connection (and so with its tenant).
 *
 * Self-contained, as every migration: nothing is imported from the others.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scim_rate_buckets')
    .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    // Tokens left after the last take, fractional: the bucket refills continuously.
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    // When `tokens` was last brought up to date, in milliseconds since 1970 on the database's clock.
    .addColumn('refilled_at', 'double precision', (c) => c.notNull())
    // How many tokens the last take got: what the take reads back (RETURNING sees only new values).
    .addColumn('granted', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scim_rate_buckets').ifExists().execute();
}
