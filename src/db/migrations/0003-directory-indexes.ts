import { sql, type Kysely } from 'kysely';

/**
 * Indexes of the directory API (src/directory/store.ts); the (tenant, connection, created_at, id)
 * ones also page the SCIM lists. Lists are keyset-paged over
 * (created_at, id) within a tenant, so each filter gets an index ending in those columns: SQLite
 * without ANALYZE statistics prefers the index with the most equality columns that also gives the
 * order, and would otherwise scan a whole tenant for one email. Partial indexes over detached rows
 * let a purge find a tenant's leftovers without reading its live data.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('scim_users_tenant_page').on('scim_users').columns(['tenant_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('scim_users_tenant_connection_page').on('scim_users').columns(['tenant_id', 'connection_id', 'created_at', 'id']).execute();
  // Supersedes scim_users_tenant_email (tenant_id, email_norm), a prefix of it.
  await db.schema.createIndex('scim_users_tenant_email_page').on('scim_users').columns(['tenant_id', 'email_norm', 'created_at', 'id']).execute();
  await db.schema.dropIndex('scim_users_tenant_email').execute();
  await db.schema.createIndex('scim_groups_tenant_page').on('scim_groups').columns(['tenant_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('scim_groups_tenant_connection_page').on('scim_groups').columns(['tenant_id', 'connection_id', 'created_at', 'id']).execute();
  // Queries must spell the predicate as the literal `detached = 1` for the planner to use these.
  await db.schema.createIndex('scim_users_detached').on('scim_users').columns(['tenant_id', 'connection_id', 'id']).where(sql.ref('detached'), '=', 1).execute();
  await db.schema.createIndex('scim_groups_detached').on('scim_groups').columns(['tenant_id', 'connection_id', 'id']).where(sql.ref('detached'), '=', 1).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('scim_users_tenant_email').ifNotExists().on('scim_users').columns(['tenant_id', 'email_norm']).execute();
  for (const index of [
    'scim_groups_detached',
    'scim_users_detached',
    'scim_groups_tenant_connection_page',
    'scim_groups_tenant_page',
    'scim_users_tenant_email_page',
    'scim_users_tenant_connection_page',
    'scim_users_tenant_page',
  ]) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
}
