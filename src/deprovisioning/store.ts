/**
 * Storage of safe deprovisioning: a connection's settings (whose row also serialises the guard's
 * decisions), the marks the guard counts, held changes and the memberships the app keeps. The
 * tenant or the connection is in every query.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../db/tables.js';
import { chunks } from '../scim/store/scope.js';
import { DEFAULT_GUARD, type DeprovisioningMode } from './types.js';
import type { AppViewMembershipsTable, DeprovisioningSettingsTable, DeprovisioningTables, HeldChangesTable } from './tables.js';

export type SettingsRow = Selectable<DeprovisioningSettingsTable>;
export type HeldRow = Selectable<HeldChangesTable>;
export type MembershipRow = Selectable<AppViewMembershipsTable>;

/** Statuses under which a change still shapes the app's view. */
export const IN_APP_VIEW = ['held', 'discarded'] as const;

/** The instant truncated to its minute, as the marks are kept. */
export const minuteOf = (instant: string) => `${instant.slice(0, 16)}:00.000Z`;

export function defaultSettings(tenantId: string, connectionId: string, now: string): SettingsRow {
  return {
    connection_id: connectionId,
    tenant_id: tenantId,
    mode: 'automatic' satisfies DeprovisioningMode,
    guard_enabled: DEFAULT_GUARD.enabled ? 1 : 0,
    max_users: DEFAULT_GUARD.maxUsers,
    max_percent: DEFAULT_GUARD.maxPercent,
    window_minutes: DEFAULT_GUARD.windowMinutes,
    tripped_at: null,
    armed_at: null,
    base_active: null,
    base_at: null,
    held: 0,
    updated_at: now,
  };
}

