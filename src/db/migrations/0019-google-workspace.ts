import { type Kysely } from 'kysely';

/**
 * Google Workspace directories (src/google-workspace/): connections whose source is
 * `google-workspace` are read from Google's Directory API instead of being pushed to.
 *
 * - `google_workspace_connections`: per such connection, its authorisation (status, the way, the sealed
 *   credentials: a refresh token or a service account key), what it syncs (the whole domain or chosen
 *   groups), its schedule, the lease of the one process syncing it, and a pending OAuth consent.
 * - `google_workspace_syncs`: every sync, with its start, end, counts and error, for monitoring.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('google_workspace_connections')
    .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('auth_method', 'text')
    .addColumn('credentials', 'text')
    .addColumn('admin_email', 'text')
    .addColumn('service_account_email', 'text')
    .addColumn('selection', 'text', (c) => c.notNull())
    .addColumn('interval_minutes', 'integer', (c) => c.notNull())
    .addColumn('next_sync_at', 'text')
    .addColumn('sync_requested_at', 'text')
    .addColumn('sync_trigger', 'text')
    .addColumn('lease_holder', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('oauth_state_hash', 'text')
    .addColumn('oauth_state_expires_at', 'text')
    .addColumn('oauth_return_to', 'text')
    .addColumn('oauth_actor', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The scheduler's look for a due connection.
  await db.schema.createIndex('google_workspace_connections_due').on('google_workspace_connections').columns(['status', 'next_sync_at']).execute();
  await db.schema.createIndex('google_workspace_connections_oauth_state').on('google_workspace_connections').column('oauth_state_hash').execute();

  await db.schema
    .createTable('google_workspace_syncs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('google_workspace_syncs_connection').on('google_workspace_syncs').columns(['connection_id', 'started_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('google_workspace_syncs').ifExists().execute();
  await db.schema.dropTable('google_workspace_connections').ifExists().execute();
}
