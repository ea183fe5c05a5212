/** Rows sent to PostgreSQL as one array per column (src/db/postgres/column-arrays.ts), typed by src/db/postgres/column-types.ts. */
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrayLiteral, unnestColumns, type ColumnValues } from '../src/db/postgres/column-arrays.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDatabase, type Db } from '../src/db/open.js';
import { NOT_TEXT_COLUMNS } from '../src/db/postgres/column-types.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from './support/databases.js';

describe('arrayLiteral', () => {
  it('quotes every string, escapes quotes and backslashes, writes NULL and numbers bare', () => {
    expect(arrayLiteral(['a', 'b"c', 'd\\', '', 'NULL', null, undefined, 7, -1.5])).toBe('{"a","b\\"c","d\\\\","","NULL",null,null,7,-1.5}');
    expect(arrayLiteral([])).toBe('{}');
  });

  it('writes a control character or a lone surrogate as itself, not as a JSON escape', () => {
    expect(arrayLiteral(['a\nb', 'x\\y', null])).toBe('{"a\nb","x\\\\y",NULL}');
    expect(arrayLiteral(['\ud800'])).toBe('{"\ud800"}');
  });

  it('refuses values that have no array element form', () => {
    expect(() => arrayLiteral([{ a: 1 }])).toThrow(TypeError);
    expect(() => arrayLiteral([Number.NaN])).toThrow(TypeError);
  });
});

if (dialectsUnderTest().includes('postgres')) {
  describe('column arrays [postgres]', () => {
    let database: TestDatabase;
    let db: Db;

    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      db = openDatabase(database.url);
      await migrateToLatest(db);
    });

    afterAll(async () => {
      await db.close();
      await database.drop();
    });

    /** The rows of `columns` as PostgreSQL reads them back. */
    async function roundTrip(columns: readonly ColumnValues[]): Promise<Record<string, unknown>[]> {
      const parameters: string[] = [];
      const from = unnestColumns(columns, 'r', (literal) => {
        parameters.push(literal);
        return `$${parameters.length}`;
      });
      return (await db.kysely.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`select * from ${from}`, parameters))).rows;
    }

    it('lists exactly the columns of the migrated schema that are not text, with their types', async () => {
      const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
        select table_name, column_name, data_type from information_schema.columns
        where table_schema = current_schema() and data_type <> 'text' and table_name not like 'kysely_%'`.execute(db.kysely);
      const catalog: Record<string, Record<string, string>> = {};
      for (const r of rows) (catalog[r.table_name] ??= {})[r.column_name] = r.data_type;
      expect(catalog).toEqual(NOT_TEXT_COLUMNS);
    });

    it('brings back every value as sent, in order: quotes, backslashes, braces, commas, NULL, unicode', async () => {
      const texts = ['plain', 'with "quotes"', 'back\\slash\\', '{braces}', 'a,b', '', 'NULL', null, 'ünïcødé ✓ 👩‍💻', ' spaced ', 'new\nline\ttab', '{"json": [1, "x"]}'];
      const numbers = texts.map((_, i) => (i % 3 === 0 ? null : i * 1000));
      // Without a control character or a lone backslash escape, a column is written by JSON.stringify.
      const plain = ['"', '\\', '\\"', '{"x": "y"}', 'c,d', null, '👩‍💻', 'NULL', '', ' ', 'é', '\\\\'];
      expect(arrayLiteral(plain)).toBe(`{${JSON.stringify(plain).slice(1, -1)}}`);
      const rows = await roundTrip([
        { name: 't', type: 'text', values: texts },
        { name: 'n', type: 'bigint', values: numbers },
        { name: 'p', type: 'text', values: plain },
      ]);
      expect(rows.map((r) => r.t)).toEqual(texts);
      expect(rows.map((r) => r.p)).toEqual(plain);
      expect(rows.map((r) => (r.n === null ? null : Number(r.n)))).toEqual(numbers);
    });

    it('sends a lone UTF-16 surrogate as U+FFFD, as any text parameter', async () => {
      const rows = await roundTrip([{ name: 't', type: 'text', values: ['a\ud800b', '\udc00'] }]);
      expect(rows.map((r) => r.t)).toEqual(['a\ufffdb', '\ufffd']);
    });
  });
}
