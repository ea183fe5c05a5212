/**
 * Sequential paging without OFFSET. Entra ID and Okta import a directory by asking for
 * startIndex=1, 101, 201, … in turn; with OFFSET each page walks every row before it, so a full sync
 * of n users costs O(n²). When a page in the default order (creation order) ends, this remembers
 * where: the next page continues from that row by key, an index range scan as cheap on page 1,000 as
 * on page 1.
 *
 * An entry is only used while nothing in its connection has been written through this process since
 * it was made (a generation per connection), so a page read this way is the page OFFSET would read.
 * A write through another process can shift positions without this process knowing; the page is
 * then the one that follows the rows the client has already seen — no row skipped or repeated —
 * which is what a client paging through wants (RFC 7644 §3.4.2.4 does not promise stable pages).
 */
import { sql, type AliasedRawBuilder, type Kysely, type QueryCreator, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { ResourceTypeName } from '../schema/index.js';
import type { ListQuery } from './list-query.js';
import { blockAt, type HeldBlock } from './order-blocks.js';
import { keptCount, listVersion } from './resource-counts.js';
import type { ConnectionScope } from './scope.js';

/** Where a page ended: the last row's position in the default order. */
export interface SeekKey {
  createdAt: string;
  id: string;
}

const MAX_ENTRIES = 20_000;
const MAX_CONNECTIONS = 100_000;

export class PageSeekCache {
  private readonly generations = new Map<string, number>();
  private nextGeneration = 1;
  /** Insertion-ordered: the oldest entries are dropped first. */
  private readonly entries = new Map<string, SeekKey>();
  /** Pages read after a remembered key, from an order block (src/scim/store/order-blocks.ts), and by OFFSET alone; for tests and diagnostics. */
  readonly stats = { seeks: 0, located: 0, offsets: 0 };

  /** Every write to a connection calls this: its remembered page ends are no longer trusted. */
  changed(connectionId: string): void {
    if (this.generations.size >= MAX_CONNECTIONS) {
      // Forgetting generations would make old entries look current again: forget those too.
      this.generations.clear();
      this.entries.clear();
    }
    this.generations.set(connectionId, this.nextGeneration++);
  }

  /** The key of the page at `offset` of this list, or undefined when seeking does not apply. */
  keyOf(scope: ConnectionScope, resourceType: ResourceTypeName, query: ListQuery, offset: number): string | undefined {
    if (query.sortBy) return undefined;
    const generation = this.generations.get(scope.connectionId) ?? 0;
    const filter = query.filter ? JSON.stringify(query.filter) : '';
    return `${scope.tenantId}\u0000${scope.connectionId}\u0000${generation}\u0000${resourceType}\u0000${query.sortOrder}\u0000${offset}\u0000${filter}`;
  }

  get(key: string | undefined): SeekKey | undefined {
    return key === undefined ? undefined : this.entries.get(key);
  }

  set(key: string | undefined, value: SeekKey): void {
    if (key === undefined) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, value);
  }
}

/**
 * Where a page starts, when not at OFFSET from the first row: just after a remembered row, `skip`
 * rows on from an order block's lower bound (inclusive), or at `block`, the offset whose order block
 * the page's own statement finds (PostgreSQL: a query less than `from`) — the `held` one kept by
 * the process if the list is still at its version, else by looking it up.
 */
export type PageStart = { after: SeekKey } | { from: SeekKey; skip: number } | { block: number; held?: HeldBlock };

/** The common table expressions a `block` start reads (`pageQueries`): the list's version, and the order block. */
const PAGE_VERSION_NAME = 'page_list_version';
const PAGE_VERSION = sql.raw(PAGE_VERSION_NAME);
const PAGE_BLOCK_NAME = 'page_block';
const PAGE_BLOCK = sql.raw(PAGE_BLOCK_NAME);

/**
 * A page's row with what its statement found besides: the (unfiltered) list's kept count when asked
 * (`withTotal`), the size of the order block of a `block` start and the list's version.
 */
export type PageRow<Row> = Row & { total?: number | string | null; block_rows?: number | string | null; list_version?: string | null };

