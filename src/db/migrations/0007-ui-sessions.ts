import type { Kysely } from 'kysely';

/**
 * Browser sessions of the web UI (src/sessions): the dashboard's, opened with a vendor credential,
 * and the self-service portal's, opened with a user token. Only the SHA-256 of the cookie's token is
 * stored, as for environment tokens.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ui_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    // 'dashboard' or 'portal': a cookie opens only the kind of session it was issued for.
    .addColumn('kind', 'text', (c) => c.notNull())
    // Dashboard: the vendor credential. Removing or re-keying it ends its sessions.
    .addColumn('credential_id', 'text', (c) => c.references('vendor_credentials.id').onDelete('cascade'))
    // Portal: the person and tenant of the user token, as verified at sign-in. No foreign key on the
    // tenant: a vendor-signed token may name a tenant Rollcall has not been told about yet.
    .addColumn('tenant_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('email', 'text')
    // JSON array of permission keys, read whole with the session.
    .addColumn('permissions', 'text')
    .addColumn('issuer', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ui_sessions_expires').on('ui_sessions').column('expires_at').execute();
  await db.schema.createIndex('ui_sessions_credential').on('ui_sessions').column('credential_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ui_sessions').ifExists().execute();
}
