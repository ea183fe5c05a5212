/**
 * The schema a migrated database has, as text: tables, columns, indexes, constraints, triggers and
 * functions, in a stable order, whitespace collapsed. Checked in per database beside this file
 * (sqlite.sql, postgres.sql); test/migrations-schema.test.ts fails when migrating an empty database no
 * longer gives it, so a change to an old migration, or to anything it runs, cannot go unnoticed.
 * `npm run schema:snapshot` writes the files anew after a new migration.
 */
import { sql } from 'kysely';
import type { Db } from '../open.js';

/** Kysely's own bookkeeping, not the application's schema. */
const MIGRATOR_TABLES = ['kysely_migration', 'kysely_migration_lock'];

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

async function sqliteSchema(db: Db): Promise<string[]> {
  const { rows } = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master
    where name not like 'sqlite_%' and tbl_name not in (${sql.join(MIGRATOR_TABLES)})
    order by type, name`.execute(db.kysely);
  // Automatic indexes (UNIQUE, PRIMARY KEY) have no SQL of their own: their table's says it.
  return rows.filter((r) => r.sql !== null).map((r) => `${r.type} ${r.name}: ${collapse(r.sql!)};`);
}

async function postgresSchema(db: Db): Promise<string[]> {
  const k = db.kysely;
  const skip = sql.join(MIGRATOR_TABLES);
  const columns = await sql<{ line: string }>`
    select table_name || '.' || column_name || ' ' || data_type || case when is_nullable = 'NO' then ' not null' else '' end
      || coalesce(' default ' || column_default, '') as line
    from information_schema.columns
    where table_schema = current_schema() and table_name not in (${skip})
    order by table_name, ordinal_position`.execute(k);
  const constraints = await sql<{ line: string }>`
    select 'constraint ' || conrelid::regclass || '.' || conname || ': ' || pg_get_constraintdef(oid) as line
    from pg_constraint
    where connamespace = current_schema()::regnamespace and conrelid <> 0 and conrelid::regclass::text not in (${skip})
    order by 1`.execute(k);
  const indexes = await sql<{ line: string }>`
    select 'index ' || indexname || ': ' || indexdef as line from pg_indexes
    where schemaname = current_schema() and tablename not in (${skip})
    order by indexname`.execute(k);
  const triggers = await sql<{ line: string }>`
    select 'trigger ' || tgname || ': ' || pg_get_triggerdef(t.oid) as line
    from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where not t.tgisinternal and c.relnamespace = current_schema()::regnamespace
    order by tgname`.execute(k);
  // The application's functions, not those an extension (pg_trgm) brings.
  const functions = await sql<{ line: string }>`
    select 'function ' || p.proname || ': ' || pg_get_functiondef(p.oid) as line
    from pg_proc p
    where p.pronamespace = current_schema()::regnamespace
      and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
    order by p.proname`.execute(k);
  const extensions = await sql<{ line: string }>`select 'extension ' || extname as line from pg_extension where extname <> 'plpgsql' order by extname`.execute(k);
  return [columns, constraints, indexes, triggers, functions, extensions].flatMap((r) => r.rows.map((row) => `${collapse(row.line)};`));
}

/** The schema of `db` as the checked-in snapshot writes it. */
export async function schemaSnapshot(db: Db): Promise<string> {
  const lines = db.dialect.name === 'sqlite' ? await sqliteSchema(db) : await postgresSchema(db);
  return `${lines.join('\n')}\n`;
}