/** A store that can list a page by OFFSET, after a key, or from a block. */
export interface PageSource<Row> {
  list(scope: ConnectionScope, query: ListQuery, start?: PageStart, withTotal?: boolean): Promise<PageRow<Row>[]>;
}

/**
 * Where deep pages of a list's default order start: each database's index of order blocks
 * (src/db/sqlite/block-index.ts, src/db/postgres/block-index.ts).
 */
export interface Locator {
  /** From this offset on a block helps: within the first block's worth of rows OFFSET walks no more than a block would. */
  readonly minOffset: number;
  /**
   * Where the page at `offset` starts: a kept block's lower bound, or a block for the page's own
   * statement to look up (`withTotal` pages). Undefined: by OFFSET.
   */
  start(scope: ConnectionScope, resourceType: ResourceTypeName, offset: number): Promise<PageStart | undefined>;
  /** A page that started at `start` was read; `first` is its first row, with what its statement saw of the block. */
  pageRead(scope: ConnectionScope, resourceType: ResourceTypeName, start: PageStart, first: PageRow<unknown>): void;
}

/**
 * Where a page's query is built: with the order block of a `block` start as `page_block`, and the
 * list's version in the statement's snapshot as `page_list_version`. A `held` block is taken as it
 * is while that version is the one it holds for; otherwise the block is looked up. The condition
 * needs no row of the page: PostgreSQL runs it once, first, and runs only the branch it selects.
 */
export function pageQueries(db: Kysely<Database>, scope: ConnectionScope, resourceType: ResourceTypeName, start: PageStart | undefined): QueryCreator<Database> {
  if (!start || !('block' in start)) return db;
  const found = blockAt(scope, resourceType, start.block);
  const { held } = start;
  const block = held
    ? sql`
        select start_at, start_id, skip, n from (
          select cast(${held.from?.createdAt ?? ''} as text) as start_at, cast(${held.from?.id ?? ''} as text) as start_id, cast(${held.skip} as bigint) as skip, cast(${held.blockRows} as integer) as n
        ) held where (select version from ${PAGE_VERSION}) = ${held.version}
        union all
        select start_at, start_id, skip, n from (${found}) found where (select version from ${PAGE_VERSION}) <> ${held.version}`
    : found;
  return db.with(PAGE_VERSION_NAME, () => sql`(select ${listVersion(scope, resourceType)} as version)`).with(PAGE_BLOCK_NAME, () => sql`(${block})`) as unknown as QueryCreator<Database>;
}

/** The columns of a `PageRow` besides the row's own, for the page's outer select. */
export function pageExtras(scope: ConnectionScope, resourceType: ResourceTypeName, start: PageStart | undefined, withTotal: boolean): AliasedRawBuilder<unknown, string>[] {
  const extras: AliasedRawBuilder<unknown, string>[] = [];
  if (withTotal) extras.push(keptCount(scope, resourceType).as('total'));
  if (start && 'block' in start) extras.push(sql`(select n from ${PAGE_BLOCK})`.as('block_rows'), sql`(select version from ${PAGE_VERSION})`.as('list_version'));
  return extras;
}

/** Applies `start` to a page query over a resource table aliased `r` (OFFSET when there is none). */
export function startPage<DB, TB extends keyof DB, O>(page: SelectQueryBuilder<DB, TB, O>, query: ListQuery, start: PageStart | undefined): SelectQueryBuilder<DB, TB, O> {
  if (!start) return page.offset(query.offset);
  if ('after' in start) return page.where(sql<boolean>`(r.created_at, r.id) ${sql.raw(query.sortOrder === 'descending' ? '<' : '>')} (${start.after.createdAt}, ${start.after.id})`);
  // The first block's bound ('', '') is below every row; past the end there is no block, and no row.
  if ('block' in start) return page.where(sql<boolean>`(r.created_at, r.id) >= (select start_at, start_id from ${PAGE_BLOCK})`).offset(sql<number>`(select skip from ${PAGE_BLOCK})`);
  const from = page.where(sql<boolean>`(r.created_at, r.id) >= (${start.from.createdAt}, ${start.from.id})`);
  return start.skip > 0 ? from.offset(start.skip) : from;
}

