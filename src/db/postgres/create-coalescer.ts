/**
 * PostgreSQL: concurrent SCIM creates share one statement (src/db/postgres/create-statement.ts).
 *
 * A create alone is one statement, and most of its cost is the statement's, not the row's: the
 * round trip and wake-up of a backend on cores that Node and the load share, executor start-up, the
 * per-statement count and order-block triggers, the commit and its WAL flush. Measured with
 * `pgbench` at 16 clients: 3,700–4,300 creates/s one per statement, 10,000–11,500 sixteen per
 * statement. An IdP's initial push sends many creates at once (Okta and Entra run several in
 * parallel), so creates that arrive while others are being written wait for them and then go
 * together, as SQLite's writes share a commit (src/db/sqlite/group-commit.ts). A create arriving when
 * nothing is under way goes at once: alone, it waits for nothing.
 *
 * Creates of one connection are written in the order they arrived: a statement with creates of a
 * connection starts only once the statement before with creates of that connection has finished, so
 * of two creates of one userName the earlier one wins, as if they had run one after the other (a
 * Bulk request's operations rely on it, src/scim/service/bulk-service.ts). Statements of different
 * connections run side by side.
 *
 * Each caller's promise settles after the statement committed: with true when its create was
 * written, false when its key was taken (its userName, by a stored user or an earlier create of the
 * same statement) and nothing of it was. When the statement fails as a whole (a tenant deleted
 * meanwhile, a deadlock with another writer), nothing of it was written, and each of its creates
 * runs again in a statement of its own, so that an error reaches only the create it belongs to —
 * unless its connection was lost, when whether it committed is unknown and each create fails.
 */
import type { Kysely } from 'kysely';
import { isDatabaseUnavailable } from '../errors.js';
import type { Database } from '../tables.js';
import { createStatement, type CreateJob, type CreateRows, type LastSync } from './create-statement.js';

interface Job {
  /** Tenant and connection (CreateRows.connection). */
  connection: string;
  /** Undefined while the create is still being prepared: its place in the order is kept. */
  write?: CreateJob & { asynchronous: boolean };
  /** Runs in a statement of its own: the statement it shared failed. */
  alone: boolean;
  resolve(inserted: boolean): void;
  reject(error: unknown): void;
}

/** A create's place in its connection's order, taken before its rows are ready. */
export interface CreateSlot {
  /** Writes the create (see CreateCoalescer.insert). */
  insert(rows: CreateRows, options: { lastSync?: LastSync; asynchronous: boolean }): Promise<boolean>;
  /** Gives the place up, when the create failed before its rows were ready; nothing once inserted. */
  cancel(): void;
}

/** Statements under way at once: while they run, new creates gather for the next. */
const MAX_IN_FLIGHT = 2;
/** Creates per statement at most. */
const MAX_BATCH = 64;

export class CreateCoalescer {
  private queue: Job[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** Connections with creates in a statement under way. */
  private readonly busy = new Set<string>();

  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Writes `rows` (and `lastSync`) with the creates around it; true when written, false when its key
   * row was taken. `asynchronous`: it may commit without waiting for its WAL flush (a `flushAtEnd` request).
   */
  insert(rows: CreateRows, options: { lastSync?: LastSync; asynchronous: boolean }): Promise<boolean> {
    return this.reserve(rows.connection).insert(rows, options);
  }

  /**
   * Takes the next place in `connection`'s order now (tenant/connection, as CreateRows.connection
   * names it): creates of the connection reserved later are not written before this one is, or is
   * given up. The caller must insert or cancel.
   */
  reserve(connection: string): CreateSlot {
    let settle: Pick<Job, 'resolve' | 'reject'> = { resolve: () => {}, reject: () => {} };
    const result = new Promise<boolean>((resolve, reject) => (settle = { resolve, reject }));
    const job: Job = { connection, alone: false, resolve: (inserted) => settle.resolve(inserted), reject: (error) => settle.reject(error) };
    this.queue.push(job);
    return {
      insert: (rows, options) => {
        if (rows.connection !== connection) throw new Error(`A create of ${rows.connection} in a place reserved for ${connection}`);
        job.write = { rows, lastSync: options.lastSync, asynchronous: options.asynchronous };
        this.schedule();
        return result;
      },
      cancel: () => {
        if (job.write || !this.queue.includes(job)) return;
        this.queue = this.queue.filter((queued) => queued !== job);
        // Creates of the connection after it may go now.
        this.schedule();
      },
    };
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT) return;
    this.scheduled = true;
    // Creates that arrive in the same tick join this statement.
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const jobs = this.take();
      // Every create waiting belongs to a connection whose statement is under way.
      if (jobs.length === 0) return;
      const connections = new Set(jobs.map((job) => job.connection));
      for (const connection of connections) this.busy.add(connection);
      this.inFlight++;
      void this.send(jobs).finally(() => {
        for (const connection of connections) this.busy.delete(connection);
        this.inFlight--;
        this.pump();
      });
    }
  }

  /**
   * The next statement's creates, in queue order: one that must run alone, or up to MAX_BATCH others.
   * A connection's creates are passed over while it has a statement under way, and after one of its
   * creates is passed over or still being prepared, so that none overtakes an earlier one of its connection.
   */
  private take(): Job[] {
    const taken: Job[] = [];
    const rest: Job[] = [];
    const held = new Set<string>();
    for (const job of this.queue) {
      const { connection } = job;
      const closed = taken.length >= MAX_BATCH || (taken.length > 0 && (job.alone || taken[0].alone));
      if (closed || !job.write || this.busy.has(connection) || held.has(connection)) {
        rest.push(job);
        held.add(connection);
      } else taken.push(job);
    }
    this.queue = rest;
    return taken;
  }

  private async send(jobs: Job[]): Promise<void> {
    let inserted: Set<string>;
    try {
      // A statement commits synchronously unless every create in it may commit asynchronously.
      const writes = jobs.map((job) => job.write!);
      const query = createStatement(writes, writes.every((write) => write.asynchronous));
      const { rows } = await this.db.executeQuery<{ inserted: string[] }>(query);
      inserted = new Set(rows[0].inserted);
    } catch (error) {
      // A lost connection leaves the outcome unknown (the statement may have committed just before):
      // run again, a create already written would answer 409. Each create gets the error (503).
      if (jobs.length === 1 || isDatabaseUnavailable(error)) for (const job of jobs) job.reject(error);
      // Nothing of it was written: each create again, alone, before anything that arrived since.
      else this.queue.unshift(...jobs.map((job) => ({ ...job, alone: true })));
      return;
    }
    for (const job of jobs) job.resolve(inserted.has(job.write!.rows.id));
  }
}
