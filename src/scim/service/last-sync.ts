/**
 * A connection's lastSync — when its IdP last wrote — kept to the second: one row update per second
 * at most, not one per request. Each process remembers when it last wrote each connection's; the
 * UPDATE's own condition keeps several processes from rewriting it more often than that either.
 */
import type { ConnectionScope } from '../store/scope.js';

/** lastSync is kept to the second. */
const RESOLUTION_MS = 1000;
/** Connections remembered at most; past it the memory starts again (a few extra updates). */
const MAX_REMEMBERED = 100_000;

/** A lastSync update that is due: it moves a stored lastSync before `before` on to `now`. */
export interface LastSyncDue {
  readonly now: string;
  readonly before: string;
  /** Called once the update was committed with the write. */
  wrote(): void;
}

export class LastSyncThrottle {
  /** When this process last wrote each connection's lastSync (ms). */
  private readonly written = new Map<string, number>();

  /** The update a write at `now` makes, or undefined when the stored lastSync is recent enough. */
  due(scope: ConnectionScope, now: string): LastSyncDue | undefined {
    const nowMs = Date.parse(now);
    if (nowMs - (this.written.get(scope.connectionId) ?? 0) < RESOLUTION_MS) return undefined;
    return { now, before: new Date(nowMs - RESOLUTION_MS).toISOString(), wrote: () => this.wrote(scope, now) };
  }

  /** Notes a lastSync written at `now` by other means (a flush). */
  wrote(scope: ConnectionScope, now: string): void {
    this.written.set(scope.connectionId, Date.parse(now));
    if (this.written.size > MAX_REMEMBERED) this.written.clear();
  }
}

/**
 * The UPDATE of the connection's lastSync to `due.now`, unless it is already at or after
 * `due.before`; each value is written into the text through `parameter` (the database's placeholder).
 */
export function lastSyncUpdate(scope: ConnectionScope, due: Pick<LastSyncDue, 'now' | 'before'>, parameter: (value: unknown) => string): string {
  return `update "connections" set "last_sync_at" = ${parameter(due.now)} where "id" = ${parameter(scope.connectionId)} and "tenant_id" = ${parameter(scope.tenantId)} and ("last_sync_at" is null or "last_sync_at" < ${parameter(due.before)})`;
}
