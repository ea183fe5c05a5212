/**
 * A connection's deprovisioning settings and the review of its held changes: read and changed by the
 * vendor (environment token) or, in self-service, by the connection's tenant.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../audit/actor.js';
import { appendWithChange } from '../audit/with-change.js';
import { isTransientConflict } from '../db/errors.js';
import type { Db } from '../db/open.js';
import type { Database } from '../db/tables.js';
import { nowIso } from '../db/time.js';
import { EventStore } from '../events/store.js';
import type { NewEvent } from '../events/types.js';
import { notFound, validationFailed } from '../http/api-errors.js';
import { windowStart } from './guard.js';
import { defaultSettings, DeprovisioningStore, type HeldRow, type SettingsRow } from './store.js';
import { GUARD_LIMITS, type ChangeKind, type DeprovisioningSettings, type HeldChange, type SettingsUpdate } from './types.js';
import type { Job } from '../jobs/scheduler.js';

/** The connection a call is about. */
interface Owner {
  id: string;
  tenantId: string;
}

export type ReviewAction = 'release' | 'discard';

function toHeldChange(row: HeldRow): HeldChange {
  return {
    id: row.id,
    userId: row.user_id,
    userName: row.user_name,
    displayName: row.display_name,
    change: row.change as ChangeKind,
    groupId: row.group_id,
    groupName: row.group_name,
    roles: JSON.parse(row.roles) as string[],
    at: row.at,
    requestId: row.request_id,
    status: row.status as HeldChange['status'],
  };
}

const cursorOf = (seq: number) => Buffer.from(`held:${seq}`).toString('base64url');

function seqOf(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^held:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw validationFailed('querystring.cursor is not a cursor this API returned', 'querystring.cursor');
  return Number(match[1]);
}

const actorName = (actor: Actor) => `${actor.type}:${actor.id}`;

/** Attempts of a review or settings change that keeps losing to concurrent writes. */
const MAX_ATTEMPTS = 5;


export class DeprovisioningService {
  private readonly store: DeprovisioningStore;

  constructor(private readonly db: Db) {
    this.store = new DeprovisioningStore(db.kysely);
  }

  /** The connection; with `tenantId` (self-service), another tenant's is a 404. */
  private async owner(connectionId: string, tenantId?: string): Promise<Owner> {
    let query = this.db.kysely.selectFrom('connections').select(['id', 'tenant_id']).where('id', '=', connectionId);
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    const row = await query.executeTakeFirst();
    if (!row) throw notFound(`SCIM configuration "${connectionId}" not found`);
    return { id: row.id, tenantId: row.tenant_id };
  }

  private async view(owner: Owner, row: SettingsRow): Promise<DeprovisioningSettings> {
    const now = nowIso();
    const since = windowStart(row, now);
    const [deprovisioned, activeUsers, differing] = await Promise.all([
      this.store.deprovisionedSince(owner.id, since),
      this.store.activeUsers(owner.tenantId, owner.id),
      this.store.countByStatus(owner.id, owner.tenantId, 'discarded'),
    ]);
    return {
      mode: row.mode as DeprovisioningSettings['mode'],
      guard: { enabled: row.guard_enabled === 1, maxUsers: row.max_users, maxPercent: row.max_percent, windowMinutes: row.window_minutes },
      tripped: row.tripped_at !== null,
      trippedAt: row.tripped_at,
      held: Number(row.held),
      differing,
      window: { since, deprovisioned, activeUsers },
    };
  }

  async get(connectionId: string, tenantId?: string): Promise<DeprovisioningSettings> {
    const owner = await this.owner(connectionId, tenantId);
    return this.view(owner, (await this.store.settings(owner.id)) ?? defaultSettings(owner.tenantId, owner.id, nowIso()));
  }

  /**
   * Changes the mode or the guard, audited in the same transaction. Switching the guard off or to
   * `automatic` holds nothing new; what is held stays held until reviewed.
   */
  async set(connectionId: string, update: SettingsUpdate, actor: Actor, tenantId?: string): Promise<DeprovisioningSettings> {
    const owner = await this.owner(connectionId, tenantId);
    const now = nowIso();
    const row = await this.transaction(async (trx) => {
      const store = new DeprovisioningStore(trx);
      const current = await store.lock(owner.tenantId, owner.id, now);
      const guard = update.guard ?? {};
      const next: SettingsRow = {
        ...current,
        mode: update.mode ?? current.mode,
        guard_enabled: guard.enabled === undefined ? current.guard_enabled : guard.enabled ? 1 : 0,
        max_users: guard.maxUsers ?? current.max_users,
        max_percent: guard.maxPercent ?? current.max_percent,
        window_minutes: guard.windowMinutes ?? current.window_minutes,
        updated_at: now,
      };
      // A guard switched off cannot stay tripped; nothing held is released by it.
      if (next.guard_enabled === 0 && Number(next.held) === 0) next.tripped_at = null;
      await store.saveSettings(next);
      await appendWithChange(
        trx,
        {
          actor,
          change: { action: 'connection.updated', tenantId: owner.tenantId, target: { type: 'connection', id: owner.id }, data: { change: 'deprovisioning.updated', set: update } },
        },
        now,
      );
      return next;
    });
    return this.view(owner, row);
  }

