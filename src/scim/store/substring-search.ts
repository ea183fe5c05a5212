/**
 * Substring filters through trigram indexes (migration 0013). On SQLite a `co`, `sw` or `ew` on a
 * searched column first asks the table's FTS5 trigram index for candidate rows — those holding
 * every trigram of the value — and the filter's exact condition is then applied to the candidates
 * only, so the answer is the same as a scan's. PostgreSQL needs nothing here: its planner uses the
 * pg_trgm indexes for the LIKE the filter already is.
 */
import { sql, type RawBuilder } from 'kysely';

/** A column with a trigram index: its resource table and its name in that table's search index. */
export interface SearchedColumn {
  table: 'scim_users' | 'scim_groups';
  column: string;
}

/** Trigrams looked up at most: a longer value's first ones already leave few candidates. */
const MAX_TRIGRAMS = 12;

/** The FTS5 query of rows holding every trigram of `value` in `column`; undefined below three characters. */
export function trigramQuery(column: string, value: string): string | undefined {
  const chars = [...value];
  if (chars.length < 3) return undefined;
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length && trigrams.size < MAX_TRIGRAMS; i++) trigrams.add(chars.slice(i, i + 3).join(''));
  // An FTS5 string: double quotes doubled. The trigram tokenizer folds case as the index did.
  return [...trigrams].map((t) => `${column}:"${t.replace(/"/g, '""')}"`).join(' AND ');
}

/**
 * The SQLite condition that row `r` is a candidate for a substring of `value` in `searched`, or
 * undefined when the index cannot narrow it (fewer than three characters): then every row is one.
 */
export function substringCandidates(searched: SearchedColumn, value: string): RawBuilder<unknown> | undefined {
  const query = trigramQuery(searched.column, value);
  if (query === undefined) return undefined;
  const search = sql.raw(`${searched.table}_search`);
  return sql`r.rowid in (select rowid from ${search} where ${search} match ${query})`;
}
