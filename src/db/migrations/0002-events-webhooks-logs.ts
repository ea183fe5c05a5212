import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/** The event outbox, webhooks and their deliveries, and the SCIM request log. */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  // A 64-bit auto-increment key: bigserial on PostgreSQL, AUTOINCREMENT rowid on SQLite (never reused).
  const serial = (table: string) =>
    db.schema.createTable(table).addColumn('seq', pg ? sql`bigserial` : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()));

  await serial('events')
    // PostgreSQL: the writing transaction's id; the feed only reads below the oldest running one, so a
    // reader never skips an event that commits late. SQLite has one writer at a time: 0.
    .addColumn('tx_order', 'bigint', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text')
    .addColumn('resource_id', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_order').on('events').columns(['tx_order', 'seq']).execute();
  await db.schema.createIndex('events_tenant_order').on('events').columns(['tenant_id', 'tx_order', 'seq']).execute();
  await db.schema.createIndex('events_occurred').on('events').column('occurred_at').execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text')
    .addColumn('tenant_id', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cursor_tx', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('cursor_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event_seq', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('resource_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_event', ['webhook_id', 'event_seq'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_resource').on('webhook_deliveries').columns(['webhook_id', 'resource_key', 'event_seq']).execute();
  await db.schema.createIndex('webhook_deliveries_history').on('webhook_deliveries').columns(['webhook_id', 'created_at']).execute();

  await serial('request_logs')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('query', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('scim_type', 'text')
    .addColumn('detail', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_logs_connection').on('request_logs').columns(['connection_id', 'created_at']).execute();
  await db.schema.createIndex('request_logs_tenant').on('request_logs').columns(['tenant_id', 'created_at']).execute();
  await db.schema.createIndex('request_logs_created').on('request_logs').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['request_logs', 'webhook_deliveries', 'webhooks', 'events']) await db.schema.dropTable(table).ifExists().execute();
}