export class DeprovisioningStore {
  private readonly db: Kysely<Database & DeprovisioningTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<DeprovisioningTables>();
  }

  settings(connectionId: string): Promise<SettingsRow | undefined> {
    return this.db.selectFrom('deprovisioning_settings').selectAll().where('connection_id', '=', connectionId).executeTakeFirst();
  }

  /**
   * The connection's settings, its row created with the defaults if absent and held by this
   * transaction until it ends: PostgreSQL locks the row it updates, SQLite has one writer. Every
   * decision of the guard and every review of one connection takes it, so they happen one at a time.
   */
  async lock(tenantId: string, connectionId: string, now: string): Promise<SettingsRow> {
    // One statement: the insert of the defaults, or an update that changes nothing but takes the row.
    const row = await this.db
      .insertInto('deprovisioning_settings')
      .values(defaultSettings(tenantId, connectionId, now))
      .onConflict((oc) => oc.column('connection_id').doUpdateSet({ held: sql`deprovisioning_settings.held` }))
      .returningAll()
      .executeTakeFirstOrThrow();
    if (row.tenant_id !== tenantId) throw new Error(`deprovisioning settings of ${connectionId} belong to another tenant`);
    return row;
  }

  async saveSettings(row: SettingsRow): Promise<void> {
    const { connection_id: _id, tenant_id: _tenant, ...set } = row;
    await this.db.updateTable('deprovisioning_settings').set(set).where('connection_id', '=', row.connection_id).where('tenant_id', '=', row.tenant_id).execute();
  }

  async addHeld(connectionId: string, delta: number): Promise<void> {
    await this.db
      .updateTable('deprovisioning_settings')
      .set({ held: sql`held + ${delta}` })
      .where('connection_id', '=', connectionId)
      .execute();
  }

  /** Users the connection deprovisioned since `since`, to the minute. */
  async deprovisionedSince(connectionId: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('deprovisioning_marks')
      .select((eb) => eb.fn.sum<number | string | null>('n').as('n'))
      .where('connection_id', '=', connectionId)
      .where('minute', '>=', minuteOf(since))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async activeUsers(tenantId: string, connectionId: string): Promise<number> {
    const row = await this.db
      .selectFrom('scim_users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('connection_id', '=', connectionId)
      .where('active', '=', 1)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Counts one deprovisioned user in the minute of `at`. */
  async mark(tenantId: string, connectionId: string, at: string): Promise<void> {
    await this.db
      .insertInto('deprovisioning_marks')
      .values({ tenant_id: tenantId, connection_id: connectionId, minute: minuteOf(at), n: 1 })
      .onConflict((oc) => oc.columns(['connection_id', 'minute']).doUpdateSet({ n: sql`deprovisioning_marks.n + 1` }))
      .execute();
  }

  /** Forgets what the connection deprovisioned: after a review, the guard counts afresh. */
  async clearMarks(connectionId: string): Promise<void> {
    await this.db.deleteFrom('deprovisioning_marks').where('connection_id', '=', connectionId).execute();
  }

  /** Deletes the minutes before `before` (no window reaches them); how many went. */
  async pruneMarks(before: string): Promise<number> {
    const result = await this.db.deleteFrom('deprovisioning_marks').where('minute', '<', minuteOf(before)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async insertHeld(row: Omit<HeldRow, 'seq'>, memberships: readonly Omit<MembershipRow, 'held_change_id'>[]): Promise<void> {
    await this.db.insertInto('held_changes').values(row).execute();
    for (const part of chunks([...memberships], 200)) {
      await this.db
        .insertInto('app_view_memberships')
        .values(part.map((m) => ({ ...m, held_change_id: row.id })))
        .execute();
    }
  }

  /** The user's held and discarded changes, oldest first. */
  userChanges(tenantId: string, userId: string): Promise<HeldRow[]> {
    return this.db
      .selectFrom('held_changes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('status', 'in', [...IN_APP_VIEW])
      .orderBy('seq')
      .execute();
  }

  /** The held and discarded changes of these users, oldest first. */
  async usersChanges(tenantId: string, userIds: readonly string[]): Promise<HeldRow[]> {
    const out: HeldRow[] = [];
    for (const part of chunks([...userIds], 500)) {
      out.push(
        ...(await this.db
          .selectFrom('held_changes')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('user_id', 'in', part)
          .where('status', 'in', [...IN_APP_VIEW])
          .orderBy('seq')
          .execute()),
      );
    }
    return out.sort((a, b) => Number(a.seq) - Number(b.seq));
  }

  /** Whether any user of the tenant (of one connection, if given) has an app view that differs from the IdP. */
  async anyInAppView(tenantId: string, connectionId?: string): Promise<boolean> {
    let query = this.db.selectFrom('held_changes').select('seq').where('tenant_id', '=', tenantId).where('status', 'in', [...IN_APP_VIEW]);
    if (connectionId !== undefined) query = query.where('connection_id', '=', connectionId);
    return (await query.limit(1).executeTakeFirst()) !== undefined;
  }

  /** The memberships the app keeps for these users. */
  async membershipsOfUsers(tenantId: string, userIds: readonly string[]): Promise<MembershipRow[]> {
    const out: MembershipRow[] = [];
    for (const part of chunks([...userIds], 500)) {
      out.push(...(await this.db.selectFrom('app_view_memberships').selectAll().where('tenant_id', '=', tenantId).where('user_id', 'in', part).execute()));
    }
    return out;
  }

  /** The users the app keeps in these groups. */
  async membershipsOfGroups(tenantId: string, groupIds: readonly string[]): Promise<MembershipRow[]> {
    const out: MembershipRow[] = [];
    for (const part of chunks([...groupIds], 500)) {
      out.push(...(await this.db.selectFrom('app_view_memberships').selectAll().where('tenant_id', '=', tenantId).where('group_id', 'in', part).execute()));
    }
    return out;
  }

  /** A page of the connection's changes under `status`, oldest first. */
  page(connectionId: string, tenantId: string, status: 'held' | 'discarded', afterSeq: number, limit: number): Promise<HeldRow[]> {
    return this.db
      .selectFrom('held_changes')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('tenant_id', '=', tenantId)
      .where('status', '=', status)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  /** The connection's held changes (only `ids`, if given), oldest first. */
  async held(connectionId: string, tenantId: string, ids?: readonly string[]): Promise<HeldRow[]> {
    const base = () => this.db.selectFrom('held_changes').selectAll().where('connection_id', '=', connectionId).where('tenant_id', '=', tenantId).where('status', '=', 'held');
    if (ids === undefined) return base().orderBy('seq').execute();
    const out: HeldRow[] = [];
    for (const part of chunks([...ids], 500)) out.push(...(await base().where('id', 'in', part).execute()));
    return out.sort((a, b) => Number(a.seq) - Number(b.seq));
  }

  async countByStatus(connectionId: string, tenantId: string, status: 'held' | 'discarded'): Promise<number> {
    const row = await this.db
      .selectFrom('held_changes')
      .select((eb) => eb.fn.count<number | string>('user_id').distinct().as('n'))
      .where('connection_id', '=', connectionId)
      .where('tenant_id', '=', tenantId)
      .where('status', '=', status)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Ends changes: `released` and `superseded` ones leave the app's view, `discarded` ones stay in it. */
  async setStatus(ids: readonly string[], status: 'released' | 'discarded' | 'superseded', reviewedBy: string | null, at: string): Promise<void> {
    for (const part of chunks([...ids], 500)) {
      await this.db.updateTable('held_changes').set({ status, reviewed_at: at, reviewed_by: reviewedBy }).where('id', 'in', part).execute();
      if (status !== 'discarded') await this.db.deleteFrom('app_view_memberships').where('held_change_id', 'in', part).execute();
    }
  }

  /** Sets each user's `app_view` flag to whether a held or discarded change of it remains. */
  async refreshFlags(tenantId: string, userIds: readonly string[]): Promise<void> {
    for (const part of chunks([...new Set(userIds)], 500)) {
      await this.db
        .updateTable('scim_users')
        .set((eb) => ({
          app_view: eb
            .case()
            .when(
              eb.exists(
                eb
                  .selectFrom('held_changes')
                  .select('held_changes.seq')
                  .where('held_changes.tenant_id', '=', tenantId)
                  .whereRef('held_changes.user_id', '=', 'scim_users.id')
                  .where('held_changes.status', 'in', [...IN_APP_VIEW]),
              ),
            )
            .then(1)
            .else(0)
            .end(),
        }))
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', part)
        .execute();
    }
  }

  /** Held changes per connection of the tenant, and users that differ (for the overview). */
  async summaries(tenantId: string): Promise<Map<string, { mode: string; tripped: boolean; held: number }>> {
    const rows = await this.db.selectFrom('deprovisioning_settings').select(['connection_id', 'mode', 'tripped_at', 'held']).where('tenant_id', '=', tenantId).execute();
    return new Map(rows.map((r) => [r.connection_id, { mode: r.mode, tripped: r.tripped_at !== null, held: Number(r.held) }]));
  }

  /** Users of each connection of the tenant whose app view differs after a discard. */
  async differing(tenantId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('held_changes')
      .select(['connection_id', (eb) => eb.fn.count<number | string>('user_id').distinct().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'discarded')
      .groupBy('connection_id')
      .execute();
    return new Map(rows.map((r) => [r.connection_id, Number(r.n)]));
  }
}
