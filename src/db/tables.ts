/**
 * Row types of every table, as Kysely sees them. Portable across SQLite and PostgreSQL:
 * timestamps are ISO-8601 UTC text (sortable as text), booleans are 0/1 integers, ids are text.
 */
import type { ColumnType, Generated } from 'kysely';

/** 0 or 1: booleans are integers so both dialects read back the same value. */
export type Flag = number;

export interface VendorCredentialsTable {
  id: string;
  client_id: string;
  secret_hash: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

export interface EnvironmentTokensTable {
  id: string;
  token_hash: string;
  credential_id: string;
  created_at: string;
  expires_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface TenantsTable {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface ConnectionsTable {
  id: string;
  tenant_id: string;
  source: string;
  connection_name: string;
  sync_to_user_management: Flag;
  created_at: string;
  updated_at: string;
  last_sync_at: string | null;
}

export interface ConnectionTokensTable {
  id: string;
  connection_id: string;
  tenant_id: string;
  token_hash: string;
  token_prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

/** A SCIM User; `connection_id` outlives its connection when the user is left detached. */
export interface ScimUsersTable {
  id: string;
  tenant_id: string;
  connection_id: string;
  user_name: string;
  /** userName lower-cased: RFC 7643 §4.1.1 makes userName case-insensitive and unique. */
  user_name_norm: string;
  external_id: string | null;
  display_name: string | null;
  display_name_norm: string | null;
  given_name: string | null;
  family_name: string | null;
  /** The primary (else first) email, lower-cased. */
  email_norm: string | null;
  active: Flag;
  detached: Generated<Flag>;
  resource: string;
  version: number;
  created_at: string;
  updated_at: string;
  /** The user's mapped attributes as JSON (src/attributes/), or null when the environment maps none. */
  attributes: string | null;
  /** The attributes whose source value did not convert, as JSON `[{key, reason}]`, or null. */
  attribute_problems: string | null;
  /** 1 while the app's view of the user differs from this row: a held or discarded change (src/deprovisioning/). */
  app_view: Generated<Flag>;
}

/** One mapped attribute value of a user (per element of a list), normalised, for `?attributes.<key>=` lists. */
export interface ScimUserAttributeValuesTable {
  user_id: string;
  attr_key: string;
  /** src/attributes/value-index.ts `normalizeValue`. */
  value_norm: string;
  tenant_id: string;
  connection_id: string;
  /** The user's created_at: the index walks in the directory's page order. */
  created_at: string;
}

/** One email of a user, lower-cased, for indexed email filters. */
export interface ScimUserEmailsTable {
  user_id: string;
  position: number;
  connection_id: string;
  value_norm: string;
  type: string | null;
  is_primary: Flag;
}

export interface ScimGroupsTable {
  id: string;
  tenant_id: string;
  connection_id: string;
  display_name: string;
  display_name_norm: string;
  external_id: string | null;
  detached: Generated<Flag>;
  resource: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One row per membership: adding a member to a big group is one insert. */
export interface ScimGroupMembersTable {
  group_id: string;
  member_id: string;
  member_type: string;
  tenant_id: string;
  connection_id: string;
  created_at: string;
}

/** One event of the outbox; `seq` orders events within a transaction, `tx_order` across them. */
export interface EventsTable {
  seq: Generated<number>;
  tx_order: number;
  id: string;
  type: string;
  tenant_id: string;
  connection_id: string | null;
  resource_id: string | null;
  occurred_at: string;
  data: string;
}

export interface WebhooksTable {
  id: string;
  url: string;
  /** JSON array of event types, or null for every type. */
  events: string | null;
  tenant_id: string | null;
  enabled: Flag;
  /** The signing secret: kept as is, since signing needs it (see docs/security notes). */
  secret: string;
  disabled_reason: string | null;
  consecutive_failures: Generated<number>;
  /** When the current run of consecutive failures began (migration 0004); null after a success. */
  failing_since: string | null;
  cursor_tx: Generated<number>;
  cursor_seq: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_seq: number;
  event_id: string;
  event_type: string;
  /** Deliveries with the same key (one resource) go out in event order. */
  resource_key: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  locked_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  created_at: string;
  updated_at: string;
}

/** One SCIM request, for monitoring and troubleshooting. */
export interface RequestLogsTable {
  seq: Generated<number>;
  tenant_id: string;
  connection_id: string;
  method: string;
  path: string;
  query: string | null;
  status: number;
  duration_ms: number;
  scim_type: string | null;
  detail: string | null;
  user_agent: string | null;
  body: string | null;
  created_at: string;
  /** The connection's name when the row was written (migration 0017); null before, or when it was already deleted. */
  connection_name: string | null;
  /** The request's id (migration 0020): what a held change names its request by; null before. */
  request_id: Generated<string | null>;
}

/** A browser session of the web UI (migration 0007, src/sessions); only the token's SHA-256 is kept. */
export interface UiSessionsTable {
  id: string;
  token_hash: string;
  /** 'dashboard' (vendor credential) or 'portal' (user token). */
  kind: string;
  /** Dashboard sessions: the vendor credential. */
  credential_id: string | null;
  /** Portal sessions: the caller of the user token they were opened with. */
  tenant_id: string | null;
  user_id: string | null;
  email: string | null;
  /** JSON array of permission keys (portal). */
  permissions: string | null;
  /** 'rollcall' or 'vendor': who signed the user token (portal). */
  issuer: string | null;
  created_at: string;
  expires_at: string;
}

/** The whole database as Kysely types it. */
/** Users and groups per connection, kept by triggers (migration 0008); a connection's count is the sum of its shards. */
export interface ScimCountsTable {
  tenant_id: string;
  connection_id: string;
  resource_type: 'User' | 'Group';
  shard: number;
  /** bigint: PostgreSQL returns it as a string. */
  n: number | string;
  /** Moves with every change to the list's order blocks (migration 0012). */
  version: ColumnType<number | string, number | undefined, number | string>;
}

/** Each group's number of direct members, kept by triggers (migration 0017). */
export interface ScimMemberCountsTable {
  tenant_id: string;
  group_id: string;
  /** bigint: PostgreSQL returns it as a string. */
  n: number | string;
}

/** Blocks of each connection's rows in the default list order (migration 0009). */
export interface ScimOrderBlocksTable {
  tenant_id: string;
  connection_id: string;
  resource_type: 'User' | 'Group';
  /** The block's lower bound in (created_at, id) order; ('', '') for a connection's first block. */
  start_at: string;
  start_id: string;
  shard: number;
  /** bigint: PostgreSQL returns it as a string. */
  n: number | string;
}

export interface Database {
  vendor_credentials: VendorCredentialsTable;
  environment_tokens: EnvironmentTokensTable;
  settings: SettingsTable;
  tenants: TenantsTable;
  connections: ConnectionsTable;
  connection_tokens: ConnectionTokensTable;
  scim_users: ScimUsersTable;
  scim_user_emails: ScimUserEmailsTable;
  scim_user_attribute_values: ScimUserAttributeValuesTable;
  scim_groups: ScimGroupsTable;
  scim_group_members: ScimGroupMembersTable;
  events: EventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  request_logs: RequestLogsTable;
  ui_sessions: UiSessionsTable;
  scim_counts: ScimCountsTable;
  scim_member_counts: ScimMemberCountsTable;
  scim_order_blocks: ScimOrderBlocksTable;
}
