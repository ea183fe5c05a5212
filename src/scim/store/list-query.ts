/** Filtering, sorting and paging of a resource table aliased `r`, shared by users and groups. */
import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import type { AttrPath, FilterNode } from '../filter/ast.js';
import type { ResourceTypeName } from '../schema/index.js';
import { resourceScope } from './filter-scopes.js';
import { filterToSql } from './filter-sql.js';

/**
 * The columns a page reads: what rendering needs (`RowMeta`, src/scim/resources/render.ts) and page
 * seeking (`created_at`, `id`). The other columns mirror the resource for filters and indexes; on
 * PostgreSQL every column read is decoded in JavaScript, and reading them all was a fifth of a page's CPU.
 */
export const PAGE_COLUMNS = ['r.id', 'r.resource', 'r.version', 'r.created_at', 'r.updated_at'] as const;

/** What a list request asks for, already parsed. */
export interface ListQuery {
  filter?: FilterNode;
  sortBy?: AttrPath;
  sortOrder: 'ascending' | 'descending';
  /** 0-based offset (SCIM's startIndex − 1). */
  offset: number;
  limit: number;
}

/** The WHERE condition for a list, or undefined for "all". */
export function listCondition(query: Pick<ListQuery, 'filter'>, resourceType: ResourceTypeName, dialect: Dialect, connectionId: string): RawBuilder<unknown> | undefined {
  return query.filter ? filterToSql(query.filter, resourceType, dialect, connectionId) : undefined;
}

/**
 * The ORDER BY key of `sortBy` (RFC 7644 §3.4.2.3): strings sort case-insensitively unless
 * caseExact; a multi-valued attribute sorts by its primary value (emails: the primary email).
 * Undefined when the attribute cannot be sorted on; the default order applies then.
 */
export function sortExpression(sortBy: AttrPath, resourceType: ResourceTypeName, dialect: Dialect): RawBuilder<unknown> | undefined {
  const resolved = resourceScope(resourceType, dialect).resolve(sortBy);
  const target = resolved.kind === 'elements' && resolved.single ? resolved.single : resolved;
  if (target.kind === 'column') {
    return target.form === 'text' && !target.caseExact ? sql`lower(${target.expr})` : target.expr;
  }
  if (target.kind === 'json') return target.def?.caseExact ? target.access.text : sql`lower(${target.access.text})`;
  if (resourceType === 'User' && sortBy.attr.toLowerCase() === 'emails') return sql.ref('r.email_norm');
  return undefined;
}

/**
 * ORDER BY clause: the sort key, then creation order for stability. RFC 7644 §3.4.2.3: resources
 * without a value "are ordered last if ascending and first if descending".
 */
export function orderBy(query: ListQuery, resourceType: ResourceTypeName, dialect: Dialect): RawBuilder<unknown> {
  const key = query.sortBy ? sortExpression(query.sortBy, resourceType, dialect) : undefined;
  const direction = sql.raw(query.sortOrder === 'descending' ? 'desc' : 'asc');
  if (!key) return sql`r.created_at ${direction}, r.id ${direction}`;
  return sql`(case when ${key} is null then 1 else 0 end) ${direction}, ${key} ${direction}, r.created_at asc, r.id asc`;
}
