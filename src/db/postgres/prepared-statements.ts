/**
 * Named prepared statements for PostgreSQL. Kysely sends each query as an unnamed statement, so
 * PostgreSQL parses and plans it on every execution: measured 0.5–0.8 ms for a SCIM lookup's page
 * query, 0.14 ms once prepared (after five runs PostgreSQL keeps a generic plan when it costs no more
 * than the custom ones, and plans anew otherwise). A server's SQL texts are few and repeat, as on
 * SQLite (src/db/statement-cache.ts); a text is prepared once this process has run it PREPARE_AFTER
 * times — a text that carried a value would never repeat — and a connection holds at most
 * MAX_PER_CONNECTION of them. Off (DATABASE_PREPARED_STATEMENTS=false) behind a pooler that cannot
 * carry them, such as PgBouncer before 1.21 in transaction mode.
 *
 * A generic plan knows no parameter's value, and takes `LIMIT $n` for a tenth of the table: for a
 * page of 100 it chose a hash join over a sequential scan of every user (58 ms at 100k users, against
 * 0.8 ms). So a LIMIT whose parameter is among the statement's last ones is written into the text as
 * a number, and so is an OFFSET of 0: `limit 100 offset 0` is prepared with a plan made for 100 rows
 * from the start. A deeper OFFSET stays a parameter, so that pages at any offset share one prepared
 * text: its generic plan takes the offset for a tenth of the rows, which still walks the order's
 * index (checked on users and groups at 100k), and PostgreSQL keeps planning each execution anew
 * while the generic plan costs more than the custom ones. Written into the text, each offset made
 * a text of its own, planned on every request (0.5–1 ms of a page at a random startIndex).
 */
import pg from 'pg';

const PREPARE_AFTER = 3;
/** Distinct texts counted before the counts start over (texts that never repeat must not pile up). */
const MAX_COUNTED = 10_000;
/** Texts given a name, process-wide; past it, new texts stay unnamed. */
const MAX_NAMED = 2000;
const MAX_PER_CONNECTION = 500;

const uses = new Map<string, number>();
const names = new Map<string, string>();

/** The statement name of `text`, once it has repeated enough to be worth preparing. */
function nameOf(text: string): string | undefined {
  const name = names.get(text);
  if (name !== undefined) return name;
  const n = (uses.get(text) ?? 0) + 1;
  if (n < PREPARE_AFTER || names.size >= MAX_NAMED) {
    if (uses.size >= MAX_COUNTED) uses.clear();
    uses.set(text, n);
    return undefined;
  }
  uses.delete(text);
  // Never reused for another text: a connection that prepared `rc_7` keeps it for this text only.
  const created = `rc_${names.size}`;
  names.set(text, created);
  return created;
}

const PAGING = /\b(limit|offset) \$(\d+)\b/g;

/**
 * `text` with its LIMIT parameters, and OFFSET parameters of 0, written in as numbers, and the values
 * left, when the LIMIT/OFFSET parameters are the last ones and are whole numbers; otherwise unchanged.
 * An OFFSET kept as a parameter is renumbered to follow the others (only paging parameters follow them).
 */
export function inlinePaging(text: string, values: readonly unknown[]): { text: string; values: readonly unknown[] } {
  const paging = [...text.matchAll(PAGING)].map((m) => Number(m[2]));
  if (paging.length === 0) return { text, values };
  const first = values.length - paging.length + 1;
  const sorted = [...paging].sort((a, b) => a - b);
  if (!sorted.every((n, i) => n === first + i)) return { text, values };
  const numbers = sorted.map((n) => values[n - 1]);
  if (!numbers.every((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0)) return { text, values };
  const kept: unknown[] = [];
  // Kysely binds every value as a parameter: `limit $n` in the text is never inside a string literal.
  const inlined = text.replace(PAGING, (_, word: string, n: string) => {
    const value = values[Number(n) - 1];
    if (word === 'limit' || value === 0) return `${word} ${String(value)}`;
    kept.push(value);
    return `offset $${first - 1 + kept.length}`;
  });
  return { text: inlined, values: [...values.slice(0, first - 1), ...kept] };
}

/**
 * The error of a statement prepared before a schema change (`cached plan must not change result
 * type`), or of one the server no longer has (a pooler, DISCARD ALL): this connection stops
 * preparing, and later queries on it run unnamed.
 */
function isStalePrepared(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '0A000' || code === '26000';
}

/** A pg client that runs repeated parameterised queries as named prepared statements. */
export class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();
  private preparing = true;

  // pg's overloads cannot be restated one by one here; Kysely calls query(text, values) and query(cursor).
  /* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument -- the override passes pg's own arguments through */
  override query(config: any, values?: any, callback?: any): any {
    if (this.preparing && typeof config === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      const query = inlinePaging(config, values);
      const name = nameOf(query.text);
      if (name !== undefined && (this.prepared.has(name) || this.prepared.size < MAX_PER_CONNECTION)) {
        this.prepared.add(name);
        return (super.query({ name, text: query.text, values: [...query.values] }) as Promise<pg.QueryResult>).catch((error: unknown) => {
          if (isStalePrepared(error)) this.preparing = false;
          throw error;
        });
      }
    }
    return super.query(config, values, callback);
  }
  /* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument */
}
