/**
 * A page at any startIndex without walking every row before it. OFFSET skips rows one index entry at
 * a time — 500,000 of them for the middle of a 1M-user directory, about 170 ms. Migration 0009 keeps
 * each connection's rows cut into blocks of consecutive rows in the default order, each block knowing
 * where it starts and how many rows it holds; the page at offset o is then found by adding up block
 * sizes until o falls inside one (a few hundred small rows for a million users), and walking at most
 * one block's rows from its start (src/scim/store/order-maintenance.ts keeps blocks near
 * BLOCK_ROWS).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
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
 * reads it in its own statement (src/scim/store/page-seek.ts).
 */
export function blockAt(scope: ConnectionScope, resourceType: ResourceTypeName, offset: number): RawBuilder<BlockRow> {
  return sql<BlockRow>`
    select start_at, start_id, cast(${offset} - before as bigint) as skip, n from (
      select start_at, start_id, sum(n) as n, sum(sum(n)) over (order by start_at, start_id rows unbounded preceding) - sum(n) as before
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

/** The block holding the row at 0-based `offset` of the default (ascending) order, or undefined past the end. */
export async function locate(db: Kysely<Database>, scope: ConnectionScope, resourceType: ResourceTypeName, offset: number): Promise<BlockPosition | undefined> {
  const block = (await blockAt(scope, resourceType, offset).execute(db)).rows[0];
  if (!block) return undefined;
  return {
    from: block.start_at === '' && block.start_id === '' ? undefined : { createdAt: block.start_at, id: block.start_id },
    skip: Number(block.skip),
    blockRows: Number(block.n),
  };
}
