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
import { normalizeValue } from '../attributes/value-index.js';

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

/**
 * Whether a user row the database did not filter (one the app still sees after the IdP deleted it,
 * src/deprovisioning/app-view.ts) passes the list's filters other than `active`: the same tests as
 * the SQL, in memory.
 */
export function userMatchesInMemory(
  row: { id: string; user_name_norm: string; display_name_norm: string | null; given_name: string | null; family_name: string | null; external_id: string | null; email_norm: string | null; updated_at: string; attributes: string | null },
  filter: { email?: string; updatedSince?: string; ids?: readonly string[]; attributes?: readonly { key: string; value: string }[] },
  q: string | undefined,
): boolean {
  if (filter.email !== undefined && row.email_norm !== filter.email) return false;
  if (filter.updatedSince !== undefined && row.updated_at < filter.updatedSince) return false;
  if (filter.ids !== undefined && !filter.ids.includes(row.id)) return false;
  if (q !== undefined) {
    const text = q.toLowerCase();
    const fields = [row.user_name_norm, row.display_name_norm, `${row.given_name ?? ''} ${row.family_name ?? ''}`.toLowerCase(), row.external_id?.toLowerCase() ?? null, row.email_norm];
    if (!fields.some((field) => field?.includes(text))) return false;
  }
  if (filter.attributes !== undefined && filter.attributes.length > 0) {
    const values = (row.attributes === null ? {} : JSON.parse(row.attributes)) as Record<string, unknown>;
    for (const { key, value } of filter.attributes) {
      const held = values[key];
      if (!(Array.isArray(held) ? held : [held]).some((element) => normalizeValue(element) === value)) return false;
    }
  }
  return true;
}
