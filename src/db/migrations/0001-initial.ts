import type { Kysely } from 'kysely';

/** Credentials, tenants, connections and the SCIM resource tables. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vendor_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();

  await db.schema
    .createTable('environment_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('credential_id', 'text', (c) => c.notNull().references('vendor_credentials.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('environment_tokens_expires').on('environment_tokens').column('expires_at').execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tenants_created').on('tenants').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('connection_name', 'text', (c) => c.notNull())
    .addColumn('sync_to_user_management', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_sync_at', 'text')
    .execute();
  await db.schema.createIndex('connections_tenant').on('connections').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('connection_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('token_prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('expires_at', 'text')
    .execute();
  await db.schema.createIndex('connection_tokens_connection').on('connection_tokens').column('connection_id').execute();

  await db.schema
    .createTable('scim_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('user_name_norm', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('display_name', 'text')
    .addColumn('display_name_norm', 'text')
    .addColumn('given_name', 'text')
    .addColumn('family_name', 'text')
    .addColumn('email_norm', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('detached', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Unique per connection; the tenant leads so the lookup matches the most equality columns of any
  // index, and planners pick it even before statistics exist.
  await db.schema.createIndex('scim_users_user_name').unique().on('scim_users').columns(['tenant_id', 'connection_id', 'user_name_norm']).execute();
  // SCIM lookups filter by tenant and connection first, so their indexes lead with both: with a tie on
  // equality columns SQLite's planner (without ANALYZE statistics) may otherwise pick a paging index.
  await db.schema.createIndex('scim_users_external_id').on('scim_users').columns(['tenant_id', 'connection_id', 'external_id']).execute();
  await db.schema.createIndex('scim_users_display_name').on('scim_users').columns(['tenant_id', 'connection_id', 'display_name_norm']).execute();
  await db.schema.createIndex('scim_users_tenant_email').on('scim_users').columns(['tenant_id', 'email_norm']).execute();
  await db.schema.createIndex('scim_users_tenant').on('scim_users').columns(['tenant_id', 'updated_at']).execute();

  // Every email of a user, so `emails.value eq "x"` and `emails[type eq "work" …]` filter by index.
  await db.schema
    .createTable('scim_user_emails')
    .addColumn('user_id', 'text', (c) => c.notNull().references('scim_users.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('value_norm', 'text', (c) => c.notNull())
    .addColumn('type', 'text')
    .addColumn('is_primary', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('scim_user_emails_pk', ['user_id', 'position'])
    .execute();
  await db.schema.createIndex('scim_user_emails_value').on('scim_user_emails').columns(['connection_id', 'value_norm']).execute();

  await db.schema
    .createTable('scim_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('display_name_norm', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('detached', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scim_groups_display_name').unique().on('scim_groups').columns(['tenant_id', 'connection_id', 'display_name_norm']).execute();
  await db.schema.createIndex('scim_groups_external_id').on('scim_groups').columns(['tenant_id', 'connection_id', 'external_id']).execute();
  await db.schema.createIndex('scim_groups_tenant').on('scim_groups').columns(['tenant_id', 'updated_at']).execute();

  await db.schema
    .createTable('scim_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('scim_groups.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('member_type', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scim_group_members_pk', ['group_id', 'member_id'])
    .execute();
  await db.schema.createIndex('scim_group_members_member').on('scim_group_members').columns(['member_id', 'group_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'scim_group_members',
    'scim_groups',
    'scim_user_emails',
    'scim_users',
    'connection_tokens',
    'connections',
    'tenants',
    'settings',
    'environment_tokens',
    'vendor_credentials',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
