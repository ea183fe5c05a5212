import { sql, type Kysely } from 'kysely';
import { isPostgres, serialType } from './dialect.js';

/**
 * Safe deprovisioning (src/deprovisioning/): a guard against mass deactivation, held changes and the
 * app's view of the users they concern.
 *
 * - `deprovisioning_settings`: per connection, its mode and guard, whether the guard tripped, how many
 *   changes are held; its row is also what serialises the guard's decisions of one connection.
 * - `deprovisioning_marks`: how many users each connection deprovisioned, per minute: what the guard
 *   counts, a window's sum costing its minutes' rows however many users went.
 * - `held_changes`: each held change, what it would emit, and how it was reviewed.
 * - `app_view_memberships`: group memberships the app keeps while a change that removed them is held
 *   or was discarded.
 * - `scim_users.app_view`: 1 while the app's view of the user differs from the row (a held or
 *   discarded change), so a SCIM write reads the held changes only for those users.
 * - `request_logs.request_id`: the id a held change names its SCIM request by. Not indexed: the id
 *   carries the request's start, so a lookup reads the minutes after it (src/monitoring/store.ts)
 *   and the log's writes keep their cost.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('deprovisioning_settings')
    .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('guard_enabled', 'integer', (c) => c.notNull())
    .addColumn('max_users', 'integer', (c) => c.notNull())
    .addColumn('max_percent', 'integer', (c) => c.notNull())
    .addColumn('window_minutes', 'integer', (c) => c.notNull())
    .addColumn('tripped_at', 'text')
    .addColumn('armed_at', 'text')
    .addColumn('base_active', 'integer')
    .addColumn('base_at', 'text')
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('deprovisioning_marks')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('minute', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('deprovisioning_marks_pk', ['connection_id', 'minute'])
    .execute();
  await db.schema.createIndex('deprovisioning_marks_minute').on('deprovisioning_marks').column('minute').execute();

  await db.schema
    .createTable('held_changes')
    .addColumn('seq', serialType(db), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('user_created_at', 'text', (c) => c.notNull())
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text')
    .addColumn('group_name', 'text')
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .execute();
  await db.schema.createIndex('held_changes_review').on('held_changes').columns(['connection_id', 'status', 'seq']).execute();
  // The directory's pages of users whose deletion the app does not see yet, in its (created_at, id) order.
  await db.schema.createIndex('held_changes_retained').on('held_changes').columns(['tenant_id', 'user_created_at', 'user_id']).where(sql.ref('change'), '=', sql.lit('deletion')).execute();
  await db.schema.createIndex('held_changes_user').on('held_changes').columns(['tenant_id', 'user_id']).where(sql.ref('status'), 'in', [sql.lit('held'), sql.lit('discarded')]).execute();

  await db.schema
    .createTable('app_view_memberships')
    .addColumn('held_change_id', 'text', (c) => c.notNull().references('held_changes.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('app_view_memberships_pk', ['held_change_id', 'group_id'])
    .execute();
  await db.schema.createIndex('app_view_memberships_group').on('app_view_memberships').columns(['tenant_id', 'group_id', 'user_id']).execute();
  await db.schema.createIndex('app_view_memberships_user').on('app_view_memberships').columns(['tenant_id', 'user_id']).execute();

  await db.schema.alterTable('scim_users').addColumn('app_view', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('request_logs').addColumn('request_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('request_logs').dropColumn('request_id').execute();
  await db.schema.alterTable('scim_users').dropColumn('app_view').execute();
  for (const table of ['app_view_memberships', 'held_changes', 'deprovisioning_marks', 'deprovisioning_settings']) await db.schema.dropTable(table).ifExists().execute();
}
