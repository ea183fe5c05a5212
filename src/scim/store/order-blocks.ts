/**
 * A page at any startIndex without walking every row before it. OFFSET skips rows one index entry at
 * a time — 500,000 of them for the middle of a 1M-user directory, about 170 ms. Migration 0009 keeps
 * each connection's rows cut into blocks of consecutive rows in the default order, each block knowing
 * where it starts and how many rows it holds; the page at offset o is then found by adding up block
 * sizes until o falls inside one (a few hundred small rows for a million users), and walking at most
 * one block's rows from its start (src/scim/store/order-maintenance.ts keeps blocks near
 * BLOCK_ROWS).
 */
import { sql, type RawBuilder } from 'kysely';
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

/** A kept block (PostgresBlockIndex) and the list's version it holds for. */
export type HeldBlock = BlockPosition & { version: string };

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

/**
 * What an index of blocks tells the blocks' upkeep (src/scim/store/order-maintenance.ts): the size
 * blocks are kept near, and a block found out of shape.
 */
export interface BlockNotes {
  readonly blockRows: number;
  note(target: { tenantId: string; connectionId: string; resourceType: ResourceTypeName }): void;
}

/** Lists whose blocks are kept; past it the oldest is dropped. */
const MAX_LISTS = 256;

/** A list's blocks as a process keeps them (src/db/sqlite/block-index.ts, src/db/postgres/block-index.ts). */
export interface KeptBlocks {
  /** What the database was at when the blocks were read. */
  version: string;
  starts: { at: string; id: string }[];
  /** Rows before each block, and in it. */
  before: number[];
  n: number[];
}

/** Blocks as read, in order (`[start_at, start_id, n]`), with the rows before each added up. */
export function keptBlocks(version: string, rows: Iterable<readonly [string, string, number | string]>): KeptBlocks {
  const blocks: KeptBlocks = { version, starts: [], before: [], n: [] };
  let before = 0;
  for (const [at, id, count] of rows) {
    const n = Number(count);
    blocks.starts.push({ at, id });
    blocks.before.push(before);
    blocks.n.push(n);
    before += n;
  }
  return blocks;
}

/** The block holding the row at `offset`, by a binary search; undefined past the end. */
export function positionIn(blocks: KeptBlocks, offset: number): BlockPosition | undefined {
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

/** A map of kept lists that drops the least recently kept past MAX_LISTS. */
export function keepList<V>(lists: Map<string, V>, key: string, value: V): void {
  lists.delete(key);
  if (lists.size >= MAX_LISTS) lists.delete(lists.keys().next().value as string);
  lists.set(key, value);
}

/** The key of a list among kept ones. */
export const listKey = (scope: ConnectionScope, resourceType: ResourceTypeName) => `${scope.tenantId}\u0000${scope.connectionId}\u0000${resourceType}`;
