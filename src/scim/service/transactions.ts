/**
 * Every SCIM write runs in one transaction through here: stores bound to the transaction, the
 * connection's lastSync, uniqueness errors turned into 409, and retries when a concurrent writer
 * got to the same row first.
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { isDatabaseUnavailable, isTransientConflict, isUniqueViolation } from '../../db/errors.js';
import { PostgresStatistics } from '../../db/postgres-statistics.js';
import { PageSeekCache, readPageAndTotal, type Locator, type PageSource } from '../store/page-seek.js';
import type { ListQuery } from '../store/list-query.js';
import type { ResourceTypeName } from '../schema/index.js';
import { SqliteBlockIndex } from '../store/order-blocks.js';
import { PostgresBlockIndex } from '../store/postgres-block-index.js';
import { OrderBlockMaintenance } from '../store/order-maintenance.js';
import { GroupCommit } from '../../db/group-commit.js';
import { GUARD, WriteBatch } from '../../db/write-batch.js';
import type { Db } from '../../db/open.js';
import type { Database } from '../../db/tables.js';
import { EventRecorder } from '../../events/recorder.js';
import { EventStore } from '../../events/store.js';
import { ScimError, uniqueness } from '../errors.js';
import { GroupStore } from '../store/group-store.js';
import type { ConnectionScope } from '../store/scope.js';
import { UserStore } from '../store/user-store.js';
import { connectionKey, CreateRows } from '../store/create-statement.js';
import { CreateCoalescer } from './create-coalescer.js';

/** The stores of one transaction (or of plain reads). */
export interface Stores {
  users: UserStore;
  groups: GroupStore;
  trx: Kysely<Database>;
  /** Events of this transaction; written with it (the transactional outbox). */
  events: EventRecorder;
}

/** What a write that only inserts may use (ScimTransactions.insertOnly). */
export interface InsertStores {
  users: Pick<UserStore, 'insert'>;
  events: EventRecorder;
}

/** Thrown inside a write when a row changed under it without an If-Match: the write is retried. */
export class VersionConflict extends Error {
  override name = 'VersionConflict';
}

/**
 * A transaction whose connection was lost before its COMMIT was sent: the server rolled it back, so
 * running it again cannot apply it twice. Once it was sent, the outcome is unknown and the error stands (503).
 */
class LostBeforeCommit extends Error {
  override name = 'LostBeforeCommit';
}

/** PostgreSQL: this transaction commits without waiting for its WAL flush (a `flushAtEnd` request flushes later). */
const ASYNC_COMMIT = CompiledQuery.raw('set local synchronous_commit = off');

const MAX_ATTEMPTS = 5;
/** lastSync is kept to the second: one row update per second at most, not one per request. */
const LAST_SYNC_RESOLUTION_MS = 1000;

/** A version conflict, or a transient conflict with another transaction or process (src/db/errors.ts): retry the whole transaction. */
function isRetryable(error: unknown): boolean {
  return error instanceof VersionConflict || isTransientConflict(error);
}

/**
 * The UPDATE of the connection's lastSync to `now`, unless it is already at or after `before`; each
 * value is written into the text through `parameter`.
 */
function lastSyncUpdate(scope: ConnectionScope, now: string, before: string, parameter: (value: unknown) => string): string {
  return `update "connections" set "last_sync_at" = ${parameter(now)} where "id" = ${parameter(scope.connectionId)} and "tenant_id" = ${parameter(scope.tenantId)} and ("last_sync_at" is null or "last_sync_at" < ${parameter(before)})`;
}

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

/** Runs SCIM reads and writes against one database. */
export class ScimTransactions {
  constructor(
    private readonly db: Db,
    options: { orderBlockRows?: number; blockReadIntervalMs?: number } = {},
  ) {
    this.group = db.dialect.name === 'sqlite' ? new GroupCommit(db.kysely) : undefined;
    this.statistics = db.dialect.name === 'postgres' ? new PostgresStatistics(db.kysely) : undefined;
    this.creates = db.dialect.name === 'postgres' ? new CreateCoalescer(db.kysely) : undefined;
    this.blocks = new OrderBlockMaintenance(db, options.orderBlockRows);
    const blocks = this.blocks;
    const found: Locator['found'] = (scope, resourceType, blockRows) => {
      if (blockRows >= 2 * blocks.blockRows) blocks.note({ tenantId: scope.tenantId, connectionId: scope.connectionId, resourceType });
    };
    // Both keep each list's blocks while its version is unchanged: SQLite checks the version before the
    // lookup; PostgreSQL's page statement checks it, and looks the block up itself when it moved.
    if (db.dialect.name === 'sqlite') {
      const index = new SqliteBlockIndex(db.kysely);
      this.blockIndex = index;
      const locate: Locator['locate'] = async (scope, resourceType, offset) => {
        const position = await index.locate(scope, resourceType, offset);
        if (position) found(scope, resourceType, position.blockRows);
        return position;
      };
      this.locator = { minOffset: blocks.blockRows, locate, found };
    } else {
      const index = new PostgresBlockIndex(db.kysely, options.blockReadIntervalMs);
      this.blockIndex = index;
      this.locator = { minOffset: blocks.blockRows, found, held: (...a) => index.held(...a), seen: (...a) => index.seen(...a) };
    }
  }

