/**
 * PostgreSQL's SCIM unit of work. Many writers share the database, and each statement is a round
 * trip: so a transaction is one of the connection's own, and the commonest changes go in fewer
 * round trips than a transaction's BEGIN … COMMIT — concurrent creates share one statement
 * (create-coalescer.ts), and a Group PATCH goes as one statement or as one read and one guarded
 * statement (group-patch.ts) when it can.
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { isDatabaseUnavailable } from '../errors.js';
import type { Database } from '../tables.js';
import { GUARD, WriteBatch } from './write-batch.js';
import { EventStore } from '../../events/store.js';
import type { EventRecorder } from '../../events/recorder.js';
import { uniqueness } from '../../scim/errors.js';
import type { GroupRow } from '../../scim/store/group-store.js';
import type { ConnectionScope } from '../../scim/store/scope.js';
import { UserStore } from '../../scim/store/user-store.js';
import { lastSyncUpdate, type LastSyncDue } from '../../scim/service/last-sync.js';
import { LostBeforeCommit, UnitOfWork, type ConflictMessage, type GroupPatch, type InsertStores } from '../../scim/service/unit-of-work.js';
import { CreateCoalescer } from './create-coalescer.js';
import { connectionKey, CreateRows } from './create-statement.js';
import { patchByStatement, patchUnlocked } from './group-patch.js';

/** This transaction commits without waiting for its WAL flush (a `flushAtEnd` request flushes later). */
const ASYNC_COMMIT = CompiledQuery.raw('set local synchronous_commit = off');

/** What a change made by one statement (`oneStatement`) is given. */
export interface StatementContext {
  now: string;
  /** Whether the connection records events. */
  events: boolean;
  /** Commit without waiting for the WAL flush: the request flushes at its end (`flush`). */
  asynchronous: boolean;
  /** The connection's lastSync update, when due. */
  lastSync?: (parameter: (value: unknown) => string) => string;
}

export class PostgresScimWrites extends UnitOfWork {
  /** Concurrent creates share a statement. */
  private readonly creates = new CreateCoalescer(this.db.kysely);

  protected placeholder(index: number): string {
    return `$${index}`;
  }

  protected transaction<T>(scope: ConnectionScope, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    let committing = false;
    const body = async (trx: Kysely<Database>) => {
      if (scope.flushAtEnd) await trx.executeQuery(ASYNC_COMMIT);
      const result = await fn(trx);
      committing = true;
      return result;
    };
    return this.db.kysely
      .transaction()
      .execute(body)
      .catch((error: unknown) => {
        throw !committing && isDatabaseUnavailable(error) ? new LostBeforeCommit('connection lost before COMMIT', { cause: error }) : error;
      });
  }

  /**
   * The connection's row held until the write ends (UnitOfWork.liveNow) with the weakest lock that
   * going live's lock for update waits for: FOR KEY SHARE, which staging writes share and which still
   * lets each move the connection's lastSync (an update of no key); FOR SHARE would make two such
   * writes wait for each other there.
   */
  protected override liveFlag(trx: Kysely<Database>, scope: ConnectionScope) {
    return super.liveFlag(trx, scope).forKeyShare();
  }

  /**
   * A create's rows, its events and lastSync go to the database as one statement instead of a
   * transaction, shared with the creates that arrive meanwhile (create-coalescer.ts).
   */
  override create<T>(scope: ConnectionScope, conflictMessage: string, fn: (stores: InsertStores, now: string) => Promise<T>): Promise<T> {
    // A staging connection's writes read whether it went live in their transaction (UnitOfWork.write).
    if (scope.emitEvents !== true) return super.create(scope, conflictMessage, fn);
    const creates = this.creates;
    return this.run(scope, conflictMessage, async () => {
      // Its place among the connection's creates is taken now, in the order the creates started.
      const slot = creates.reserve(connectionKey(scope.tenantId, scope.connectionId));
      try {
        const now = new Date().toISOString();
        const rows = new CreateRows();
        const events = this.recorder(scope);
        const result = await fn({ users: new UserStore(this.db.kysely, this.db.dialect, rows), events }, now);
        const recorded = events.take();
        if (recorded.length > 0) await new EventStore(this.db.kysely, this.db.dialect, rows).append(scope, recorded, now);
        const due = this.lastSync.due(scope, now);
        const lastSync = due && { tenantId: scope.tenantId, connectionId: scope.connectionId, now, before: due.before };
        if (!(await slot.insert(rows, { lastSync, asynchronous: scope.flushAtEnd === true }))) throw uniqueness(conflictMessage);
        due?.wrote();
        return result;
      } finally {
        slot.cancel();
      }
    });
  }

