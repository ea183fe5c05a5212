import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../tables.js';
import type { ResourceTypeName } from '../../scim/schema/index.js';
import { keepList, keptBlocks, listKey, positionIn, type BlockNotes, type KeptBlocks } from '../../scim/store/order-blocks.js';
import type { Locator, PageStart } from '../../scim/store/page-seek.js';
import type { ConnectionScope } from '../../scim/store/scope.js';

const BLOCKS = `select start_at, start_id, sum(n) as n from scim_order_blocks
  where tenant_id = ? and connection_id = ? and resource_type = ?
  group by start_at, start_id order by start_at, start_id`;
/** The list's version (migration 0012): each count shard's, in shard order; as `listVersion` (src/scim/store/resource-counts.ts) reads it on PostgreSQL. */
const VERSION = `select coalesce(group_concat(shard || ':' || version, ',' order by shard), '') as version from scim_counts
  where tenant_id = ? and connection_id = ? and resource_type = ?`;
/**
 * SQLite: each list's blocks with the rows before each, kept while the list is unchanged, so a
 * deep page finds its block by a binary search instead of `blockAt` adding up every block before it
 * — 1,000 blocks at 1M users, about a third of a deep page's time.
 *
 * "Unchanged" is the list's version (migration 0012), read before each lookup: one indexed read of
 * its count rows. Every change to the list's blocks moves it in the same transaction, whichever
 * process made it; writes to other lists and tables (the request log's flushes) leave it alone.
 * Queries on the connection run one at a time (Kysely's SQLite driver holds it for a whole
 * transaction), so the version is never read inside a transaction. It is read before the blocks: a
 * commit landing between the two leaves blocks newer than their version, read again next time, never
 * the other way round. A write landing between the lookup and the page's query moves the page as it
 * would between any two queries.
 */
export class SqliteBlockIndex implements Locator {
  private readonly lists = new Map<string, KeptBlocks>();
  /** Lookups answered from kept blocks and lookups that read them; for tests. */
  readonly stats = { kept: 0, read: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maintenance: BlockNotes,
  ) {}

  get minOffset(): number {
    return this.maintenance.blockRows;
  }

  /** The block holding the row at `offset`, from the list's kept blocks; a block found too large is handed to maintenance. */
  async start(scope: ConnectionScope, resourceType: ResourceTypeName, offset: number): Promise<PageStart | undefined> {
    const position = positionIn(await this.blocksOf(scope, resourceType), offset);
    if (!position) return undefined;
    if (position.blockRows >= 2 * this.maintenance.blockRows) this.maintenance.note({ tenantId: scope.tenantId, connectionId: scope.connectionId, resourceType });
    // In the first block the bound is below every row: that is OFFSET `skip`, which is `offset`.
    return position.from && { from: position.from, skip: position.skip };
  }

  /** The page's query used the block as given: nothing was learnt from it. */
  pageRead(): void {}

  private async blocksOf(scope: ConnectionScope, resourceType: ResourceTypeName): Promise<KeptBlocks> {
    const key = listKey(scope, resourceType);
    const list = [scope.tenantId, scope.connectionId, resourceType];
    const now = (await this.db.executeQuery<{ version: string }>(CompiledQuery.raw(VERSION, list))).rows[0].version;
    const kept = this.lists.get(key);
    if (kept?.version === now) {
      this.stats.kept++;
      return kept;
    }
    this.stats.read++;
    const rows = (await this.db.executeQuery<{ start_at: string; start_id: string; n: number }>(CompiledQuery.raw(BLOCKS, list))).rows;
    const blocks = keptBlocks(now, rows.map((row) => [row.start_at, row.start_id, row.n] as const));
    keepList(this.lists, key, blocks);
    return blocks;
  }
}
