/**
 * Runs syncs: finds a connection that is due, claims it (one process syncs a connection at a time,
 * across every process sharing the database), reads Google's directory, applies the difference, and
 * records the sync. While it runs the claim is renewed; a process that stops leaves a claim that
 * expires, and the next sync marks the stopped one `interrupted` and completes what it left.
 *
 * Google refusing the grant marks the connection `needs_reauthorization` with the reason, and its
 * syncs stop until someone authorizes it again. Any other failure fails this sync; the schedule tries again.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { ConnectionAttributes, storedMappings } from '../attributes/mappings.js';
import { AttributeStore } from '../attributes/store.js';
import type { Source } from '../connections/sources.js';
import type { Database } from '../db/tables.js';
import { HOLDER } from '../jobs/exclusive.js';
import type { Job } from '../jobs/scheduler.js';
import type { Keyring } from '../security/encryption.js';
import type { ConnectionScope } from '../scim/store/scope.js';
import { SnapshotWriter } from './apply-snapshot.js';
import { DEFAULT_BACKOFF, DirectoryReader, type BackoffPolicy } from './directory-reader.js';
import { directoryApi, type GoogleSetup } from './google-api.js';
import { failureMessage, reauthorizationReason } from './google-errors.js';
import { openCredentials } from './credentials.js';
import { GoogleWorkspaceStore, type GoogleConnectionRow } from './store.js';
import { NO_COUNTS, type Selection, type SyncCounts, type SyncTrigger } from './types.js';

export interface SyncOptions {
  /** How long a claim holds unless renewed; renewed every third of it. */
  leaseMs?: number;
  /** How often each process looks for a due connection. */
  pollMs?: number;
  backoff?: BackoffPolicy;
}

/** The outcome of one sync, for callers that ran it. */
export interface SyncOutcome {
  id: string;
  status: 'succeeded' | 'failed';
  counts: SyncCounts;
  error: string | null;
}

export class GoogleSyncRunner {
  private readonly store: GoogleWorkspaceStore;
  private readonly attributes: AttributeStore;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly holder = HOLDER;