/**
 * Reads the page `query` names: after the row an earlier page ended with, else from the order block
 * holding its first row (a deep page of the default order), else by OFFSET. `withTotal`: the page's
 * rows carry the list's kept count (and, from a block start, what the statement saw of the block).
 */
export async function readPage<Row extends { created_at: string; id: string }>(
  cache: PageSeekCache,
  source: PageSource<Row>,
  scope: ConnectionScope,
  resourceType: ResourceTypeName,
  query: ListQuery,
  locator?: Locator,
  withTotal = false,
): Promise<PageRow<Row>[]> {
  // The key is computed before reading: a write that lands meanwhile moves the generation on, and
  // the entry made from this (possibly older) read is never used.
  const here = query.offset > 0 ? cache.keyOf(scope, resourceType, query, query.offset) : undefined;
  const next = cache.keyOf(scope, resourceType, query, query.offset + query.limit);
  const after = cache.get(here);
  let start: PageStart | undefined = after ? { after } : undefined;
  if (!start && locator && !query.filter && !query.sortBy && query.sortOrder === 'ascending' && query.offset >= locator.minOffset) {
    start = await locator.start(scope, resourceType, query.offset);
  }
  if (!start) cache.stats.offsets++;
  else if ('after' in start) cache.stats.seeks++;
  else cache.stats.located++;
  const rows = await source.list(scope, query, start, withTotal);
  if (start && !('after' in start) && rows.length > 0) locator?.pageRead(scope, resourceType, start, rows[0]);
  const last = rows[rows.length - 1];
  if (last && rows.length === query.limit) cache.set(next, { createdAt: last.created_at, id: last.id });
  return rows;
}

/** A store that lists pages and counts what a list query matches. */
export type CountedSource<Row> = PageSource<Row> & { count(scope: ConnectionScope, query: ListQuery): Promise<number> };

/** How a database reads a list's page and its totalResults (`pageThenTotal` or `pageWithTotal`). */
export type PageAndTotal = <Row extends { created_at: string; id: string }>(
  cache: PageSeekCache,
  source: CountedSource<Row>,
  scope: ConnectionScope,
  resourceType: ResourceTypeName,
  query: ListQuery,
  locator?: Locator,
) => Promise<{ rows: Row[]; total: number }>;

/**
 * A list's page and its totalResults, one query after the other. From the start, the page comes
 * first: one shorter than asked for is the whole result and no count runs (a `userName eq` lookup
 * is one query). Further on, the count first: no page is read past the end.
 */
export const pageThenTotal: PageAndTotal = async (cache, source, scope, resourceType, query, locator) => {
  const counted = query.offset > 0 || query.limit === 0 ? await source.count(scope, query) : undefined;
  const rows = query.limit > 0 && (counted === undefined || query.offset < counted) ? await readPage(cache, source, scope, resourceType, query, locator) : [];
  const total = counted ?? (rows.length < query.limit ? rows.length : await source.count(scope, query));
  return { rows, total };
};

/**
 * A list's page and its totalResults where each query is a round trip (PostgreSQL): an unfiltered
 * list's kept count (one indexed read) comes with the page's rows, in the same statement and
 * snapshot — a query less per page of a full sync; only a page with no rows counts apart. A deep
 * page looks its order block up in that statement too, instead of by a query before it. A filtered
 * list's count runs beside the page instead of before or after it whenever it is needed anyway. A
 * page past the end is then read for nothing, which costs an empty index range.
 */
export const pageWithTotal: PageAndTotal = async (cache, source, scope, resourceType, query, locator) => {
  if (!query.filter && query.limit > 0) {
    const rows = await readPage(cache, source, scope, resourceType, query, locator, true);
    const total = rows.length > 0 ? Number(rows[0].total ?? 0) : await source.count(scope, query);
    return { rows: rows.map(({ total: _, block_rows: __, list_version: ___, ...row }) => row as typeof rows[number]), total };
  }
  if (query.offset > 0 || query.limit === 0) {
    const [rows, total] = await Promise.all([query.limit > 0 ? readPage(cache, source, scope, resourceType, query, locator) : [], source.count(scope, query)]);
    return { rows, total };
  }
  return pageThenTotal(cache, source, scope, resourceType, query, locator);
};
