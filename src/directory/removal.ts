/**
 * Removal of detached users and groups (left behind by a connection deleted with
 * removeUsersAndGroups=false). Each deletion, its memberships and its events are one transaction
 * (the transactional outbox), with the same events a SCIM DELETE writes: `group.user_removed` for
 * each group a user leaves, then `user.deleted`; `group.deleted` for a group.
 */
import type { Kysely } from 'kysely';
import type { Db } from '../db/open.js';
import type { Database } from '../db/tables.js';
import { nowIso } from '../db/time.js';
import { EventStore } from '../events/store.js';
import type { NewEvent } from '../events/types.js';
import { toDirectoryGroup, toDirectoryUser } from './shape.js';
import { DirectoryStore, type GroupRow, type UserRow } from './store.js';

/** Rows deleted per purge transaction: bounds lock time and transaction size on big tenants. */
const PURGE_BATCH = 500;
const MAX_ATTEMPTS = 3;

/** What a purge removed. */
export interface PurgeResult {
  deletedUsers: number;
  deletedGroups: number;
}

/** PostgreSQL deadlock or serialization failure: the whole transaction can be run again. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/** Appends events grouped by former connection: an event's connectionId is its resource's. */
async function appendByConnection(trx: Kysely<Database>, db: Db, tenantId: string, events: { connectionId: string; event: NewEvent }[], now: string): Promise<void> {
  const byConnection = new Map<string, NewEvent[]>();
  for (const { connectionId, event } of events) byConnection.set(connectionId, [...(byConnection.get(connectionId) ?? []), event]);
  const store = new EventStore(trx, db.dialect);
  for (const [connectionId, list] of byConnection) await store.append({ tenantId, connectionId }, list, now);
}

/** Deletes detached resources and writes their events. */
export class DetachedRemoval {
  constructor(private readonly db: Db) {}

  private async transaction<T>(fn: (store: DirectoryStore, trx: Kysely<Database>, now: string) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.kysely.transaction().execute((trx) => fn(new DirectoryStore(trx), trx, nowIso()));
      } catch (error) {
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  /** The deleted users' memberships removed, and their events, in the caller's transaction. */
  private async afterUsersDeleted(store: DirectoryStore, trx: Kysely<Database>, tenantId: string, rows: readonly UserRow[], now: string): Promise<void> {
    if (rows.length === 0) return;
    const removed = await store.removeMemberships(tenantId, rows.map((r) => r.id));
    const groupsOf = new Map<string, string[]>();
    for (const m of removed) groupsOf.set(m.memberId, [...(groupsOf.get(m.memberId) ?? []), m.groupId]);
    const events: { connectionId: string; event: NewEvent }[] = [];
    for (const row of rows) {
      for (const groupId of (groupsOf.get(row.id) ?? []).sort()) {
        events.push({ connectionId: row.connection_id, event: { type: 'group.user_removed', resourceId: groupId, data: { groupId, userId: row.id } } });
      }
      events.push({ connectionId: row.connection_id, event: { type: 'user.deleted', resourceId: row.id, data: { ...toDirectoryUser(row) } } });
    }
    await appendByConnection(trx, this.db, tenantId, events, now);
  }

  /** The deleted groups' own memberships in other groups removed, and their events. */
  private async afterGroupsDeleted(store: DirectoryStore, trx: Kysely<Database>, tenantId: string, rows: readonly GroupRow[], now: string): Promise<void> {
    if (rows.length === 0) return;
    await store.removeMemberships(tenantId, rows.map((r) => r.id));
    const events = rows.map((row) => ({ connectionId: row.connection_id, event: { type: 'group.deleted' as const, resourceId: row.id, data: { ...toDirectoryGroup(row) } } }));
    await appendByConnection(trx, this.db, tenantId, events, now);
  }

  /** Deletes a detached user; false when it was not there (any more). */
  deleteUser(tenantId: string, id: string): Promise<boolean> {
    return this.transaction(async (store, trx, now) => {
      const row = await store.deleteDetachedUser(tenantId, id);
      if (!row) return false;
      await this.afterUsersDeleted(store, trx, tenantId, [row], now);
      return true;
    });
  }

  /** Deletes a detached group; false when it was not there (any more). */
  deleteGroup(tenantId: string, id: string): Promise<boolean> {
    return this.transaction(async (store, trx, now) => {
      const row = await store.deleteDetachedGroup(tenantId, id);
      if (!row) return false;
      await this.afterGroupsDeleted(store, trx, tenantId, [row], now);
      return true;
    });
  }

  /**
   * Deletes every detached user and group of the tenant (of one former connection if given), in
   * batches of PURGE_BATCH, each batch one transaction with its events. Users go first, so their
   * `group.user_removed` events name groups that still existed when the user left them.
   */
  async purge(tenantId: string, connectionId: string | undefined): Promise<PurgeResult> {
    const result: PurgeResult = { deletedUsers: 0, deletedGroups: 0 };
    for (;;) {
      const n = await this.transaction(async (store, trx, now) => {
        const rows = await store.deleteDetachedUserBatch(tenantId, connectionId, PURGE_BATCH);
        await this.afterUsersDeleted(store, trx, tenantId, rows, now);
        return rows.length;
      });
      result.deletedUsers += n;
      if (n === 0) break;
    }
    for (;;) {
      const n = await this.transaction(async (store, trx, now) => {
        const rows = await store.deleteDetachedGroupBatch(tenantId, connectionId, PURGE_BATCH);
        await this.afterGroupsDeleted(store, trx, tenantId, rows, now);
        return rows.length;
      });
      result.deletedGroups += n;
      if (n === 0) break;
    }
    return result;
  }
}
