/**
 * What the SCIM services are built on: the unit of work, paging, and the upkeep of order blocks.
 * One per database, made by the database's dialect (src/db/sqlite/scim-storage.ts,
 * src/db/postgres/scim-storage.ts), where services are composed (src/app.ts).
 */
import type { Job } from '../../jobs/scheduler.js';
import type { Locator } from '../store/page-seek.js';
import type { OrderBlockMaintenance } from '../store/order-maintenance.js';
import type { Paging } from './paging.js';
import type { UnitOfWork } from './unit-of-work.js';

/** A list's order blocks as a process keeps them; `stats` counts lookups answered from kept blocks and reads of them. */
export type BlockIndex = Locator & { readonly stats: { readonly kept: number; readonly read: number } };

export interface ScimStorage {
  readonly writes: UnitOfWork;
  readonly paging: Paging;
  /** Keeps the order blocks that find deep pages; its job runs with the others. */
  readonly blocks: OrderBlockMaintenance;
  /** The order blocks of each list, kept while the list is unchanged. */
  readonly blockIndex: BlockIndex;
  /** The background jobs this storage needs (order blocks, and what the database itself needs). */
  jobs(): Job[];
  /** Stops what the storage does in the background, before the database closes. */
  close(): Promise<void>;
}

/** Sizes tests set small. */
export interface ScimStorageOptions {
  orderBlockRows?: number;
  /** PostgreSQL: least time between two reads of one list's kept blocks. */
  blockReadIntervalMs?: number;
}
