import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Trigram indexes for substring filters (`co`, `sw`, `ew`) on the attributes SCIM clients search:
 * userName, displayName and externalId of users, displayName and externalId of groups. Without
 * them such a filter reads every row of its connection (about 40 ms at 100,000 users).
 *
 * PostgreSQL: pg_trgm's GIN indexes on the columns, which the planner uses for LIKE. Where the
 * extension cannot be created (a managed server without it, a role without the right), the
 * migration goes on without the indexes and substring filters scan as before.
 *
 * SQLite: a contentless FTS5 table per resource table with the trigram tokenizer, keyed by the
 * resource row's rowid and kept by triggers (so no insert path can forget it). Its answers are
 * candidates: the filter still applies its exact condition to them (src/scim/store/substring-search.ts).
 * `detail=column`: substrings are looked up as their trigrams ANDed, which needs no positions.
 *
 * Self-contained: this file imports nothing from other migrations.
 */

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

/** The searched columns of each table, as the FTS table names them and as the resource table does. */
const SEARCHED = [
  { table: 'scim_users', columns: { user_name: 'user_name_norm', display_name: 'display_name_norm', external_id: 'external_id' } },
  { table: 'scim_groups', columns: { display_name: 'display_name_norm', external_id: 'external_id' } },
] as const;

async function upPostgres(db: Kysely<any>): Promise<void> {
  // A savepoint, so that a refused extension does not abort the migration's transaction.
  await sql`savepoint pg_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`release savepoint pg_trgm`.execute(db);
  } catch {
    await sql`rollback to savepoint pg_trgm`.execute(db);
    return;
  }
  for (const { table, columns } of SEARCHED) {
    for (const column of Object.values(columns)) {
      await sql`create index ${sql.raw(`${table}_${column}_trgm`)} on ${sql.raw(table)} using gin (${sql.raw(column)} gin_trgm_ops)`.execute(db);
    }
  }
}

async function upSqlite(db: Kysely<any>): Promise<void> {
  for (const { table, columns } of SEARCHED) {
    const search = `${table}_search`;
    const names = Object.keys(columns).join(', ');
    const values = (row: 'new' | 'old') => Object.values(columns).map((c) => `${row}.${c}`).join(', ');
    const changed = Object.values(columns).map((c) => `old.${c} is not new.${c}`).join(' or ');
    await sql.raw(`create virtual table ${search} using fts5(${names}, content='', contentless_delete=1, tokenize='trigram', detail=column)`).execute(db);
    await sql.raw(`insert into ${search} (rowid, ${names}) select rowid, ${Object.values(columns).join(', ')} from ${table}`).execute(db);
    await sql.raw(`create trigger ${search}_insert after insert on ${table} begin insert into ${search} (rowid, ${names}) values (new.rowid, ${values('new')}); end`).execute(db);
    await sql.raw(`create trigger ${search}_delete after delete on ${table} begin delete from ${search} where rowid = old.rowid; end`).execute(db);
    await sql
      .raw(
        `create trigger ${search}_update after update on ${table} when ${changed} begin ` +
          `delete from ${search} where rowid = old.rowid; insert into ${search} (rowid, ${names}) values (new.rowid, ${values('new')}); end`,
      )
      .execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await upPostgres(db);
  else await upSqlite(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table, columns } of SEARCHED) {
    if (isPostgres(db)) {
      for (const column of Object.values(columns)) await sql.raw(`drop index if exists ${table}_${column}_trgm`).execute(db);
    } else {
      for (const suffix of ['insert', 'delete', 'update']) await sql.raw(`drop trigger ${table}_search_${suffix}`).execute(db);
      await sql.raw(`drop table ${table}_search`).execute(db);
    }
  }
}
