/**
 * PostgreSQL's SCIM storage: writes in as few round trips as each change allows, a page's count and
 * block looked up in the page's own statement, and planner statistics kept up with a growing directory.
 */
import type { Db } from '../open.js';
import { Paging } from '../../scim/service/paging.js';
import type { ScimStorage, ScimStorageOptions } from '../../scim/service/scim-storage.js';
import { OrderBlockMaintenance } from '../../scim/store/order-maintenance.js';
import { pageWithTotal } from '../../scim/store/page-seek.js';
import { PostgresBlockIndex } from './block-index.js';
import { PostgresScimWrites } from './scim-writes.js';
import { PostgresStatistics } from './statistics.js';

export interface PostgresScimStorage extends ScimStorage {
  readonly blockIndex: PostgresBlockIndex;
  /** Keeps planner statistics up with a growing directory (statistics.ts). */
  readonly statistics: PostgresStatistics;
}

export function postgresScimStorage(db: Db, options: ScimStorageOptions = {}): PostgresScimStorage {
  const blocks = new OrderBlockMaintenance(db, options.orderBlockRows);
  const blockIndex = new PostgresBlockIndex(db.kysely, blocks, options.blockReadIntervalMs);
  const statistics = new PostgresStatistics(db.kysely);
  const writes: PostgresScimWrites = new PostgresScimWrites(db, {
    changing: (scope) => paging.pages.changed(scope.connectionId),
    wrote: (scope) => {
      statistics.noteWrites();
      blocks.noteWrite(scope.tenantId, scope.connectionId);
    },
  });
  // Each query is a round trip: a page brings its count, and a filtered count runs beside the page.
  const paging = new Paging(db, writes, blockIndex, pageWithTotal);
  return {
    writes,
    paging,
    blocks,
    blockIndex,
    statistics,
    jobs: () => [blocks.job()],
    // No vacuum after the last write once the database is closing.
    async close() {
      statistics.stop();
      await statistics.idle();
    },
  };
}
