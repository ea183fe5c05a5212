/**
 * The text search (`q`) of the directory's user and group lists, for a dashboard's search box: a
 * case-insensitive substring of the name fields, externalId and (users) the primary email.
 *
 * No index serves `like '%…%'`. The condition is ANDed with the list's tenant (and connection)
 * scope and keyset, so the database walks that scope's paging index and tests each row: a scan of
 * one tenant's or connection's rows, acceptable for an interactive search, not for sync jobs.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/tables.js';
import { likeEscape } from '../db/text-match.js';

/** Longest search text the routes accept. */
export const MAX_SEARCH_LENGTH = 200;

/**
 * The LIKE pattern of a search text: lower-cased as the `*_norm` columns are (JavaScript's full
 * Unicode folding), with `%`, `_` and the escape character itself escaped, so they match literally.
 */
export function containsPattern(text: string): string {
  return `%${likeEscape(text.toLowerCase())}%`;
}

const like = (value: Expression<unknown>, pattern: string) => sql<SqlBool>`${value} like ${pattern} escape '\\'`;
/** SQL lower() of a column; on SQLite it is the Unicode-aware replacement of src/db/open.ts. */
const lower = (column: string) => sql`lower(${sql.ref(column)})`;

/** A user matches on userName, displayName, "given family", externalId or primary email. */
export function userMatches(eb: ExpressionBuilder<Database, 'scim_users'>, pattern: string): Expression<SqlBool> {
  return eb.or([
    like(eb.ref('user_name_norm'), pattern),
    like(eb.ref('display_name_norm'), pattern),
    // Users without a displayName are shown as "given family" (src/directory/shape.ts): find them that way too.
    like(sql`lower(coalesce(${sql.ref('given_name')}, '') || ' ' || coalesce(${sql.ref('family_name')}, ''))`, pattern),
    like(lower('external_id'), pattern),
    like(eb.ref('email_norm'), pattern),
  ]);
}

/** A group matches on displayName or externalId. */
export function groupMatches(eb: ExpressionBuilder<Database, 'scim_groups'>, pattern: string): Expression<SqlBool> {
  return eb.or([like(eb.ref('display_name_norm'), pattern), like(lower('external_id'), pattern)]);
}
