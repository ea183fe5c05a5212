/**
 * Pages of SCIM lists: where each page of the default order ended (for the next page to start
 * after it without OFFSET), and the order blocks that deep pages start from (src/scim/store/page-seek.ts).
 */
import type { Db } from '../../db/open.js';
import type { ResourceTypeName } from '../schema/index.js';
import type { ListQuery } from '../store/list-query.js';
import { PageSeekCache, type CountedSource, type Locator, type PageAndTotal } from '../store/page-seek.js';
import type { ConnectionScope } from '../store/scope.js';
import type { Stores, UnitOfWork } from './unit-of-work.js';

export class Paging {
  /** Where pages of the default order ended, for sequential paging without OFFSET. */
  readonly pages = new PageSeekCache();

  constructor(
    private readonly db: Db,
    private readonly work: UnitOfWork,
    /** The order blocks of each list (src/db/{sqlite,postgres}/block-index.ts). */
    readonly locator: Locator,
    private readonly pageAndTotal: PageAndTotal,
  ) {}

  /**
   * A list's page and totalResults, read from the source `sourceOf` picks among the stores. A list
   * in its default order without a filter — every page of an IdP's full sync — is read through
   * `db.genericPlans`: its plan is the same wherever the page starts (src/db/open.ts).
   */
  page<Row extends { created_at: string; id: string }>(
    sourceOf: (stores: Stores) => CountedSource<Row>,
    scope: ConnectionScope,
    resourceType: ResourceTypeName,
    query: ListQuery,
  ): Promise<{ rows: Row[]; total: number }> {
    const plain = query.filter === undefined && query.sortBy === undefined;
    const stores = plain ? this.work.stores(this.db.genericPlans) : this.work.reads();
    return this.pageAndTotal(this.pages, sourceOf(stores), scope, resourceType, query, this.locator);
  }
}