  /** PostgreSQL: keeps planner statistics up with a growing directory (src/db/postgres-statistics.ts). */
  readonly statistics: PostgresStatistics | undefined;

  /** Where pages of the default order ended, for sequential paging without OFFSET. */
  readonly pages = new PageSeekCache();

  /** The order blocks of each list, kept while the list is unchanged (src/scim/store/order-blocks.ts, postgres-block-index.ts). */
  readonly blockIndex: SqliteBlockIndex | PostgresBlockIndex;

  /** Keeps the order blocks that find deep pages (src/scim/store/order-maintenance.ts); its job runs with the others. */
  readonly blocks: OrderBlockMaintenance;

  /**
   * The order blocks of row positions; a block found too large is handed to maintenance. Within
   * the first block's worth of rows OFFSET walks no more than a block would: no lookup then.
   */
  readonly locator: Locator;

  /**
   * A list's page and totalResults (src/scim/store/page-seek.ts), read from the source `sourceOf`
   * picks among the stores; on PostgreSQL an unfiltered page is one statement, its count and its
   * order block looked up in it, and a filtered list's count runs beside the page. A list in its default order
   * without a filter — every page of an IdP's full sync — is read through `db.genericPlans`: its
   * plan is the same wherever the page starts (src/db/open.ts).
   */
  page<Row extends { created_at: string; id: string }>(
    sourceOf: (stores: Stores) => PageSource<Row> & { count(scope: ConnectionScope, query: ListQuery): Promise<number> },
    scope: ConnectionScope,
    resourceType: ResourceTypeName,
    query: ListQuery,
  ): Promise<{ rows: Row[]; total: number }> {
    const plain = query.filter === undefined && query.sortBy === undefined;
    const stores = plain ? this.storesOf(this.db.genericPlans, new EventRecorder(false)) : this.reads();
    return readPageAndTotal(this.pages, sourceOf(stores), scope, resourceType, query, this.locator, this.db.dialect.name === 'postgres');
  }

  /** Stores for reads outside a transaction. */
  readonly reads = (): Stores => this.storesOf(this.db.kysely, new EventRecorder(false));

  private storesOf(trx: Kysely<Database>, events: EventRecorder): Stores {
    return { users: new UserStore(trx, this.db.dialect), groups: new GroupStore(trx, this.db.dialect), trx, events };
  }

  /** The connection's events, enabled or not (staging connections emit none). */
  private recorder(scope: ConnectionScope): EventRecorder {
    return new EventRecorder(scope.emitEvents === true);
  }

  /** SQLite: concurrent writes share one commit (see src/db/group-commit.ts). */
  private readonly group: GroupCommit | undefined;