  /**
   * A PATCH that only adds or only removes members goes as one statement; one that changes more,
   * as a read and one guarded statement; one that needs every member, a filter on members, or
   * the role changes of a group with mapped roles, in a transaction (group-patch.ts). A staging
   * connection's, too: its transaction reads whether it went live meanwhile (UnitOfWork.write).
   */
  override async patchGroup(patch: GroupPatch): Promise<GroupRow> {
    if (patch.scope.emitEvents !== true) return patch.inTransaction();
    return (await patchByStatement(this, patch)) ?? (await patchUnlocked(this, patch)) ?? patch.inTransaction();
  }

  /**
   * The writes of a `flushAtEnd` request committed without waiting for the WAL flush; the
   * connection's lastSync, written now and committed synchronously, flushes the WAL up to itself
   * and so every commit before it — one flush for a Bulk instead of one per operation. (A
   * transaction that writes nothing has no commit to flush.)
   */
  override async flush(scope: ConnectionScope): Promise<void> {
    const now = new Date().toISOString();
    await this.db.kysely
      .updateTable('connections')
      .set({ last_sync_at: sql<string>`greatest(coalesce(last_sync_at, ${now}), ${now})` })
      .where('id', '=', scope.connectionId)
      .where('tenant_id', '=', scope.tenantId)
      .execute();
    this.lastSync.wrote(scope, now);
  }

  /**
   * A change that reads without a lock, then sends every write as one guarded statement
   * (src/db/postgres/write-batch.ts) with its events and lastSync: two round trips instead of a transaction.
   * `fn` reads through `db`, adds its writes to `batch`, guarding it, and returns its result — or
   * undefined when the change needs a transaction after all. Undefined is also the answer when the
   * guard found the row changed since the read. A batch left unguarded (the change wrote nothing)
   * still records lastSync, as a transaction does.
   */
  guarded<T>(
    scope: ConnectionScope,
    conflictMessage: ConflictMessage,
    fn: (db: Kysely<Database>, batch: WriteBatch, events: EventRecorder, now: string) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    return this.run(scope, conflictMessage, async () => {
      const now = new Date().toISOString();
      const batch = new WriteBatch();
      const events = this.recorder(scope);
      const result = await fn(this.db.kysely, batch, events, now);
      if (result === undefined || !(await this.send(scope, batch, events, now))) return undefined;
      return result;
    });
  }

  /**
   * A change made by one statement that reads what it depends on itself (member-change.ts), one
   * round trip. `fn` runs it, given the connection's lastSync update when that is due (the
   * statement applies it on its own condition), and says whether the statement applied.
   */
  oneStatement<T>(scope: ConnectionScope, fn: (db: Kysely<Database>, context: StatementContext) => Promise<{ result: T; applied: boolean }>): Promise<T> {
    return this.run(scope, '', async () => {
      const now = new Date().toISOString();
      const due = this.lastSync.due(scope, now);
      const lastSync = due && ((parameter: (value: unknown) => string) => lastSyncUpdate(scope, due, parameter));
      const { result, applied } = await fn(this.db.kysely, { now, events: this.recorder(scope).enabled, asynchronous: scope.flushAtEnd === true, lastSync });
      if (applied) due?.wrote();
      return result;
    });
  }

  /**
   * Adds a change's events and, when due, the connection's lastSync to `batch`, and sends it as one
   * statement; false when the batch's guard found its row changed and nothing was written.
   */
  private async send(scope: ConnectionScope, batch: WriteBatch, events: EventRecorder, now: string): Promise<boolean> {
    if (scope.flushAtEnd) batch.commitAsync();
    const recorded = events.take();
    if (recorded.length > 0) await new EventStore(this.db.kysely, this.db.dialect, batch).append(scope, recorded, now);
    const due: LastSyncDue | undefined = this.lastSync.due(scope, now);
    if (due) {
      // In a guarded batch lastSync moves only with the change.
      const only = batch.isGuarded ? ` and exists (select 1 from ${GUARD})` : '';
      batch.addStatement((parameter) => lastSyncUpdate(scope, due, parameter) + only);
    }
    if (!(await batch.execute(this.db.kysely))) return false;
    due?.wrote();
    return true;
  }
}
