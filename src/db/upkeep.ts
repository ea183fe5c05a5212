/**
 * Upkeep a database needs of its own, run by the application's job scheduler (src/jobs/scheduler.ts)
 * beside its other jobs (src/db/sqlite/upkeep.ts, src/db/postgres/upkeep.ts).
 */
import type { Db } from './open.js';

/** A periodic task: `run` does one pass. */
export interface UpkeepJob {
  readonly name: string;
  readonly intervalMs: number;
  run(): Promise<void>;
}

/** The upkeep jobs of a database. */
export interface Upkeep {
  jobs(db: Db): UpkeepJob[];
}
