/**
 * Rows sent to PostgreSQL as one array parameter per column, turned back into rows by `unnest`: the
 * text is the same for any number of rows, so it is prepared once (src/db/postgres/prepared-statements.ts), and the
 * server reads each value with its column type's plain input function. Measured on 256 member rows
 * and their 256 events: 5.3 ms of bind and execute as one jsonb parameter per table
 * (`jsonb_populate_recordset`; building the jsonb was most of it), 2.0 ms as arrays.
 * (src/db/postgres/write-batch.ts, src/db/postgres/create-statement.ts)
 */
import { pgColumnType } from './column-types.js';

/** One column of rows: its name, its PostgreSQL type, and a value per row. */
export interface ColumnValues {
  name: string;
  type: string;
  values: readonly unknown[];
}

function element(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return `"${value.replace(/[\\"]/g, '\\$&')}"`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function assertElement(value: unknown): void {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  throw new TypeError(`A column value is a string, a finite number, a boolean or null; got ${typeof value === 'number' ? value : typeof value}`);
}

/** A backslash escape other than `\"` and `\\`: JSON's for a control character or a lone surrogate. */
const OTHER_ESCAPE = /\\[^"\\]/;

/**
 * The array literal of `values` (`{"a","b\"c",NULL,7}`). Every string is quoted, so none is read as
 * NULL or split at a comma; a lone UTF-16 surrogate reaches the server as U+FFFD, as in any text
 * parameter the driver encodes. Written by JSON.stringify where its text reads the same as an array
 * literal (it escapes `"` and `\` alike, and `null` is NULL in any case): several times quicker than
 * quoting each value here, which is left for values JSON writes other escapes for.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  for (const value of values) assertElement(value);
  const json = JSON.stringify(values);
  if (!OTHER_ESCAPE.test(json)) return `{${json.slice(1, -1)}}`;
  return `{${values.map(element).join(',')}}`;
}

/** `columns` of `table` taken from `rows` (built alike), typed by the table. */
export function tableColumns(table: string, columns: readonly string[], rows: readonly Record<string, unknown>[]): ColumnValues[] {
  return columns.map((name) => ({ name, type: pgColumnType(table, name), values: rows.map((row) => row[name]) }));
}

/**
 * `unnest($1::text[], $2::integer[]) as alias("a", "b")`: a FROM item of the rows, whose parameters
 * `parameter` names.
 */
export function unnestColumns(columns: readonly ColumnValues[], alias: string, parameter: (literal: string) => string): string {
  const arrays = columns.map((c) => `${parameter(arrayLiteral(c.values))}::${c.type}[]`).join(', ');
  return `unnest(${arrays}) as ${alias}(${columns.map((c) => `"${c.name}"`).join(', ')})`;
}
