/**
 * A page at any startIndex without walking every row before it. OFFSET skips rows one index entry at
 * a time — 500,000 of them for the middle of a 1M-user directory, about 170 ms. Migration 0009 keeps
 * each connection's rows cut into blocks of consecutive rows in the default order, each block knowing
 * where it starts and how many rows it holds; the page at offset o is then found by adding up block
 * sizes until o falls inside one (a few hundred small rows for a million users), and walking at most
 * one block's rows from its start (src/scim/store/order-maintenance.ts keeps blocks near
 * BLOCK_ROWS).
 */
import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { ResourceTypeName } from '../schema/index.js';
import type { ConnectionScope } from './scope.js';

/** The size blocks are cut to. */
export const BLOCK_ROWS = 1000;

/** Where the row at an offset is: `skip` rows after the block's lower bound (undefined for the first block). */
export interface BlockPosition {
  from?: { createdAt: string; id: string };
  skip: number;
  /** The block's size: more than twice BLOCK_ROWS means maintenance is behind. */
  blockRows: number;
}

/**
 * The block holding the row at 0-based `offset` of the default (ascending) order, as a query: its
 * lower bound (`start_at`, `start_id`: both '' for the first block, below every row), `skip` (the
 * rows from the bound to `offset`) and `n` (its size); no row past the end. A page on PostgreSQL
 * reads it in its own statement (src/scim/store/page-seek.ts). Its sums add integers: PostgreSQL's sum of
 * bigint is numeric, and the running sum over 1,000 blocks (1M users) took 0.74–0.97 ms that way against
 * 0.46–0.51 ms in integers (a block's count fits one by far; the running sum of integers is a bigint).
 */
export function blockAt(scope: ConnectionScope, resourceType: ResourceTypeName, offset: number): RawBuilder<BlockRow> {
  return sql<BlockRow>`
    select start_at, start_id, cast(${offset} - before as bigint) as skip, n from (
      select start_at, start_id, cast(sum(cast(n as integer)) as integer) as n,
        sum(cast(sum(cast(n as integer)) as integer)) over (order by start_at, start_id rows unbounded preceding) - sum(cast(n as integer)) as before
      from scim_order_blocks
      where tenant_id = ${scope.tenantId} and connection_id = ${scope.connectionId} and resource_type = ${resourceType}
      group by start_at, start_id
    ) blocks
    where before + n > ${offset}
    order by start_at, start_id
    limit 1`;
}

interface BlockRow {
  start_at: string;
  start_id: string;
  skip: number | string;
  n: number | string;
}

const BLOCKS = `select start_at, start_id, sum(n) as n from scim_order_blocks
  where tenant_id = ? and connection_id = ? and resource_type = ?
  group by start_at, start_id order by start_at, start_id`;
/** Rows changed through this connection so far, and a number that moves when another connection commits. */
const VERSION = CompiledQuery.raw('select total_changes() as changes, (select data_version from pragma_data_version) as version');
/** Lists whose blocks are kept; past it the oldest is dropped. */
const MAX_LISTS = 256;

interface Blocks {
  /** What the database was at when the blocks were read (`VERSION`). */
  version: string;
  starts: { at: string; id: string }[];
  /** Rows before each block, and in it. */
  before: number[];
  n: number[];
}

/**
 * SQLite: each list's blocks with the rows before each, kept while the database is unchanged, so a
 * deep page finds its block by a binary search instead of `blockAt` adding up every block before it
 * — 1,000 blocks at 1M users, 2.5 ms of a 7–8 ms page (docs/benchmarks.md, tenth session).
 *
 * "Unchanged" is exact: `total_changes()` counts every row inserted, updated or deleted through this
 * connection, which is all this process writes, and `data_version` moves when any other connection
 * commits (another process, the CLI). Queries on the connection run one at a time (Kysely's SQLite
 * driver holds it for a whole transaction), so the version is never read inside a transaction: a
 * transaction rolled back has still moved `total_changes()`, and the blocks are read again. A write
 * landing between the lookup and the page's query moves the page as it would between any two queries.
 */
export class SqliteBlockIndex {
  private readonly lists = new Map<string, Blocks>();
  /** Lookups answered from kept blocks and lookups that read them; for tests. */
  readonly stats = { kept: 0, read: 0 };

  constructor(private readonly db: Kysely<Database>) {}

  async locate(scope: ConnectionScope, resourceType: ResourceTypeName, offset: number): Promise<BlockPosition | undefined> {
    const blocks = await this.blocksOf(scope, resourceType);
    // The first block whose rows reach past `offset` (`before` only grows).
    let [low, high] = [0, blocks.n.length];
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (blocks.before[mid] + blocks.n[mid] > offset) high = mid;
      else low = mid + 1;
    }
    if (low === blocks.n.length) return undefined;
    const start = blocks.starts[low];
    return {
      from: start.at === '' && start.id === '' ? undefined : { createdAt: start.at, id: start.id },
      skip: offset - blocks.before[low],
      blockRows: blocks.n[low],
    };
  }

  private async blocksOf(scope: ConnectionScope, resourceType: ResourceTypeName): Promise<Blocks> {
    const key = `${scope.tenantId}\u0000${scope.connectionId}\u0000${resourceType}`;
    const { changes, version } = (await this.db.executeQuery<{ changes: number; version: number }>(VERSION)).rows[0];
    const now = `${changes}/${version}`;
    const kept = this.lists.get(key);
    if (kept?.version === now) {
      this.stats.kept++;
      return kept;
    }
    this.stats.read++;
    const rows = (await this.db.executeQuery<{ start_at: string; start_id: string; n: number }>(CompiledQuery.raw(BLOCKS, [scope.tenantId, scope.connectionId, resourceType]))).rows;
    const blocks: Blocks = { version: now, starts: [], before: [], n: [] };
    let before = 0;
    for (const row of rows) {
      blocks.starts.push({ at: row.start_at, id: row.start_id });
      blocks.before.push(before);
      blocks.n.push(Number(row.n));
      before += Number(row.n);
    }
    this.lists.delete(key);
    if (this.lists.size >= MAX_LISTS) this.lists.delete(this.lists.keys().next().value as string);
    this.lists.set(key, blocks);
    return blocks;
  }
}
