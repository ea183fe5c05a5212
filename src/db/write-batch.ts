/**
 * PostgreSQL: the writes of a change that reads nothing first — a SCIM create: the user, its emails,
 * its event, the connection's lastSync — sent as one statement. In a transaction of their own they
 * cost up to six round trips (BEGIN, four statements, COMMIT), each a wait on the server; one
 * statement is atomic by itself and costs one. The writes become data-modifying WITH clauses of the
 * last one: they see the same snapshot, and foreign keys and triggers (migrations 0008 and 0009
 * count per statement) run when the whole statement ends, so an email row may name the user
 * inserted beside it.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { insertStatement, type FixedColumn, type Rows } from './prepared-insert.js';
import type { Database } from './tables.js';

export class WriteBatch {
  private readonly texts: string[] = [];
  private readonly parameters: unknown[] = [];

  /** Adds the INSERT of `rows` (none: nothing) to the statement. */
  add<T extends keyof Database & string, Fixed extends keyof Database[T] & string = never>(table: T, rows: Rows<T, Fixed>, fixed: readonly FixedColumn<Fixed>[] = []): void {
    if (rows.length === 0) return;
    const { sql, parameters } = insertStatement('postgres', table, rows, fixed, this.parameters.length + 1);
    this.texts.push(sql);
    for (const parameter of parameters) this.parameters.push(parameter);
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

  /** The one statement; its text repeats for writes of the same shape, so it is prepared (src/db/pg-prepared.ts). */
  compile(): CompiledQuery | undefined {
    if (this.texts.length === 0) return undefined;
    const last = this.texts.length - 1;
    const clauses = this.texts.slice(0, last).map((text, i) => `i${i} as (${text})`);
    const sql = clauses.length > 0 ? `with ${clauses.join(', ')} ${this.texts[last]}` : this.texts[last];
    return CompiledQuery.raw(sql, this.parameters);
  }

  /** Runs the statement outside any transaction. */
  async execute(db: Kysely<Database>): Promise<void> {
    const query = this.compile();
    if (query) await db.executeQuery(query);
  }
}
