import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * Roles and their mapping to SCIM groups (self-service permissions), and the audit log of
 * management and self-service changes. The builder settings and the user-token signing key live
 * in the existing `settings` table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);

  await db.schema
    .createTable('roles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // JSON array of permission keys: a role holds a handful, always read whole.
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // At most one default role, enforced by the database even when two requests race.
  await db.schema.createIndex('roles_single_default').unique().on('roles').column('is_default').where(sql.ref('is_default'), '=', 1).execute();

  await db.schema
    .createTable('group_roles')
    // A group's mappings go with it: SCIM DELETE, connection removal and tenant deletion cascade here.
    .addColumn('group_id', 'text', (c) => c.notNull().references('scim_groups.id').onDelete('cascade'))
    .addColumn('role_key', 'text', (c) => c.notNull().references('roles.key').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_roles_pk', ['group_id', 'role_key'])
    .execute();
  await db.schema.createIndex('group_roles_role').on('group_roles').column('role_key').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', pg ? sql`bigserial` : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_client_id', 'text')
    .addColumn('actor_tenant_id', 'text')
    .addColumn('tenant_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_tenant').on('audit_log').columns(['tenant_id', 'seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'group_roles', 'roles']) await db.schema.dropTable(table).ifExists().execute();
}
