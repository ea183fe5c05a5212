/**
 * Waiting for a server's own work after a write step, so the next scenario times itself rather than
 * the aftermath of an import: PostgreSQL's vacuum and checkpoint, SQLite's WAL checkpoint and order-block upkeep.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { BLOCK_ROWS } from '../src/scim/store/order-blocks.js';

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Longest wait for either database; past it the scenario runs anyway. */
const DEADLINE_MS = 120_000;

/**
 * Waits until PostgreSQL's vacuum of what a step wrote has run — the server vacuums tables an import
 * grew 2 s after its last write (src/db/postgres/statistics.ts), and autovacuum may be at work too —
 * then checkpoints. Measured next to either, a scenario would time their CPU and I/O rather than its own.
 */
export async function postgresSettled(url: string): Promise<void> {
  await pause(3000);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and (backend_type = 'autovacuum worker' or query ilike 'vacuum%') and state <> 'idle'`,
      );
      if (rows[0].n === 0 || Date.now() > deadline) break;
      await pause(250);
    }
    // The checkpoint of what the step wrote, done now rather than spread over the next scenarios: as
    // SQLite's settle waits for its WAL to be copied into the database file. After the 1M-user import
    // PostgreSQL's checkpointer was still writing (one took 54 s) while both servers were measured.
    await client.query('checkpoint');
  } finally {
    await client.end();
  }
}

/**
 * Waits until the SQLite file at `path` has nothing left to do after a step: every WAL frame copied
 * into the database file, and no order block the server's upkeep job still has to split (it cuts a
 * 900k-user import into 900 blocks over a few passes, src/scim/store/order-maintenance.ts). The
 * server checkpoints on a worker thread (src/db/sqlite/checkpointer.ts); after a large import that
 * takes seconds, and a scenario measured meanwhile shares the cores and the disk with it (right after a
 * 1M-user import, enough to push two p99s over their targets). This process runs PASSIVE checkpoints
 * too: one that finds every frame copied says the work is done, and while the server's own holds the
 * checkpoint lock it answers busy.
 */
export async function sqliteSettled(path: string): Promise<void> {
  await pause(500);
  const db = new Database(path, { fileMustExist: true });
  try {
    const oversize = db.prepare(`select count(*) as n from (
      select 1 from scim_order_blocks group by tenant_id, connection_id, resource_type, start_at, start_id having sum(n) >= ?)`);
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const [checkpoint] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      const walDone = checkpoint.busy === 0 && checkpoint.log === checkpoint.checkpointed;
      // A block of twice BLOCK_ROWS or more is one the upkeep job splits (src/scim/store/order-maintenance.ts).
      const blocksDone = (oversize.get(2 * BLOCK_ROWS) as { n: number }).n === 0;
      if ((walDone && blocksDone) || Date.now() > deadline) return;
      await pause(250);
    }
  } finally {
    db.close();
  }
}
