import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * One number that moves with every change to what a SCIM token opens, so that every process can keep
 * resolved tokens in memory and still refuse a revoked one on its very next request
 * (src/db/scim-access-watch.ts, src/connections/scim-auth-cache.ts).
 *
 * Triggers add one to it in the transaction of the change itself, whoever makes it (a server, the
 * CLI, an operator's SQL): a token deleted or re-pointed, a connection deleted or its tenant or
 * `sync_to_user_management` changed, an IP allowlist written, a tenant deleted. Nothing a SCIM request
 * writes fires them (`last_sync_at`, `last_used_at` and the no-op lock update of `updated_at` are not
 * among the columns named), so they cost SCIM traffic nothing. On PostgreSQL the change also
 * `NOTIFY`s `rollcall_scim_access` with the new version, delivered when the transaction commits, and
 * the processes listening acknowledge it in `scim_access_listeners`.
 *
 * Self-contained, as every migration: nothing is imported from the others.
 */

const CHANNEL = 'rollcall_scim_access';

/** [trigger suffix, event, table] of every change that alters what a SCIM token opens. */
const CHANGES = [
  ['tokens_delete', 'delete', 'connection_tokens'],
  ['tokens_update', 'update of token_hash, connection_id, tenant_id, expires_at', 'connection_tokens'],
  ['connections_delete', 'delete', 'connections'],
  ['connections_update', 'update of id, tenant_id, sync_to_user_management', 'connections'],
  ['allowlists_insert', 'insert', 'connection_ip_allowlists'],
  ['allowlists_update', 'update', 'connection_ip_allowlists'],
  ['allowlists_delete', 'delete', 'connection_ip_allowlists'],
  ['tenants_delete', 'delete', 'tenants'],
] as const;

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scim_access_version')
    // One row (id 1): a check constraint keeps it so.
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('scim_access_version').values({ id: 1, version: 0 }).execute();

  if (!isPostgres(db)) {
    for (const [name, event, table] of CHANGES) {
      await sql`
        create trigger ${sql.raw(`scim_access_${name}`)} after ${sql.raw(event)} on ${sql.raw(table)}
        begin
          update scim_access_version set version = version + 1 where id = 1;
        end`.execute(db);
    }
    return;
  }
  // The processes that keep resolved tokens, and the version each has acted on: a change waits for
  // them before it answers (src/db/postgres/access-watch.ts). A row counts only while its listening
  // backend (pid and start time) is alive, so a process that died is never waited for.
  await db.schema
    .createTable('scim_access_listeners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('backend_pid', 'integer', (c) => c.notNull())
    .addColumn('backend_start', 'timestamptz', (c) => c.notNull())
    .execute();
  // Statement-level: a tenant deleted with its hundred tokens moves the version a few times, not a hundred.
  await sql`
    create function scim_access_changed() returns trigger language plpgsql as $$
    declare v bigint;
    begin
      update scim_access_version set version = version + 1 where id = 1 returning version into v;
      perform pg_notify(${sql.lit(CHANNEL)}, v::text);
      return null;
    end
    $$`.execute(db);
  for (const [name, event, table] of CHANGES) {
    await sql`
      create trigger ${sql.raw(`scim_access_${name}`)} after ${sql.raw(event)} on ${sql.raw(table)}
      for each statement execute function scim_access_changed()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name, , table] of CHANGES) await sql`drop trigger if exists ${sql.raw(`scim_access_${name}`)}${sql.raw(isPostgres(db) ? ` on ${table}` : '')}`.execute(db);
  if (isPostgres(db)) {
    await sql`drop function if exists scim_access_changed()`.execute(db);
    await db.schema.dropTable('scim_access_listeners').ifExists().execute();
  }
  await db.schema.dropTable('scim_access_version').ifExists().execute();
}
