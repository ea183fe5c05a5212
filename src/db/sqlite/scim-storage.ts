/** SQLite's SCIM storage: writes share commits, pages find their block before their query. */
import type { Db } from '../open.js';
import { Paging } from '../../scim/service/paging.js';
import type { ScimStorage, ScimStorageOptions } from '../../scim/service/scim-storage.js';
import { OrderBlockMaintenance } from '../../scim/store/order-maintenance.js';
import { pageThenTotal } from '../../scim/store/page-seek.js';
import { SqliteBlockIndex } from './block-index.js';
import { SqliteScimWrites } from './scim-writes.js';

export function sqliteScimStorage(db: Db, options: ScimStorageOptions = {}): ScimStorage {
  const blocks = new OrderBlockMaintenance(db, options.orderBlockRows);
  const blockIndex = new SqliteBlockIndex(db.kysely, blocks);
  const writes: SqliteScimWrites = new SqliteScimWrites(db, {
    changing: (scope) => paging.pages.changed(scope.connectionId),
    wrote: (scope) => blocks.noteWrite(scope.tenantId, scope.connectionId),
  });
  // A query costs no round trip: a page and its count go one after the other.
  const paging = new Paging(db, writes, blockIndex, pageThenTotal);
  return { writes, paging, blocks, blockIndex, jobs: () => [blocks.job()], close: () => Promise.resolve() };
}