  /** A page of the connection's held (or discarded) changes, oldest first. */
  async changes(connectionId: string, query: { status: 'held' | 'discarded'; cursor?: string; limit: number }, tenantId?: string): Promise<{ items: HeldChange[]; nextCursor: string | null }> {
    const owner = await this.owner(connectionId, tenantId);
    const rows = await this.store.page(owner.id, owner.tenantId, query.status, seqOf(query.cursor), query.limit + 1);
    const page = rows.slice(0, query.limit);
    return { items: page.map(toHeldChange), nextCursor: rows.length > query.limit ? cursorOf(Number(page.at(-1)!.seq)) : null };
  }

  /**
   * Releases or discards held changes (`ids`, or every held one), in one transaction. Released
   * changes reach the app in the order they were held, their events written now; discarded ones
   * leave the app's view as it is until the IdP next changes their users. Once nothing is held, the
   * guard is armed again and counts from now.
   */
  async review(connectionId: string, action: ReviewAction, ids: readonly string[] | undefined, actor: Actor, tenantId?: string): Promise<{ count: number; remaining: number }> {
    const owner = await this.owner(connectionId, tenantId);
    const now = nowIso();
    return this.transaction(async (trx) => {
      const store = new DeprovisioningStore(trx);
      const settings = await store.lock(owner.tenantId, owner.id, now);
      const changes = await store.held(owner.id, owner.tenantId, ids);
      if (ids !== undefined) {
        const found = new Set(changes.map((c) => c.id));
        const missing = ids.find((id) => !found.has(id));
        if (missing !== undefined) throw notFound(`Held change "${missing}" not found: it was reviewed already, or a later change of the identity provider replaced it`);
      }
      const scope = { tenantId: owner.tenantId, connectionId: owner.id };
      if (action === 'release') await this.emit(trx, scope, changes.flatMap((c) => JSON.parse(c.events) as NewEvent[]), now);
      await store.setStatus(
        changes.map((c) => c.id),
        action === 'release' ? 'released' : 'discarded',
        actorName(actor),
        now,
      );
      await store.refreshFlags(
        owner.tenantId,
        changes.map((c) => c.user_id),
      );
      const remaining = Number(settings.held) - changes.length;
      await store.saveSettings({ ...settings, held: remaining, ...(remaining === 0 ? { tripped_at: null, armed_at: now, base_active: null, base_at: null } : {}), updated_at: now });
      // Re-armed: what was deprovisioned before counts no more.
      if (remaining === 0) await store.clearMarks(owner.id);
      if (changes.length > 0) {
        const reviewed: NewEvent = { type: 'connection.deprovisioning_reviewed', resourceId: owner.id, data: { connectionId: owner.id, action: action === 'release' ? 'released' : 'discarded', count: changes.length, remaining } };
        await this.emit(trx, scope, [reviewed], now);
        await appendWithChange(
          trx,
          {
            actor,
            change: {
              action: 'connection.updated',
              tenantId: owner.tenantId,
              target: { type: 'connection', id: owner.id },
              data: { change: action === 'release' ? 'held_changes.released' : 'held_changes.discarded', count: changes.length, ids: changes.slice(0, 100).map((c) => c.id) },
            },
          },
          now,
        );
      }
      return { count: changes.length, remaining };
    });
  }

  /**
   * A transaction, run again when it lost to a concurrent one: a SCIM write locks its user before the
   * connection's settings row, a review the other way round, and PostgreSQL ends such a deadlock by
   * failing one of them.
   */
  private async transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.kysely.transaction().execute(fn);
      } catch (error) {
        if (!isTransientConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private emit(trx: Kysely<Database>, scope: { tenantId: string; connectionId: string }, events: readonly NewEvent[], now: string): Promise<void> {
    return new EventStore(trx, this.db.dialect).append(scope, events, now);
  }

  /** Deletes the marks no window can reach any more (older than the longest window); run once across processes (`exclusive`). */
  pruneJob(): Job {
    return {
      name: 'deprovisioning.prune',
      intervalMs: 10 * 60_000,
      run: async () => {
        const before = new Date(Date.now() - GUARD_LIMITS.windowMinutes.maximum * 60_000).toISOString();
        await this.store.pruneMarks(before);
      },
    };
  }

  /** Per connection of the tenant: mode, whether tripped, held changes and users that differ (the overview). */
  async summaries(tenantId: string): Promise<Map<string, { mode: string; tripped: boolean; held: number; differing: number }>> {
    const [settings, differing] = await Promise.all([this.store.summaries(tenantId), this.store.differing(tenantId)]);
    const out = new Map<string, { mode: string; tripped: boolean; held: number; differing: number }>();
    for (const [id, s] of settings) out.set(id, { ...s, differing: differing.get(id) ?? 0 });
    return out;
  }
}
