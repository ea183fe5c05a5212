/**
 * Every SCIM write is one unit of work: its stores bound to one transaction, its events written
 * with it (the transactional outbox), the connection's lastSync moved with it, uniqueness failures
 * answered as 409, and the whole unit run again when a concurrent writer got to the same row first.
 *
 * How a unit reaches the database is each database's: src/db/sqlite/scim-writes.ts and
 * src/db/postgres/scim-writes.ts extend this class. A database may write a kind of change faster
 * than the general way (`create`, `patchGroup`); the services call the one method either way.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { isTransientConflict, isUniqueViolation } from '../../db/errors.js';
import type { Db } from '../../db/open.js';
import type { Database } from '../../db/tables.js';
import { EventRecorder } from '../../events/recorder.js';
import { EventStore } from '../../events/store.js';
import { ScimError, uniqueness } from '../errors.js';
import type { MemberOp } from '../patch/types.js';
import type { StoredResource } from '../resources/normalize.js';
import { GroupStore, type GroupRow } from '../store/group-store.js';
import type { ConnectionScope } from '../store/scope.js';
import { UserStore } from '../store/user-store.js';
import { lastSyncUpdate, LastSyncThrottle } from './last-sync.js';

/** The stores of one transaction (or of plain reads). */
export interface Stores {
  users: UserStore;
  groups: GroupStore;
  trx: Kysely<Database>;
  /** Events of this transaction; written with it (the transactional outbox). */
  events: EventRecorder;
}

/** What a write that only inserts may use (`UnitOfWork.create`). */
export interface InsertStores {
  users: Pick<UserStore, 'insert'>;
  events: EventRecorder;
}

/** A 409 detail; a function is called only when the conflict happens, so it can name a value the write computed. */
export type ConflictMessage = string | (() => string);

/**
 * A Group PATCH as the service describes it: the request, how it changes a stored group, and the
 * general way to make it (a transaction that reads the group, `UnitOfWork.write`).
 */
export interface GroupPatch {
  scope: ConnectionScope;
  id: string;
  body: unknown;
  ifMatch: string | undefined;
  /** The PATCH applied to a stored group: the new resource when attributes changed, and the member operations. */
  change: (current: StoredResource) => { resource?: StoredResource; memberOps: MemberOp[] };
  /** The 409 detail when the new displayName is taken. */
  conflictMessage: () => string;
  /** The PATCH in a transaction of its own: always right, whatever the PATCH. */
  inTransaction: () => Promise<GroupRow>;
}

/** Thrown inside a write when a row changed under it without an If-Match: the write is retried. */
export class VersionConflict extends Error {
  override name = 'VersionConflict';
}

/**
 * A transaction whose connection was lost before its COMMIT was sent: the server rolled it back, so
 * running it again cannot apply it twice. Once it was sent, the outcome is unknown and the error stands (503).
 */
export class LostBeforeCommit extends Error {
  override name = 'LostBeforeCommit';
}

/** What the rest of the SCIM layer hears of writes: paging forgets page ends, order blocks and statistics note the connection. */
export interface WriteNotes {
  /** Before and after each write: a page end remembered while it was under way is not trusted afterwards. */
  changing(scope: ConnectionScope): void;
  /** After a write succeeded. */
  wrote(scope: ConnectionScope): void;
}

const MAX_ATTEMPTS = 5;

/** A version conflict, or a transient conflict with another transaction or process (src/db/errors.ts): the whole unit runs again. */
function isRetryable(error: unknown): boolean {
  return error instanceof VersionConflict || isTransientConflict(error);
}

/** Runs SCIM reads and writes against one database. */
export abstract class UnitOfWork {
  protected readonly lastSync = new LastSyncThrottle();

  constructor(
    protected readonly db: Db,
    private readonly notes: WriteNotes,
  ) {}

