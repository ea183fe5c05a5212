/**
 * Rows that several processes work over (the webhook jobs, src/webhooks/queue.ts): each row goes to
 * one worker at a time. PostgreSQL locks rows, and a worker skips the rows another holds rather than
 * wait for them; SQLite has one writer, so workers take turns for the whole database
 * (src/db/sqlite/row-locks.ts, src/db/postgres/row-locks.ts).
 */
import type { SelectQueryBuilder } from 'kysely';

/** A statement that can run by itself, such as a Kysely UPDATE. */
export interface Executable {
  execute(): Promise<unknown>;
}

/** How a database hands rows to one worker at a time. */
export interface RowLocks {
  /**
   * `query` locking the rows it returns (those of table `of`, or of every table) until its
   * transaction ends, and passing over the rows another transaction holds.
   */
  skipLocked<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, of?: TB & string): SelectQueryBuilder<DB, TB, O>;
  /**
   * Runs `select`, inside a transaction, for the one row it finds, held by that transaction until it
   * ends; undefined when there is none, or when another transaction holds it and this one should
   * move on. `touch`, in the same transaction, writes that row without changing it, for a database
   * that locks by writing.
   */
  lockRow<DB, TB extends keyof DB, O>(select: SelectQueryBuilder<DB, TB, O>, touch: Executable): Promise<O | undefined>;
}
