/**
 * Jobs that must run once across every process sharing the database, not once per process
 * (retention). Each run is claimed in `job_leases` with one conditional UPDATE: whoever moves
 * `run_after` forward runs the pass; the others skip it. Works alike on SQLite and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Job } from './scheduler.js';
import type { JobTables } from './tables.js';

/** A pass keeps going (batch after batch) at most this many times per claim. */
const MAX_BATCHES_PER_CLAIM = 100;

/** Marks jobs wrapped by `exclusive`, for tests and diagnostics. */
export const EXCLUSIVE = Symbol('rollcall.exclusiveJob');

/** A job that runs at most once per interval across processes. */
export type ExclusiveJob = Job & { [EXCLUSIVE]: true };

/** This process, as recorded in `job_leases.holder`. */
export const HOLDER = `${process.pid}:${randomUUID().slice(0, 8)}`;

/** Claims the next run of `name`; true when this process won it. */
export async function claimRun(db: Kysely<Database>, name: string, intervalMs: number, now = Date.now()): Promise<boolean> {
  const leases = db.withTables<JobTables>();
  const at = new Date(now).toISOString();
  await leases
    .insertInto('job_leases')
    .values({ name, run_after: new Date(0).toISOString(), holder: null, updated_at: at })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  // 90 % of the interval: a process whose timer fires a little early still finds the run due.
  const next = new Date(now + Math.floor(intervalMs * 0.9)).toISOString();
  const result = await leases
    .updateTable('job_leases')
    .set({ run_after: next, holder: HOLDER, updated_at: at })
    .where('name', '=', name)
    .where('run_after', '<=', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Wraps `job` so that one process runs each pass; the others skip until the next interval. */
export function exclusive(db: Kysely<Database>, job: Job): ExclusiveJob {
  return {
    name: job.name,
    intervalMs: job.intervalMs,
    [EXCLUSIVE]: true,
    async run() {
      if (!(await claimRun(db, job.name, job.intervalMs))) return false;
      // The winner does the whole pass now: a later call in the same pass could not claim again.
      for (let i = 0; i < MAX_BATCHES_PER_CLAIM; i++) {
        if (!(await job.run())) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      return false;
    },
  };
}
