/**
 * PostgreSQL types of the columns that are not `text`, by table, as the migrations create them: rows
 * sent as one array per column (src/db/postgres/column-arrays.ts) are cast by them. test/column-arrays.test.ts
 * compares this list with the catalog of a migrated database, so a migration that adds or changes
 * such a column fails it until the list follows.
 */
type NotText = 'integer' | 'bigint' | 'double precision' | 'timestamp with time zone';

/** Every table of the schema with such columns (each domain declares its own tables, as in src/roles/tables.ts). */
export const NOT_TEXT_COLUMNS: Readonly<Record<string, Readonly<Record<string, NotText>>>> = {
  attribute_catalogue: { id: 'integer' },
  attribute_evaluations: { generation: 'integer', processed: 'integer', changed: 'integer', total: 'integer' },
  audit_log: { seq: 'bigint' },
  connections: { sync_to_user_management: 'integer' },
  deprovisioning_marks: { n: 'integer' },
  deprovisioning_settings: { guard_enabled: 'integer', max_users: 'integer', max_percent: 'integer', window_minutes: 'integer', base_active: 'integer', held: 'integer' },
  events: { seq: 'bigint', tx_order: 'bigint' },
  google_workspace_connections: { interval_minutes: 'integer' },
  held_changes: { seq: 'bigint' },
  request_logs: { seq: 'bigint', status: 'integer', duration_ms: 'integer' },
  roles: { is_default: 'integer' },
  scim_access_listeners: { backend_pid: 'integer', backend_start: 'timestamp with time zone', version: 'bigint' },
  scim_access_version: { id: 'integer', version: 'bigint' },
  scim_counts: { shard: 'integer', n: 'bigint', version: 'bigint' },
  scim_groups: { detached: 'integer', version: 'integer' },
  scim_member_counts: { n: 'bigint' },
  scim_order_blocks: { shard: 'integer', n: 'bigint' },
  scim_rate_buckets: { tokens: 'double precision', refilled_at: 'double precision', granted: 'integer' },
  scim_user_emails: { position: 'integer', is_primary: 'integer' },
  scim_users: { active: 'integer', detached: 'integer', version: 'integer', app_view: 'integer' },
  webhook_deliveries: { event_seq: 'bigint', attempts: 'integer', last_status_code: 'integer' },
  webhooks: { cursor_seq: 'bigint', cursor_tx: 'bigint', consecutive_failures: 'integer', enabled: 'integer' },
};

/** The PostgreSQL type of `table.column`. */
export function pgColumnType(table: string, column: string): string {
  return NOT_TEXT_COLUMNS[table]?.[column] ?? 'text';
}
