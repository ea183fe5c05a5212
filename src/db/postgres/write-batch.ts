/**
 * PostgreSQL: the writes of a change as one statement — a SCIM PATCH of a group: the group's new
 * version, its member rows, its events, the connection's lastSync. In a transaction of their own
 * they cost up to six round trips (BEGIN, four statements, COMMIT), each a wait on the server; one
 * statement is atomic by itself and costs one. The writes become data-modifying WITH clauses of the
 * last one: they see the same snapshot, and foreign keys and triggers (migrations 0008 and 0009
 * count per statement) run when the whole statement ends, so a row may name another inserted
 * beside it. (SCIM creates have a statement of their own, shared by concurrent creates:
 * src/db/postgres/create-statement.ts.)
 *
 * A guarded batch (`guard`) applies only if its guard, the first clause, returns a row: the writes
 * of a change read earlier without a lock (a SCIM PATCH of a group) apply only if the row is still
 * at the version read. Each write then reads `guard` itself: inserts take their rows from array
 * parameters joined to it, and added statements name GUARD in their own condition.
 *
 * `commitAsync`: the statement sets `synchronous_commit = off` for its own transaction, which then
 * commits without waiting for the WAL flush (PostgreSQL reads the setting at commit). A later
 * synchronous commit flushes the WAL up to itself, and so every asynchronous commit before it.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { tableColumns, unnestColumns } from './column-arrays.js';
import type { FixedColumn, InsertSink, Rows } from '../prepared-insert.js';
import type { Database } from '../tables.js';

/** The name of a guarded batch's first clause, for statements that add their own condition on it. */
export const GUARD = 'guard';

export class WriteBatch implements InsertSink {
  private readonly texts: string[] = [];
  private readonly parameters: unknown[] = [];
  private guarded = false;
  private asynchronous = false;

  get isGuarded(): boolean {
    return this.guarded;
  }

  /** Makes this a guarded batch: `text` (a statement RETURNING a row when the batch may apply) comes first. */
  guard(text: (parameter: (value: unknown) => string) => string): void {
    if (this.guarded || this.texts.length > 0) throw new Error('A batch is guarded before anything is added to it, once');
    this.guarded = true;
    this.addStatement(text);
  }

  /** Commits the statement without waiting for the WAL to reach disk; the caller flushes later. */
  commitAsync(): void {
    this.asynchronous = true;
  }

  /**
   * Adds the INSERT of `rows` (none: nothing) to the statement, in a guarded batch only if the guard
   * returned its row. One array parameter per column whatever the number of rows, so one prepared
   * text (src/db/postgres/column-arrays.ts).
   */
  add<T extends keyof Database, Fixed extends keyof Database[T] & string = never>(table: T, rows: Rows<T, Fixed>, fixed: readonly FixedColumn<Fixed>[] = []): void {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]);
    const names = [...fixed.map((f) => f.name), ...columns].map((name) => `"${name}"`).join(', ');
    const values = [...fixed.map((f) => f.sql.postgres), ...columns.map((name) => `r."${name}"`)].join(', ');
    const from = this.guarded ? `${GUARD}, ` : '';
    const source = tableColumns(table, columns, rows);
    this.addStatement((parameter) => `insert into "${table}" (${names}) select ${values} from ${from}${unnestColumns(source, 'r', parameter)}`);
  }

  /** Adds a statement written by `text`, which names each of its parameters through `parameter(value)`. */
  addStatement(text: (parameter: (value: unknown) => string) => string): void {
    this.texts.push(
      text((value) => {
        this.parameters.push(value);
        return `$${this.parameters.length}`;
      }),
    );
  }

  /** The one statement; its text repeats for writes of the same shape, so it is prepared (src/db/postgres/prepared-statements.ts). */
  compile(): CompiledQuery | undefined {
    if (this.texts.length === 0) return undefined;
    // Evaluated once by the final SELECT; data-modifying WITH clauses run whether or not it reads them.
    const asynchronous = this.asynchronous ? `, set_config('synchronous_commit', 'off', true) as asynchronous` : '';
    if (this.guarded) {
      const [guard, ...writes] = this.texts;
      const clauses = [`${GUARD} as (${guard})`, ...writes.map((text, i) => `i${i} as (${text})`)];
      return CompiledQuery.raw(`with ${clauses.join(', ')} select count(*)::int as applied${asynchronous} from ${GUARD}`, this.parameters);
    }
    if (this.asynchronous) {
      const clauses = this.texts.map((text, i) => `i${i} as (${text})`);
      return CompiledQuery.raw(`with ${clauses.join(', ')} select 1 as applied${asynchronous}`, this.parameters);
    }
    const last = this.texts.length - 1;
    const clauses = this.texts.slice(0, last).map((text, i) => `i${i} as (${text})`);
    const sql = clauses.length > 0 ? `with ${clauses.join(', ')} ${this.texts[last]}` : this.texts[last];
    return CompiledQuery.raw(sql, this.parameters);
  }

  /** Runs the statement outside any transaction; false when a guarded batch's guard returned no row, and nothing was written. */
  async execute(db: Kysely<Database>): Promise<boolean> {
    const query = this.compile();
    if (!query) return true;
    const result = await db.executeQuery<{ applied: number }>(query);
    return !this.guarded || result.rows[0].applied > 0;
  }
}
