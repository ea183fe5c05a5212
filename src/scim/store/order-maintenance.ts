/**
 * Keeps the order blocks of migration 0009 near BLOCK_ROWS rows each. The triggers only count, so a
 * connection that grows piles its new rows into its last block; this splits a block of 2 × BLOCK_ROWS
 * or more at every BLOCK_ROWS-th row, merges neighbours that together fit in one block, drops empty
 * blocks and folds PostgreSQL's shard rows into one. Each step is one short transaction over one
 * block and its successor and walks at most SPLIT_PIECES × BLOCK_ROWS index entries.
 *
 * Exactness: a block's count must stay the number of rows between its bound and the next. SQLite
 * has one writer, so a step's reads and writes see every row counted. On PostgreSQL every trigger
 * holds a shared advisory lock on the connection (per resource type) until its transaction ends, and
 * a step takes it exclusively: it starts once every counted row is committed, and triggers that run
 * after it see the new blocks.
 *
 * Which connections to look at: those this process wrote to (noted by the unit of work, src/scim/service/unit-of-work.ts), those a
 * read found a block too large in (writes through another process), and all of them once in a while.
 */
import { sql, type Kysely } from 'kysely';
import type { Db } from '../../db/open.js';
import { isLockTimeout } from '../../db/errors.js';
import type { Database } from '../../db/tables.js';
import type { Job } from '../../jobs/scheduler.js';
import type { ResourceTypeName } from '../schema/index.js';
import { BLOCK_ROWS } from './order-blocks.js';

/**
 * The count shard block upkeep moves the list's version on (migration 0012): past the ones the count
 * triggers pick (0 … 15, migration 0008), so no count lands on it.
 */
const UPKEEP_SHARD = 16;

/** Most blocks one split step cuts off. */
const SPLIT_PIECES = 8;
/** Most steps per connection per pass, so one huge connection does not hold up the others. */
const STEPS_PER_PASS = 50;
const SWEEP_INTERVAL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

/** Both tables have the columns a walk reads; typed as one so the query builder has one shape. */
const TABLE = { User: 'scim_users', Group: 'scim_groups' } as unknown as Record<ResourceTypeName, 'scim_users'>;

interface Block {
  startAt: string;
  startId: string;
  n: number;
  shards: number;
}

interface Target {
  tenantId: string;
  connectionId: string;
  resourceType: ResourceTypeName;
}

type Step = { kind: 'split'; block: Block; next?: Block } | { kind: 'merge'; block: Block; next: Block } | { kind: 'drop'; block: Block } | { kind: 'fold'; block: Block };

const keyOf = (t: Target) => `${t.tenantId}\u0000${t.connectionId}\u0000${t.resourceType}`;
const isFirst = (b: Block) => b.startAt === '' && b.startId === '';

/** The step a connection's blocks need first, if any. */
export function nextStep(blocks: readonly Block[], blockRows: number): Step | undefined {
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const next = blocks[i + 1];
    if (block.n >= 2 * blockRows) return { kind: 'split', block, next };
    // An empty block goes; the first only when it is the last too (a connection with no rows left:
    // its next row makes a first block again).
    if (block.n <= 0 && (!isFirst(block) || !next)) return { kind: 'drop', block };
    if (next && block.n + next.n <= blockRows) return { kind: 'merge', block, next };
    // The last block takes every new row's shard: folding it would be undone at once.
    if (block.shards > 1 && next) return { kind: 'fold', block };
  }
  return undefined;
}