  /** Where sync outcomes and warnings are logged; set once the app has its logger. */
  private log?: FastifyBaseLogger;
  /** A pass started by `nudge`, running outside the scheduler. */
  private nudged?: Promise<void>;
  private closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly setup: GoogleSetup,
    private readonly keys: Keyring,
    private readonly writer: SnapshotWriter,
    private readonly baseUrlOf: (connectionId: string) => string,
    options: SyncOptions = {},
  ) {
    this.store = new GoogleWorkspaceStore(db);
    this.attributes = new AttributeStore(db);
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 5_000;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  reportTo(log: FastifyBaseLogger): void {
    this.log = log;
  }

  /**
   * Looks for due connections now, in this process, instead of at the next pass: "Sync now" and a new
   * authorization start within moments. Other processes still find the work at their next pass.
   */
  nudge(): void {
    if (this.closed || this.nudged) return;
    this.nudged = (async () => {
      try {
        while (!this.closed && (await this.runDue()));
      } catch (error) {
        this.log?.error({ err: error }, 'Google Workspace sync failed');
      } finally {
        this.nudged = undefined;
      }
    })();
  }

  /** Waits for a nudged pass to finish and starts no more: before the database closes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.nudged;
  }

  /** Waits until a nudged pass (if any) finished: tests. */
  async settled(): Promise<void> {
    await this.nudged;
  }

  /** The job each process runs: one due connection per pass, while there are more. */
  job(): Job {
    return { name: 'google-workspace.sync', intervalMs: this.pollMs, run: () => this.runDue() };
  }

  /** Syncs one due connection; false when none is due (or another process claimed it first). */
  async runDue(): Promise<boolean> {
    if (this.closed) return false;
    const due = await this.store.due(new Date().toISOString());
    if (!due) return false;
    await this.sync({ tenantId: due.tenant_id, connectionId: due.connection_id });
    return true;
  }

  /** The scope a connection's writes go through: events as its syncToUserManagement says, its attribute mappings. */
  private async scope(owner: { tenantId: string; connectionId: string }): Promise<ConnectionScope | undefined> {
    const found = await this.attributes.owner(owner.connectionId, owner.tenantId);
    if (!found) return undefined;
    const attributes = ConnectionAttributes.compile(await this.attributes.catalogue(), found.source as Source, storedMappings(found.mappings));
    return { tenantId: owner.tenantId, connectionId: owner.connectionId, emitEvents: found.syncToUserManagement, attributes };
  }

  /** Syncs the connection if this process can claim it; undefined when another process holds it. */
  async sync(owner: { tenantId: string; connectionId: string }): Promise<SyncOutcome | undefined> {
    const startedAt = new Date().toISOString();
    if (!(await this.store.claim(owner, this.holder, startedAt, new Date(Date.now() + this.leaseMs).toISOString()))) return undefined;
    const row = await this.store.find(owner.connectionId, owner.tenantId);
    if (!row) return undefined;
    const trigger: SyncTrigger = row.sync_requested_at === null ? 'schedule' : row.sync_trigger === 'authorization' ? 'authorization' : 'manual';
    const id = randomUUID();
    await this.store.startSync({ id, connection_id: owner.connectionId, tenant_id: owner.tenantId, trigger, status: 'running', started_at: startedAt, finished_at: null, counts: JSON.stringify(NO_COUNTS), error: null });
    const lost = new AbortController();
    const renewal = setInterval(() => {
      this.store.renew(owner, this.holder, new Date(Date.now() + this.leaseMs).toISOString()).then(
        (held) => held || lost.abort(new Error('Another process took over this sync after its claim expired')),
        (error) => this.log?.warn({ err: error, connectionId: owner.connectionId }, 'Google Workspace sync: could not renew its claim'),
      );
    }, Math.max(1000, Math.floor(this.leaseMs / 3)));
    renewal.unref();
    let outcome: SyncOutcome;
    try {
      outcome = await this.run(row, id, lost.signal);
    } finally {
      clearInterval(renewal);
    }
    const finishedAt = new Date().toISOString();
    await this.store.finishSync(owner, id, outcome.status, outcome.counts, outcome.error, finishedAt);
    if (outcome.status === 'succeeded') {
      await this.db.updateTable('connections').set({ last_sync_at: finishedAt }).where('id', '=', owner.connectionId).where('tenant_id', '=', owner.tenantId).execute();
    }
    await this.store.release(owner, this.holder, startedAt, new Date(Date.now() + row.interval_minutes * 60_000).toISOString());
    this.log?.info({ connectionId: owner.connectionId, sync: id, status: outcome.status, counts: outcome.counts, error: outcome.error }, 'Google Workspace sync finished');
    return outcome;
  }

  private async run(row: GoogleConnectionRow, id: string, signal: AbortSignal): Promise<SyncOutcome> {
    const owner = { tenantId: row.tenant_id, connectionId: row.connection_id };
    const failed = (error: string, counts: SyncCounts = { ...NO_COUNTS }): SyncOutcome => ({ id, status: 'failed', counts, error });
    let credentials;
    try {
      credentials = openCredentials(this.keys, row);
    } catch (error) {
      return failed((error as Error).message);
    }
    if (!credentials) return failed('The connection has no authorization');
    const who = credentials.method === 'service_account' ? `The admin ${credentials.adminEmail}` : 'The admin who authorized the connection';
    const target = await this.scope(owner);
    if (!target) return failed('The connection was deleted');
    let snapshot;
    try {
      snapshot = await new DirectoryReader(directoryApi(this.setup, credentials), this.backoff).read(JSON.parse(row.selection) as Selection);
    } catch (error) {
      const reason = reauthorizationReason(error, who);
      if (reason) {
        await this.store.update(owner.connectionId, owner.tenantId, { status: 'needs_reauthorization', reason, updated_at: new Date().toISOString() });
        this.log?.warn({ connectionId: owner.connectionId, reason }, 'Google Workspace connection needs to be authorized again');
        return failed(reason);
      }
      return failed(failureMessage(error));
    }
    const counts: SyncCounts = { ...NO_COUNTS };
    let problems: string[];
    try {
      problems = await this.writer.apply(target, this.baseUrlOf(owner.connectionId), snapshot, await this.store.held(owner), signal, counts);
    } catch (error) {
      return failed(`Stopped while applying: ${(error as Error).message}`, counts);
    }
    const notes = snapshot.missingGroups.length > 0 ? [`Chosen groups Google does not have: ${snapshot.missingGroups.join(', ')}`] : [];
    if (problems.length > 0) return failed(`${problems.length} change(s) could not be applied: ${[...problems.slice(0, 5), ...notes].join('; ')}`, counts);
    return { id, status: 'succeeded', counts, error: notes.length > 0 ? notes.join('; ') : null };
  }
}
