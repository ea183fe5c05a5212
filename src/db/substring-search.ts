/**
 * Substring filters through trigram indexes (migration 0013): how a `co`, `sw` or `ew` on an
 * indexed column finds its rows. SQLite asks its FTS5 trigram tables for candidates first
 * (src/db/sqlite/substring-search.ts); PostgreSQL's planner uses the pg_trgm indexes for the LIKE
 * the test already is (src/db/postgres/substring-search.ts).
 */
import type { RawBuilder } from 'kysely';

/** A column with a trigram index: its resource table and its name in that table's search index. */
export interface SearchedColumn {
  table: 'scim_users' | 'scim_groups';
  column: string;
}

/** How a database finds the rows of a substring test on a searched column. */
export interface SubstringSearch {
  /**
   * The condition `exact` — a substring test of `value` on `searched`, over a resource row aliased
   * `r` — in the form that lets this database start from the column's trigram index. The rows it
   * holds for are exactly those of `exact`.
   */
  narrow(searched: SearchedColumn, value: string, exact: RawBuilder<unknown>): RawBuilder<unknown>;
}
