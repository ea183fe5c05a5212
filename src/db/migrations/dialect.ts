/** What a migration needs to know about the engine it runs on. */
import { PostgresAdapter, sql, type ColumnDataType, type Expression, type Kysely } from 'kysely';

/** True when the migration runs on PostgreSQL. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A 64-bit auto-incrementing primary key type: `bigserial` on PostgreSQL, `integer` (rowid) on SQLite. */
export function serialType(db: Kysely<any>): ColumnDataType | Expression<unknown> {
  return isPostgres(db) ? sql`bigserial` : 'integer';
}
