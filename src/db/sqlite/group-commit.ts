/**
 * Group commit for SQLite. A commit writes every page the transaction touched to the WAL, which
 * costs more than the rest of a SCIM create; concurrent writes therefore run one after another in
 * one transaction and commit together. Each caller's promise settles only after that COMMIT: a
 * success is never reported for a change that is not durable.
 *
 * A failing write must not take the others with it, nor leave half of itself behind. A SAVEPOINT
 * per write would do that, but it makes SQLite copy every page the write touches into a
 * sub-journal — half again the SQLite time of a create. Almost every failure happens before the
 * write changed anything (a 409 at the INSERT, a 400 or 404 before it), and a failed statement is
 * undone by SQLite itself; so writes run bare, and only a write that fails after changing rows
 * rolls the whole group back. The group then runs again with a savepoint per write, in the same
 * order (a unit of work is safe to run again: src/scim/service/unit-of-work.ts retries it on conflicts).
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../tables.js';

interface Job {
  fn: (trx: Kysely<Database>) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** Runs in a savepoint: it was in a group that had to be rolled back. */
  careful: boolean;
}

interface Outcome {
  job: Job;
  ok: boolean;
  value?: unknown;
  error?: unknown;
}

// Compiled once: these run around every write.
const SAVEPOINT = CompiledQuery.raw('savepoint request');
const RELEASE = CompiledQuery.raw('release request');
const ROLLBACK_TO = CompiledQuery.raw('rollback to request');
/** Rows changed by completed statements of this connection; a failed statement adds nothing. */
const TOTAL_CHANGES = CompiledQuery.raw('select total_changes() as n');

/** How many writes one commit carries at most. */
const MAX_BATCH = 64;

/** A bare write failed after changing rows: the group is rolled back and runs again carefully. */
class PartialWrite extends Error {
  override name = 'PartialWrite';
  constructor(
    readonly job: Job,
    cause: unknown,
  ) {
    super('a write failed after changing rows', { cause });
  }
}

export class GroupCommit {
  private queue: Job[] = [];
  private running = false;

  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `fn` in the next group transaction; settles after the group committed. */
  run<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve, reject, careful: false });
      if (!this.running) {
        this.running = true;
        // Let the requests that arrived in the same tick join this batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch: Outcome[] = [];
      // The job under way: when the transaction itself fails (its COMMIT, or SQLite rolling it back), that job fails too.
      let current: Job | undefined;
      try {
        await this.db.transaction().execute(async (trx) => {
          // Keep taking jobs that arrive while this batch runs, up to MAX_BATCH.
          while (batch.length < MAX_BATCH && this.queue.length > 0) {
            current = this.queue.shift()!;
            batch.push(current.careful ? await this.careful(trx, current) : await this.bare(trx, current));
            current = undefined;
          }
        });
      } catch (error) {
        if (error instanceof PartialWrite) {
          // Nothing of the group is written: all of it runs again, in order, each write in a savepoint.
          const jobs = [...batch.map((entry) => entry.job), error.job];
          this.queue.unshift(...jobs.map((job) => ({ ...job, careful: true })));
          continue;
        }
        // The transaction failed: nothing of the batch is durable.
        for (const entry of batch) entry.job.reject(error);
        current?.reject(error);
        continue;
      }
      for (const entry of batch) {
        if (entry.ok) entry.job.resolve(entry.value);
        else entry.job.reject(entry.error);
      }
    }
    this.running = false;
  }

  private async bare(trx: Kysely<Database>, job: Job): Promise<Outcome> {
    const before = await changes(trx);
    try {
      return { job, ok: true, value: await job.fn(trx) };
    } catch (error) {
      if ((await changes(trx)) !== before) throw new PartialWrite(job, error);
      return { job, ok: false, error };
    }
  }

  private async careful(trx: Kysely<Database>, job: Job): Promise<Outcome> {
    await trx.executeQuery(SAVEPOINT);
    try {
      const value = await job.fn(trx);
      await trx.executeQuery(RELEASE);
      return { job, ok: true, value };
    } catch (error) {
      await trx.executeQuery(ROLLBACK_TO);
      await trx.executeQuery(RELEASE);
      return { job, ok: false, error };
    }
  }
}

async function changes(trx: Kysely<Database>): Promise<number> {
  const { rows } = await trx.executeQuery<{ n: number }>(TOTAL_CHANGES);
  return rows[0].n;
}
