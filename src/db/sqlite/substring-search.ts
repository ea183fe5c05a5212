/**
 * Substring tests through SQLite's FTS5 trigram tables (`scim_users_search`, `scim_groups_search`,
 * migration 0013). The index is asked for candidate rows — those holding every trigram of the
 * value — and the exact test is then applied to the candidates only, so the answer is the same as
 * a scan's. The test alone (instr, substr, LIKE) cannot use an FTS5 table.
 */
import { sql, type RawBuilder } from 'kysely';
import type { SearchedColumn, SubstringSearch } from '../substring-search.js';

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
 * The condition that row `r` is a candidate for a substring of `value` in `searched`, or undefined
 * when the index cannot narrow it (fewer than three characters): then every row is one.
 */
function substringCandidates(searched: SearchedColumn, value: string): RawBuilder<unknown> | undefined {
  const query = trigramQuery(searched.column, value);
  if (query === undefined) return undefined;
  const search = sql.raw(`${searched.table}_search`);
  return sql`r.rowid in (select rowid from ${search} where ${search} match ${query})`;
}

export const sqliteSubstringSearch: SubstringSearch = {
  narrow(searched, value, exact) {
    const candidates = substringCandidates(searched, value);
    return candidates ? sql`(${candidates} and ${exact})` : exact;
  },
};