export class OrderBlockMaintenance {
  private readonly pending = new Map<string, Target>();
  /** 0: the first pass sweeps, so blocks left large by an upgrade or another process are cut without waiting for a write. */
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    readonly blockRows = BLOCK_ROWS,
  ) {}

  /** A write to the connection: its blocks may need work. */
  noteWrite(tenantId: string, connectionId: string): void {
    for (const resourceType of ['User', 'Group'] as const) this.note({ tenantId, connectionId, resourceType });
  }

  /** A read found a block out of shape (written by another process): look at it soon. */
  note(target: Target): void {
    if (this.pending.size >= MAX_PENDING) return;
    this.pending.set(keyOf(target), target);
  }

  /** The background job: a pass over the connections noted since the last one. */
  job(intervalMs = 1000): Job {
    return { name: 'scim.order-blocks', intervalMs, run: () => this.pass() };
  }

  /** Works through the noted connections; true when some still need more. */
  async pass(): Promise<boolean> {
    if (Date.now() - this.lastSweep >= SWEEP_INTERVAL_MS) await this.sweep();
    const targets = [...this.pending.values()];
    this.pending.clear();
    let more = false;
    for (const [i, target] of targets.entries()) {
      let steps = 0;
      try {
        while (steps < STEPS_PER_PASS && (await this.step(target))) steps++;
      } catch (error) {
        // The database is busy or gone: this connection and the ones not reached yet wait for the next pass.
        for (const left of targets.slice(i)) this.note(left);
        throw error;
      }
      if (steps === STEPS_PER_PASS) {
        this.note(target);
        more = true;
      }
    }
    return more;
  }

  /** Notes every connection with a block out of shape. */
  async sweep(): Promise<void> {
    this.lastSweep = Date.now();
    const rows = await this.db.kysely
      .selectFrom('scim_order_blocks')
      .select(['tenant_id', 'connection_id', 'resource_type'])
      .groupBy(['tenant_id', 'connection_id', 'resource_type', 'start_at', 'start_id'])
      .having((eb) => eb.or([eb(eb.fn.sum<number>('n'), '>=', 2 * this.blockRows), eb(eb.fn.sum<number>('n'), '<=', 0), eb(eb.fn.countAll<number>(), '>', 1)]))
      .distinct()
      .execute();
    for (const row of rows) this.note({ tenantId: row.tenant_id, connectionId: row.connection_id, resourceType: row.resource_type });
  }

  /** Runs until a connection's blocks need nothing more (tests, and after a bulk import). */
  async settle(target: Target): Promise<void> {
    while (await this.step(target));
  }

  /** One step on a connection's blocks; false when there was nothing to do (or it must wait). */
  async step(target: Target): Promise<boolean> {
    // Most passes find nothing to do (every write notes its connection): look without a lock first,
    // so they neither take SQLite's write lock nor hold up the connection's PostgreSQL writers.
    if (!nextStep(await this.blocks(this.db.kysely, target), this.blockRows)) return false;
    try {
      return await this.db.kysely.transaction().execute(async (trx) => {
        // Other processes may work on the same blocks: one at a time (Dialect.scim.lockBlocks).
        await this.db.dialect.scim.lockBlocks(trx, `${target.connectionId}/${target.resourceType}`);
        // Again under the lock: another process may have done it meanwhile.
        const step = nextStep(await this.blocks(trx, target), this.blockRows);
        if (!step) return false;
        await this.apply(trx, target, step);
        return true;
      });
    } catch (error) {
      // Lock timeout: writers held the connection the whole time; the next pass tries again.
      if (isLockTimeout(error)) {
        this.note(target);
        return false;
      }
      throw error;
    }
  }

  private async blocks(trx: Kysely<Database>, t: Target): Promise<Block[]> {
    const rows = await trx
      .selectFrom('scim_order_blocks')
      .select((eb) => ['start_at', 'start_id', eb.fn.sum<number | string>('n').as('n'), eb.fn.countAll<number | string>().as('shards')])
      .where('tenant_id', '=', t.tenantId)
      .where('connection_id', '=', t.connectionId)
      .where('resource_type', '=', t.resourceType)
      .groupBy(['start_at', 'start_id'])
      .orderBy('start_at')
      .orderBy('start_id')
      .execute();
    return rows.map((r) => ({ startAt: r.start_at, startId: r.start_id, n: Number(r.n), shards: Number(r.shards) }));
  }

  private async apply(trx: Kysely<Database>, t: Target, step: Step): Promise<void> {
    if (step.kind === 'drop') return this.replace(trx, t, [step.block], []);
    if (step.kind === 'fold') return this.replace(trx, t, [step.block], [{ ...step.block }]);
    if (step.kind === 'merge') return this.replace(trx, t, [step.block, step.next], [{ ...step.block, n: step.block.n + step.next.n }]);
    // Split: walk to every blockRows-th row from the block's bound, keeping at least blockRows for the last piece.
    const { block, next } = step;
    const pieces = Math.min(SPLIT_PIECES, Math.floor(block.n / this.blockRows) - 1);
    const out: Block[] = [{ ...block, n: this.blockRows }];
    let from = isFirst(block) ? undefined : { at: block.startAt, id: block.startId };
    for (let i = 0; i < pieces; i++) {
      const key = await this.rowAfter(trx, t, from, next);
      if (!key) {
        // Fewer rows than counted: the count is wrong (it should never be). Count the block again.
        return this.replace(trx, t, [block], [{ ...block, n: await this.countRange(trx, t, block, next) }]);
      }
      from = key;
      out.push({ startAt: key.at, startId: key.id, n: this.blockRows, shards: 1 });
    }
    out[out.length - 1].n = block.n - this.blockRows * pieces;
    return this.replace(trx, t, [block], out);
  }

  /** The key `blockRows` rows on from `from` (inclusive), within the block ending before `next`. */
  private async rowAfter(trx: Kysely<Database>, t: Target, from: { at: string; id: string } | undefined, next: Block | undefined) {
    const table = TABLE[t.resourceType];
    let query = trx
      .selectFrom(`${table} as r`)
      .select(['r.created_at as at', 'r.id as id'])
      .where('r.tenant_id', '=', t.tenantId)
      .where('r.connection_id', '=', t.connectionId)
      .orderBy('r.created_at')
      .orderBy('r.id')
      .limit(1)
      .offset(this.blockRows);
    if (from) query = query.where(sql<boolean>`(r.created_at, r.id) >= (${from.at}, ${from.id})`);
    if (next) query = query.where(sql<boolean>`(r.created_at, r.id) < (${next.startAt}, ${next.startId})`);
    return query.executeTakeFirst();
  }

  private async countRange(trx: Kysely<Database>, t: Target, block: Block, next: Block | undefined): Promise<number> {
    const table = TABLE[t.resourceType];
    let query = trx
      .selectFrom(`${table} as r`)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('r.tenant_id', '=', t.tenantId)
      .where('r.connection_id', '=', t.connectionId)
      .where(sql<boolean>`(r.created_at, r.id) >= (${block.startAt}, ${block.startId})`);
    if (next) query = query.where(sql<boolean>`(r.created_at, r.id) < (${next.startAt}, ${next.startId})`);
    return Number((await query.executeTakeFirstOrThrow()).n);
  }

  /**
   * Deletes the shard rows of `old` blocks and writes `blocks`, one row each. The list's version
   * moves with them (migration 0012), on a shard no count picks: on PostgreSQL this holds no lock a
   * writer waits for besides the connection's advisory lock it already holds.
   */
  private async replace(trx: Kysely<Database>, t: Target, old: Block[], blocks: Block[]): Promise<void> {
    await trx
      .insertInto('scim_counts')
      .values({ tenant_id: t.tenantId, connection_id: t.connectionId, resource_type: t.resourceType, shard: UPKEEP_SHARD, n: 0, version: 1 })
      .onConflict((oc) => oc.columns(['tenant_id', 'connection_id', 'resource_type', 'shard']).doUpdateSet({ version: sql`scim_counts.version + 1` }))
      .execute();
    for (const b of old) {
      await trx
        .deleteFrom('scim_order_blocks')
        .where('tenant_id', '=', t.tenantId)
        .where('connection_id', '=', t.connectionId)
        .where('resource_type', '=', t.resourceType)
        .where('start_at', '=', b.startAt)
        .where('start_id', '=', b.startId)
        .execute();
    }
    if (blocks.length === 0) return;
    await trx
      .insertInto('scim_order_blocks')
      .values(blocks.map((b) => ({ tenant_id: t.tenantId, connection_id: t.connectionId, resource_type: t.resourceType, start_at: b.startAt, start_id: b.startId, shard: 0, n: b.n })))
      .execute();
  }
}
