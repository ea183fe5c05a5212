import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * User attributes (src/attributes/):
 *
 * - `attribute_catalogue`: one row, the environment's catalogue — which predefined attributes are on,
 *   the custom attributes, and the URN of the SCIM extension that advertises them.
 * - `connection_attribute_mappings`: a connection's own source paths (JSON object), over its
 *   provider's defaults.
 * - Both travel with the resolved SCIM token (the write path evaluates them), so a change moves the
 *   SCIM access version (migration 0014) in its own transaction: every process sees it on its next
 *   request.
 * - `scim_users.attributes` / `attribute_problems`: each user's mapped, typed values (JSON) and the
 *   attributes whose source value did not convert, written with the user's row.
 * - `scim_user_attribute_values`: one row per scalar value (per element of a list), normalised, with the
 *   user's `created_at`, so `?attributes.<key>=<value>` walks one index in the directory's page order.
 * - `attribute_evaluations`: per connection, the re-evaluation of its users after a mapping or
 *   catalogue change: the version it works towards, how far it got, and its counts.
 */
const ACCESS_TRIGGERS = [
  ['attribute_catalogue', 'catalogue'],
  ['connection_attribute_mappings', 'mappings'],
] as const;
const EVENTS = ['insert', 'update', 'delete'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attribute_catalogue')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('predefined', 'text', (c) => c.notNull())
    .addColumn('custom', 'text', (c) => c.notNull())
    .addColumn('custom_schema', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('connection_attribute_mappings')
    .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('mappings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  for (const [table, name] of ACCESS_TRIGGERS) {
    for (const event of EVENTS) {
      const trigger = sql.raw(`scim_access_attribute_${name}_${event}`);
      if (isPostgres(db)) {
        await sql`create trigger ${trigger} after ${sql.raw(event)} on ${sql.table(table)} for each statement execute function scim_access_changed()`.execute(db);
      } else {
        await sql`create trigger ${trigger} after ${sql.raw(event)} on ${sql.table(table)} begin update scim_access_version set version = version + 1 where id = 1; end`.execute(db);
      }
    }
  }

  await db.schema.alterTable('scim_users').addColumn('attributes', 'text').execute();
  await db.schema.alterTable('scim_users').addColumn('attribute_problems', 'text').execute();
  // The users of a connection whose values did not all convert, for its monitoring (few, usually none).
  await db.schema
    .createIndex('scim_users_attribute_problems')
    .on('scim_users')
    .columns(['tenant_id', 'connection_id', 'id'])
    .where(sql.ref('attribute_problems'), 'is not', null)
    .execute();

  await db.schema
    .createTable('scim_user_attribute_values')
    .addColumn('user_id', 'text', (c) => c.notNull().references('scim_users.id').onDelete('cascade'))
    .addColumn('attr_key', 'text', (c) => c.notNull())
    .addColumn('value_norm', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scim_user_attribute_values_pk', ['user_id', 'attr_key', 'value_norm'])
    .execute();
  await db.schema
    .createIndex('scim_user_attribute_values_lookup')
    .on('scim_user_attribute_values')
    .columns(['tenant_id', 'attr_key', 'value_norm', 'created_at', 'user_id'])
    .execute();

  await db.schema
    .createTable('attribute_evaluations')
    .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    // Moves on with every change; a pass that finds it moved starts over.
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('after_id', 'text', (c) => c.notNull())
    .addColumn('processed', 'integer', (c) => c.notNull())
    .addColumn('changed', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attribute_evaluations_pending').on('attribute_evaluations').column('updated_at').where(sql.ref('finished_at'), 'is', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attribute_evaluations').ifExists().execute();
  await db.schema.dropTable('scim_user_attribute_values').ifExists().execute();
  await db.schema.dropIndex('scim_users_attribute_problems').ifExists().execute();
  await db.schema.alterTable('scim_users').dropColumn('attribute_problems').execute();
  await db.schema.alterTable('scim_users').dropColumn('attributes').execute();
  for (const [table, name] of ACCESS_TRIGGERS) {
    for (const event of EVENTS) {
      await sql`drop trigger if exists ${sql.raw(`scim_access_attribute_${name}_${event}`)}${sql.raw(isPostgres(db) ? ` on ${table}` : '')}`.execute(db);
    }
  }
  await db.schema.dropTable('connection_attribute_mappings').ifExists().execute();
  await db.schema.dropTable('attribute_catalogue').ifExists().execute();
}