  /** Runs `fn` in one transaction of this database (SQLite: a write of a shared commit; PostgreSQL: its own). */
  protected abstract transaction<T>(scope: ConnectionScope, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;

  /** The database's placeholder for the `index`th (1-based) parameter of a statement's text. */
  protected abstract placeholder(index: number): string;

  /** Stores over `trx` (a transaction, or the database for reads). */
  stores(trx: Kysely<Database>, events = new EventRecorder(false)): Stores {
    return { users: new UserStore(trx, this.db.dialect), groups: new GroupStore(trx, this.db.dialect), trx, events };
  }

  /** Stores for reads outside a transaction. */
  readonly reads = (): Stores => this.stores(this.db.kysely);

  /** The events of a live connection's write (a staging scope's go through `liveNow` in `write`). */
  protected recorder(scope: ConnectionScope): EventRecorder {
    return new EventRecorder(scope.emitEvents === true);
  }

  /**
   * Runs `fn` in a transaction that also writes its events and the connection's lastSync.
   * `conflictMessage` is the 409 detail when a uniqueness constraint fails.
   */
  write<T>(scope: ConnectionScope, conflictMessage: ConflictMessage, fn: (stores: Stores, now: string) => Promise<T>): Promise<T> {
    return this.run(scope, conflictMessage, () =>
      this.transaction(scope, async (trx) => {
        const now = new Date().toISOString();
        const events = scope.emitEvents === true ? this.recorder(scope) : new EventRecorder(await this.liveNow(trx, scope));
        const result = await fn(this.stores(trx, events), now);
        const recorded = events.take();
        if (recorded.length > 0) await new EventStore(trx, this.db.dialect).append(scope, recorded, now);
        await this.touchLastSync(trx, scope, now);
        return result;
      }),
    );
  }

  /** A write that only inserts (a SCIM create); `write` unless the database has a faster way. */
  create<T>(scope: ConnectionScope, conflictMessage: string, fn: (stores: InsertStores, now: string) => Promise<T>): Promise<T> {
    return this.write(scope, conflictMessage, fn);
  }

  /** A Group PATCH; its transaction (`patch.inTransaction`) unless the database has a faster way for it. */
  patchGroup(patch: GroupPatch): Promise<GroupRow> {
    return patch.inTransaction();
  }

  /**
   * Makes the writes of a `flushAtEnd` request durable before it answers; nothing to do where every
   * commit is durable when it returns.
   */
  async flush(_scope: ConnectionScope): Promise<void> {}

  /**
   * Whether a staging scope's connection is live now, read in the write's transaction. The scope was
   * resolved with the token, perhaps before the connection went live; going live locks the
   * connection's row before it reads what to announce (src/connections/go-live-store.ts). SQLite has
   * one writer, so this read sees the switch or runs before it; PostgreSQL's override holds the row
   * (key share) until the write commits, so a staging write either commits before the switch reads (and is
   * among what it announces) or waits for it, finds the connection live and writes its own events.
   * Only staging writes pay this statement.
   */
  protected async liveNow(trx: Kysely<Database>, scope: ConnectionScope): Promise<boolean> {
    const row = await this.liveFlag(trx, scope).executeTakeFirst();
    return row?.sync_to_user_management === 1;
  }

  /** The statement `liveNow` runs. */
  protected liveFlag(trx: Kysely<Database>, scope: ConnectionScope) {
    return trx.selectFrom('connections').select('sync_to_user_management').where('id', '=', scope.connectionId).where('tenant_id', '=', scope.tenantId);
  }

  /** Moves the connection's lastSync in `trx` when it is due. */
  private async touchLastSync(trx: Kysely<Database>, scope: ConnectionScope, now: string): Promise<void> {
    const due = this.lastSync.due(scope, now);
    if (!due) return;
    due.wrote();
    const parameters: unknown[] = [];
    const text = lastSyncUpdate(scope, due, (value) => this.placeholder(parameters.push(value)));
    await trx.executeQuery(CompiledQuery.raw(text, parameters));
  }

  /** Runs a unit: again on conflicts, uniqueness failures as 409, noted for paging, order blocks and statistics. */
  protected async run<T>(scope: ConnectionScope, conflictMessage: ConflictMessage, unit: () => Promise<T>): Promise<T> {
    this.notes.changing(scope);
    try {
      const result = await this.attempt(conflictMessage, unit);
      this.notes.wrote(scope);
      return result;
    } finally {
      this.notes.changing(scope);
    }
  }

  private async attempt<T>(conflictMessage: ConflictMessage, unit: () => Promise<T>): Promise<T> {
    let reconnected = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await unit();
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

