/**
 * PostgreSQL: concurrent SCIM creates share one statement (src/scim/store/create-statement.ts).
 *
 * A create alone is one statement, and most of its cost is the statement's, not the row's: the
 * round trip and wake-up of a backend on cores that Node and the load share, executor start-up, the
 * per-statement count and order-block triggers, the commit and its WAL flush. Measured with
 * `pgbench` at 16 clients: 3,700–4,300 creates/s one per statement, 10,000–11,500 sixteen per
 * statement. An IdP's initial push sends many creates at once (Okta and Entra run several in
 * parallel), so creates that arrive while others are being written wait for them and then go
 * together, as SQLite's writes share a commit (src/db/group-commit.ts). A create arriving when
 * nothing is under way goes at once: alone, it waits for nothing.
 *
 * Each caller's promise settles after the statement committed: with true when its create was
 * written, false when its key was taken (its userName, by a stored user or an earlier create of the
 * same statement) and nothing of it was. When the statement fails as a whole (a tenant deleted
 * meanwhile, a deadlock with another writer), nothing of it was written, and each of its creates
 * runs again in a statement of its own, so that an error reaches only the create it belongs to.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.js';
import { createStatement, type CreateJob, type CreateRows, type LastSync } from '../store/create-statement.js';

interface Job extends CreateJob {
  asynchronous: boolean;
  /** Runs in a statement of its own: the statement it shared failed. */
  alone: boolean;
  resolve(inserted: boolean): void;
  reject(error: unknown): void;
}

/** Statements under way at once: while they run, new creates gather for the next. */
const MAX_IN_FLIGHT = 2;
/** Creates per statement at most. */
const MAX_BATCH = 64;

export class CreateCoalescer {
  private readonly queue: Job[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Writes `rows` (and `lastSync`) with the creates around it; true when written, false when its key
   * row was taken. `asynchronous`: it may commit without waiting for its WAL flush (a `flushAtEnd` request).
   */
  insert(rows: CreateRows, options: { lastSync?: LastSync; asynchronous: boolean }): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ rows, lastSync: options.lastSync, asynchronous: options.asynchronous, alone: false, resolve, reject });
      if (!this.scheduled && this.inFlight < MAX_IN_FLIGHT) {
        this.scheduled = true;
        // Creates that arrive in the same tick join this statement.
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const jobs = this.take();
      this.inFlight++;
      void this.send(jobs).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The next statement's creates: one that must run alone, or up to MAX_BATCH others in order. */
  private take(): Job[] {
    if (this.queue[0].alone) return [this.queue.shift()!];
    let n = 1;
    while (n < this.queue.length && n < MAX_BATCH && !this.queue[n].alone) n++;
    return this.queue.splice(0, n);
  }

  private async send(jobs: Job[]): Promise<void> {
    let inserted: Set<string>;
    try {
      // A statement commits synchronously unless every create in it may commit asynchronously.
      const query = createStatement(jobs, jobs.every((job) => job.asynchronous));
      const { rows } = await this.db.executeQuery<{ inserted: string[] }>(query);
      inserted = new Set(rows[0].inserted);
    } catch (error) {
      if (jobs.length === 1) jobs[0].reject(error);
      // Nothing of it was written: each create again, alone, before anything that arrived since.
      else this.queue.unshift(...jobs.map((job) => ({ ...job, alone: true })));
      return;
    }
    for (const job of jobs) job.resolve(inserted.has(job.rows.id));
  }
}
