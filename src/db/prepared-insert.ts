/**
 * INSERTs whose SQL text is written once per shape instead of built by Kysely each time. Building a
 * query with Kysely (operation-node trees, frozen objects, a compiler pass) cost more CPU on the SCIM
 * create path than SQLite's own insert of the row; these inserts always have the same columns, so
 * only their parameters are new. The text is also what the statement caches key on
 * (src/db/statement-cache.ts, src/db/postgres/prepared-statements.ts).
 */
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Dialect, DialectName } from './dialect.js';
import type { Database } from './tables.js';

/** A column whose value is an SQL expression of the dialect (written into the text) instead of a parameter. */
export type FixedColumn<Name extends string = string> = { name: Name; sql: Record<DialectName, string> };

/** SQL texts by dialect, table, columns and row count; few shapes exist, so this stays small. */
const texts = new Map<string, string>();

function text(dialect: Dialect, table: string, columns: readonly string[], rows: number, fixed: readonly FixedColumn[]): string {
  const key = `${dialect.name}|${table}|${fixed.map((f) => f.name).join(',')}|${columns.join(',')}|${rows}`;
  let sql = texts.get(key);
  if (sql === undefined) {
    let n = 0;
    const placeholder = () => (dialect.name === 'postgres' ? `$${++n}` : '?');
    const names = [...fixed.map((f) => f.name), ...columns].map((name) => `"${name}"`).join(', ');
    const tuple = () => `(${[...fixed.map((f) => f.sql[dialect.name]), ...columns.map(placeholder)].join(', ')})`;
    sql = `insert into "${table}" (${names}) values ${Array.from({ length: rows }, tuple).join(', ')}`;
    texts.set(key, sql);
  }
  return sql;
}

/** The rows of one table to insert, built alike: the first row's keys are the columns. */
export type Rows<T extends keyof Database, Fixed extends keyof Database[T] & string = never> = readonly Omit<Insertable<Database[T]>, Fixed>[];

/**
 * Where a store puts the rows it would insert, when a caller sends them later as part of a larger
 * statement (src/db/postgres/write-batch.ts, src/db/postgres/create-coalescer.ts) instead of running them.
 */
export interface InsertSink {
  add<T extends keyof Database, Fixed extends keyof Database[T] & string = never>(table: T, rows: Rows<T, Fixed>, fixed?: readonly FixedColumn<Fixed>[]): void;
}

/** The INSERT of `rows` (at least one) as SQL text and parameters; an undefined value is stored as NULL. */
function insertStatement<T extends keyof Database, Fixed extends keyof Database[T] & string = never>(
  dialect: Dialect,
  table: T,
  rows: Rows<T, Fixed>,
  fixed: readonly FixedColumn<Fixed>[],
): { sql: string; parameters: unknown[] } {
  const columns = Object.keys(rows[0]);
  const parameters: unknown[] = [];
  for (const row of rows) for (const column of columns) parameters.push((row as Record<string, unknown>)[column] ?? null);
  return { sql: text(dialect, table, columns, rows.length, fixed), parameters };
}

/** Inserts `rows` through `db`, a transaction or the database, as `db.insertInto(table).values(rows)` would. */
export async function insertRows<T extends keyof Database, Fixed extends keyof Database[T] & string = never>(
  db: Kysely<Database>,
  dialect: Dialect,
  table: T,
  rows: Rows<T, Fixed>,
  fixed: readonly FixedColumn<Fixed>[] = [],
): Promise<void> {
  if (rows.length === 0) return;
  const { sql, parameters } = insertStatement(dialect, table, rows, fixed);
  await db.executeQuery(CompiledQuery.raw(sql, parameters));
}
