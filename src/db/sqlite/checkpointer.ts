/**
 * WAL checkpoints of a SQLite file, on a worker thread instead of the event loop.
 *
 * By default SQLite checkpoints inside the COMMIT that takes the WAL past 1,000 pages: that commit
 * then copies every page back into the database file and syncs it twice, tens of milliseconds during
 * which the server answers nothing — about a third of the SQLite time of a SCIM create under load.
 * Here a second connection, on its own thread, runs PASSIVE checkpoints (they never block the writer)
 * every few hundred milliseconds, so the request thread's own checkpoint, kept as a backstop at a
 * larger WAL, finds the pages already copied.
 *
 * Durability is unchanged: a commit is as durable as `synchronous` makes it when it is appended to
 * the WAL; a checkpoint only moves committed pages into the main file, and syncs the WAL first.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints; a PASSIVE checkpoint with nothing to copy costs microseconds. */
const INTERVAL_MS = 200;
/**
 * The request thread's own automatic checkpoint (pages of WAL): a backstop for when the worker falls
 * behind (its checkpoint can only finish while no commit is appending), so the WAL stays bounded.
 */
export const BACKSTOP_PAGES = 4000;

// CommonJS run with `eval: true`: a worker file would need compiling, which the tests (tsx) do not do.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failed: the next round, or the request thread's backstop, checkpoints instead.
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** A running checkpoint thread; `stop()` before the request thread closes its connection. */
export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing the SQLite file at `path` (already in WAL mode) on a worker thread. */
export function startCheckpointer(path: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, { eval: true, workerData: { driver, path, intervalMs: INTERVAL_MS } });
  // Never what keeps a process alive; an error only means the backstop checkpoints instead.
  worker.unref();
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held again while it winds down: an unreferenced worker would let a process with nothing else
      // to do exit mid-await (a CLI command's close, exit code 13) before the worker had closed its connection.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