  /** One transaction: one write of a group commit on SQLite, a transaction of its own on PostgreSQL. */
  private transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.group) return this.group.run(fn);
    let committing = false;
    const body = async (trx: Kysely<Database>) => {
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

  /** When this process last wrote each connection's lastSync (ms): most writes need not touch it. */
  private readonly lastSyncWritten = new Map<string, number>();

  /** Whether a write at `now` records lastSync; if so, the time before which a stored lastSync is moved on. */
  private lastSyncDue(scope: ConnectionScope, now: string): string | undefined {
    const nowMs = Date.parse(now);
    if (nowMs - (this.lastSyncWritten.get(scope.connectionId) ?? 0) < LAST_SYNC_RESOLUTION_MS) return undefined;
    return new Date(nowMs - LAST_SYNC_RESOLUTION_MS).toISOString();
  }

  private lastSyncWrote(scope: ConnectionScope, now: string): void {
    this.lastSyncWritten.set(scope.connectionId, Date.parse(now));
    if (this.lastSyncWritten.size > 100_000) this.lastSyncWritten.clear();
  }

  /**
   * Records the connection's lastSync, at most once per second per connection and process; the
   * WHERE clause keeps several processes from rewriting it more often than that either.
   */
  private async touchLastSync(trx: Kysely<Database>, scope: ConnectionScope, now: string): Promise<void> {
    const before = this.lastSyncDue(scope, now);
    if (before === undefined) return;
    this.lastSyncWrote(scope, now);
    const parameters: unknown[] = [];
    const text = lastSyncUpdate(scope, now, before, (value) => {
      parameters.push(value);
      return this.db.dialect.name === 'postgres' ? `$${parameters.length}` : '?';
    });
    await trx.executeQuery(CompiledQuery.raw(text, parameters));
  }

  /**
   * Runs `fn` in a transaction that also records the connection's lastSync. `conflictMessage` is
   * the 409 detail when a uniqueness constraint fails; a function is called only then, so it can
   * name a value the write itself computed.
   */
  write<T>(scope: ConnectionScope, conflictMessage: string | (() => string), fn: (stores: Stores, now: string) => Promise<T>): Promise<T> {
    return this.written(scope, conflictMessage, () =>
      this.transaction(async (trx) => {
        if (scope.flushAtEnd && this.db.dialect.name === 'postgres') await trx.executeQuery(ASYNC_COMMIT);
        const now = new Date().toISOString();
        const events = this.recorder(scope);
        const result = await fn(this.storesOf(trx, events), now);
        const recorded = events.take();
        if (recorded.length > 0) await new EventStore(trx, this.db.dialect).append(scope, recorded, now);
        await this.touchLastSync(trx, scope, now);
        return result;
      }),
    );
  }

  /**
   * A write that only inserts (a SCIM create), as `write` does. On PostgreSQL its rows, its events
   * and lastSync go to the database as one statement instead of a transaction, shared with the
   * creates that arrive meanwhile (src/scim/service/create-coalescer.ts).
   */
  insertOnly<T>(scope: ConnectionScope, conflictMessage: string, fn: (stores: InsertStores, now: string) => Promise<T>): Promise<T> {
    const creates = this.creates;
    if (!creates) return this.write(scope, conflictMessage, fn);
    return this.written(scope, conflictMessage, async () => {
      // Its place among the connection's creates is taken now, in the order the creates started.
      const slot = creates.reserve(connectionKey(scope.tenantId, scope.connectionId));
      try {
        const now = new Date().toISOString();
        const rows = new CreateRows();
        const events = this.recorder(scope);
        const result = await fn({ users: new UserStore(this.db.kysely, this.db.dialect, rows), events }, now);
        const recorded = events.take();
        if (recorded.length > 0) await new EventStore(this.db.kysely, this.db.dialect, rows).append(scope, recorded, now);
        const before = this.lastSyncDue(scope, now);
        const lastSync = before === undefined ? undefined : { tenantId: scope.tenantId, connectionId: scope.connectionId, now, before };
        if (!(await slot.insert(rows, { lastSync, asynchronous: scope.flushAtEnd === true }))) throw uniqueness(conflictMessage);
        if (before !== undefined) this.lastSyncWrote(scope, now);
        return result;
      } finally {
        slot.cancel();
      }
    });
  }

  /** PostgreSQL: concurrent creates share a statement. */
  private readonly creates: CreateCoalescer | undefined;

  /**
   * PostgreSQL: adds a change's events and, when due, the connection's lastSync to `batch`, and sends
   * it as one statement; false when the batch's guard found its row changed and nothing was written.
   */
  private async send(scope: ConnectionScope, batch: WriteBatch, events: EventRecorder, now: string): Promise<boolean> {
    if (scope.flushAtEnd) batch.commitAsync();
    const recorded = events.take();
    if (recorded.length > 0) await new EventStore(this.db.kysely, this.db.dialect, batch).append(scope, recorded, now);
    const before = this.lastSyncDue(scope, now);
    if (before !== undefined) {
      // In a guarded batch lastSync moves only with the change.
      const only = batch.isGuarded ? ` and exists (select 1 from ${GUARD})` : '';
      batch.addStatement((parameter) => lastSyncUpdate(scope, now, before, parameter) + only);
    }
    if (!(await batch.execute(this.db.kysely))) return false;
    if (before !== undefined) this.lastSyncWrote(scope, now);
    return true;
  }

  /**
   * Makes the writes of a `flushAtEnd` request durable before it answers. PostgreSQL committed them
   * without waiting for the WAL flush; the connection's lastSync, written now and committed
   * synchronously, flushes the WAL up to itself and so every commit before it — one flush for a
   * Bulk instead of one per operation. (A transaction that writes nothing has no commit to flush.)
   * SQLite's commits need nothing more: a group commit already shares one (src/db/group-commit.ts).
   */
  async flush(scope: ConnectionScope): Promise<void> {
    if (this.db.dialect.name !== 'postgres') return;
    const now = new Date().toISOString();
    await this.db.kysely
      .updateTable('connections')
      .set({ last_sync_at: sql<string>`greatest(coalesce(last_sync_at, ${now}), ${now})` })
      .where('id', '=', scope.connectionId)
      .where('tenant_id', '=', scope.tenantId)
      .execute();
    this.lastSyncWrote(scope, now);
  }

  /** Whether a write can go as one statement (PostgreSQL): `guarded` runs at all (creates: `insertOnly`). */
  get statementWrites(): boolean {
    return this.db.dialect.name === 'postgres';
  }

  /**
   * PostgreSQL: a change that reads without a lock, then sends every write as one guarded statement
   * (src/db/write-batch.ts) with its events and lastSync: two round trips instead of a transaction.
   * `fn` reads through `db`, adds its writes to `batch`, guarding it, and returns its result — or
   * undefined when the change needs a transaction after all. Undefined is also the answer when the
   * guard found the row changed since the read, and on SQLite; the caller then makes the change with
   * `write`. A batch left unguarded (the change wrote nothing) still records lastSync, as `write` does.
   */
  guarded<T>(
    scope: ConnectionScope,
    conflictMessage: () => string,
    fn: (db: Kysely<Database>, batch: WriteBatch, events: EventRecorder, now: string) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    if (!this.statementWrites) return Promise.resolve(undefined);
    return this.written(scope, conflictMessage, async () => {
      const now = new Date().toISOString();
      const batch = new WriteBatch();
      const events = this.recorder(scope);
      const result = await fn(this.db.kysely, batch, events, now);
      if (result === undefined || !(await this.send(scope, batch, events, now))) return undefined;
      return result;
    });
  }

  /**
   * PostgreSQL: a change made by one statement that reads what it depends on itself (a PATCH that
   * only adds or only removes members: src/scim/store/member-change-postgres.ts), one round trip.
   * `fn` runs it, given the connection's lastSync update when that is due (the statement applies it
   * on its own condition), and says whether the statement applied. Retried on conflicts as `write` is.
   */
  oneStatement<T>(scope: ConnectionScope, fn: (db: Kysely<Database>, context: StatementContext) => Promise<{ result: T; applied: boolean }>): Promise<T> {
    return this.written(scope, '', async () => {
      const now = new Date().toISOString();
      const before = this.lastSyncDue(scope, now);
      const lastSync = before === undefined ? undefined : (parameter: (value: unknown) => string) => lastSyncUpdate(scope, now, before, parameter);
      const { result, applied } = await fn(this.db.kysely, { now, events: this.recorder(scope).enabled, asynchronous: scope.flushAtEnd === true, lastSync });
      if (applied && before !== undefined) this.lastSyncWrote(scope, now);
      return result;
    });
  }

  /** Runs a write: retried on conflicts, uniqueness failures as 409, noted for paging, order blocks and statistics. */
  private async written<T>(scope: ConnectionScope, conflictMessage: string | (() => string), run: () => Promise<T>): Promise<T> {
    // Before and after: no page end remembered while the write was under way is trusted afterwards.
    this.pages.changed(scope.connectionId);
    try {
      const result = await this.attempt(conflictMessage, run);
      this.statistics?.noteWrites();
      this.blocks.noteWrite(scope.tenantId, scope.connectionId);
      return result;
    } finally {
      this.pages.changed(scope.connectionId);
    }
  }

  private async attempt<T>(conflictMessage: string | (() => string), run: () => Promise<T>): Promise<T> {
    let reconnected = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (error instanceof ScimError) throw error;
        // Once, on a new connection: a failover or restart usually leaves the next one working.
        if (error instanceof LostBeforeCommit) {
          if (reconnected) throw error.cause;
          reconnected = true;
          continue;
        }
        if (isUniqueViolation(error)) throw uniqueness(typeof conflictMessage === 'function' ? conflictMessage() : conflictMessage);
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) continue;
        if (error instanceof VersionConflict) throw new ScimError(409, 'The resource is being changed by another request; try again');
        throw error;
      }
    }
  }
}
