/**
 * PostgreSQL: each list's order blocks kept in the process, as SqliteBlockIndex keeps them, so a
 * deep page's statement is given its block instead of adding up every block before it (`blockAt`,
 * over 1,000 blocks at 1M users: about a quarter of a deep page's time).
 *
 * Other processes (more Rollcall instances, the CLI) change blocks at any time, and a commit can
 * land between a check of the version and the page's statement. So a kept block is only ever used
 * by the page's statement, under a check in the statement's own snapshot: the list's version
 * (migration 0012) must be the one the blocks were read at, or the statement looks the block up
 * itself (`blockAt`), as without kept blocks. Equal versions mean the very blocks the statement would read: the version only grows, and
 * moves with every transaction that changes them. The rows come back with the version the statement
 * saw; when it is not the kept one, the blocks are read again in the background — one read per list
 * at a time, and at most one per `minIntervalMs`, so a list written to all the time costs a read now
 * and then rather than one per page, and its pages cost what they would without kept blocks.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../tables.js';
import type { ResourceTypeName } from '../../scim/schema/index.js';
import { keepList, keptBlocks, listKey, positionIn, type BlockNotes, type HeldBlock, type KeptBlocks } from '../../scim/store/order-blocks.js';
import type { Locator, PageRow, PageStart } from '../../scim/store/page-seek.js';
import { listVersion } from '../../scim/store/resource-counts.js';
import type { ConnectionScope } from '../../scim/store/scope.js';

/** Least time between two reads of one list's blocks. */
const MIN_INTERVAL_MS = 250;

export class PostgresBlockIndex implements Locator {
  private readonly lists = new Map<string, KeptBlocks>();
  private readonly reading = new Map<string, Promise<void>>();
  /** When each list's blocks were last asked for. */
  private readonly asked = new Map<string, number>();
  /** Pages whose statement used the kept block, pages whose statement looked it up, reads of blocks; for tests. */
  readonly stats = { kept: 0, looked: 0, read: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maintenance: BlockNotes,
    private readonly minIntervalMs = MIN_INTERVAL_MS,
  ) {}

  get minOffset(): number {
    return this.maintenance.blockRows;
  }

  /**
   * The page's own statement looks its block up (`blockAt`), or takes the kept one if the list is
   * still at the version it was kept for (page-seek.ts's `pageQueries`).
   */
  start(scope: ConnectionScope, resourceType: ResourceTypeName, offset: number): Promise<PageStart> {
    return Promise.resolve({ block: offset, held: this.held(scope, resourceType, offset) });
  }

  /** What the page's statement saw: the block's size (a block found too large is handed to maintenance) and the list's version. */
  pageRead(scope: ConnectionScope, resourceType: ResourceTypeName, start: PageStart, first: PageRow<unknown>): void {
    if (!('block' in start)) return;
    if (Number(first.block_rows) >= 2 * this.maintenance.blockRows) this.maintenance.note({ tenantId: scope.tenantId, connectionId: scope.connectionId, resourceType });
    this.seen(scope, resourceType, start.held, String(first.list_version));
  }

  /** The kept block of the row at `offset`, with the version it holds for; with none kept, a read starts. */
  held(scope: ConnectionScope, resourceType: ResourceTypeName, offset: number): HeldBlock | undefined {
    const blocks = this.lists.get(listKey(scope, resourceType));
    if (!blocks) {
      this.read(scope, resourceType);
      return undefined;
    }
    const position = positionIn(blocks, offset);
    return position && { ...position, version: blocks.version };
  }

  /** A page's statement, given the block `held` (if any), saw the list at `version`. */
  seen(scope: ConnectionScope, resourceType: ResourceTypeName, held: HeldBlock | undefined, version: string): void {
    if (held?.version === version) {
      this.stats.kept++;
      return;
    }
    this.stats.looked++;
    if (this.lists.get(listKey(scope, resourceType))?.version !== version) this.read(scope, resourceType);
  }

  /** Settles once the reads started so far have ended; for tests. */
  async idle(): Promise<void> {
    await Promise.all(this.reading.values());
  }

  private read(scope: ConnectionScope, resourceType: ResourceTypeName): void {
    const key = listKey(scope, resourceType);
    const now = Date.now();
    if (this.reading.has(key) || now - (this.asked.get(key) ?? -Infinity) < this.minIntervalMs) return;
    keepList(this.asked, key, now);
    const reading = this.readBlocks(scope, resourceType)
      .then((blocks) => keepList(this.lists, key, blocks))
      // Pages look their block up themselves meanwhile; a later page asks again.
      .catch(() => this.lists.delete(key))
      .finally(() => this.reading.delete(key));
    this.reading.set(key, reading.then(() => undefined));
  }

  /** The blocks and the version, in one statement: one snapshot. */
  private async readBlocks(scope: ConnectionScope, resourceType: ResourceTypeName): Promise<KeptBlocks> {
    this.stats.read++;
    const { rows } = await sql<{ version: string; blocks: string }>`
      select ${listVersion(scope, resourceType)} as version, (
        select coalesce(json_agg(json_build_array(start_at, start_id, n) order by start_at, start_id), '[]')::text from (
          select start_at, start_id, sum(n) as n from scim_order_blocks
          where tenant_id = ${scope.tenantId} and connection_id = ${scope.connectionId} and resource_type = ${resourceType}
          group by start_at, start_id
        ) b
      ) as blocks`.execute(this.db);
    const { version, blocks } = rows[0];
    return keptBlocks(version, JSON.parse(blocks) as [string, string, number][]);
  }
}
