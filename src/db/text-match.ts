/**
 * Substring tests on text (SCIM's `co`, `sw`, `ew`). Compared case-exactly, each database has its
 * own way (src/db/sqlite/text-match.ts, src/db/postgres/text-match.ts); compared case-insensitively,
 * both sides are lower-case already and LIKE serves on both (`likeMatch`).
 */
import { sql, type RawBuilder } from 'kysely';

/** Case-exact substring tests: true when `text` contains, starts or ends with `value`. */
export interface TextMatch {
  contains(text: RawBuilder<unknown>, value: string): RawBuilder<unknown>;
  startsWith(text: RawBuilder<unknown>, value: string): RawBuilder<unknown>;
  endsWith(text: RawBuilder<unknown>, value: string): RawBuilder<unknown>;
}

/** Escapes LIKE wildcards; pair with `escape '\'`. */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The tests as LIKE patterns. Case-sensitive on PostgreSQL; SQLite's LIKE folds ASCII case, so
 * there it is exact only when both sides are lower-case already.
 */
export const likeMatch: TextMatch = {
  contains: (text, value) => sql`${text} like ${`%${likeEscape(value)}%`} escape '\\'`,
  startsWith: (text, value) => sql`${text} like ${`${likeEscape(value)}%`} escape '\\'`,
  endsWith: (text, value) => sql`${text} like ${`%${likeEscape(value)}`} escape '\\'`,
};
