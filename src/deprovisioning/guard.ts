/**
 * The guard's decision on one deprovisioning change, inside the SCIM write that makes it: apply it
 * to the app's view, or hold it. The connection's settings row is locked first (DeprovisioningStore.lock),
 * so the decisions of one connection are taken one at a time across every process, and the count
 * and the held change commit with the SCIM change or not at all.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { EventRecorder } from '../events/recorder.js';
import { newId } from '../security/ids.js';
import type { ConnectionScope } from '../scim/store/scope.js';
import type { NewEvent } from '../events/types.js';
import { DeprovisioningStore, type HeldRow, type SettingsRow } from './store.js';
import type { ChangeKind } from './types.js';

/** Where the guard works: the write's transaction and its events. */
export interface GuardContext {
  trx: Kysely<Database>;
  events: EventRecorder;
  scope: ConnectionScope;
  now: string;
}

/** The start of the window the guard counts in: the window, or the last review if later. */
export function windowStart(settings: Pick<SettingsRow, 'window_minutes' | 'armed_at'>, now: string): string {
  const start = new Date(Date.parse(now) - settings.window_minutes * 60_000).toISOString();
  return settings.armed_at !== null && settings.armed_at > start ? settings.armed_at : start;
}

/**
 * Whether `deprovisioned` users out of `population` cross the line: more than `max_users` AND more
 * than `max_percent` % of them.
 */
export function crosses(settings: Pick<SettingsRow, 'max_users' | 'max_percent'>, deprovisioned: number, population: number): boolean {
  return deprovisioned > settings.max_users && deprovisioned * 100 > settings.max_percent * population;
}

/**
 * Applies or holds a change deprovisioning a user. `counts`: whether the user was active in the
 * app's view (deleting a deactivated user deprovisions no one new, but is still held while the
 * connection holds). Called after the SCIM change was written.
 */
export async function decide(context: GuardContext, counts: boolean): Promise<'apply' | 'hold'> {
  const { trx, scope, now } = context;
  const store = new DeprovisioningStore(trx);
  const settings = await store.lock(scope.tenantId, scope.connectionId, now);
  if (settings.mode === 'review') {
    if (settings.held === 0) await announce(context, settings, 'review', 0, 0);
    return 'hold';
  }
  if (settings.tripped_at !== null) return 'hold';
  if (!counts) return 'apply';
  if (settings.guard_enabled === 1) {
    const deprovisioned = (await store.deprovisionedSince(scope.connectionId, windowStart(settings, now))) + 1;
    if (deprovisioned > settings.max_users) {
      const { population, counted } = await populationOf(store, settings, scope, now, deprovisioned);
      if (crosses(settings, deprovisioned, population)) {
        await store.saveSettings({ ...counted, tripped_at: now, updated_at: now });
        await announce(context, settings, 'guard', deprovisioned, population);
        return 'hold';
      }
      if (counted !== settings) await store.saveSettings(counted);
    }
  }
  await store.mark(scope.tenantId, scope.connectionId, now);
  return 'apply';
}

/**
 * The percentage's base: the connection's active users before the window's deprovisioning (those
 * active now and those it took). Counting them reads every user row of the connection, so the count
 * is kept in the settings row and taken again only once it is older than the window: a mass
 * deprovisioning pays it once, not per user.
 */
async function populationOf(store: DeprovisioningStore, settings: SettingsRow, scope: ConnectionScope, now: string, deprovisioned: number): Promise<{ population: number; counted: SettingsRow }> {
  if (settings.base_active !== null && settings.base_at !== null && settings.base_at >= windowStart(settings, now)) return { population: Number(settings.base_active), counted: settings };
  const population = (await store.activeUsers(scope.tenantId, scope.connectionId)) + deprovisioned;
  return { population, counted: { ...settings, base_active: population, base_at: now, updated_at: now } };
}

/** `connection.deprovisioning_held`: the first change held since the last review. */
async function announce(context: GuardContext, settings: SettingsRow, reason: 'guard' | 'review', deprovisioned: number, activeUsers: number): Promise<void> {
  const connection = await context.trx.selectFrom('connections').select('connection_name').where('id', '=', context.scope.connectionId).executeTakeFirst();
  context.events.record('connection.deprovisioning_held', context.scope.connectionId, {
    connectionId: context.scope.connectionId,
    connectionName: connection?.connection_name ?? null,
    reason,
    deprovisioned,
    activeUsers,
    guard: { enabled: settings.guard_enabled === 1, maxUsers: settings.max_users, maxPercent: settings.max_percent, windowMinutes: settings.window_minutes },
  });
}

/** What a held change records. */
export interface HoldInput {
  kind: ChangeKind;
  user: { id: string; user_name: string; display_name: string | null; created_at: string };
  events: NewEvent[];
  groupId?: string;
  groupName?: string;
  /** Role keys the user keeps in the app's view while held. */
  roles?: readonly string[];
  /** A deletion: the user's row as the app saw it. */
  snapshot?: unknown;
  /** Memberships the app keeps while held. */
  memberships?: readonly { groupId: string; groupName: string }[];
}

/** Records a held change and marks its user's app view as differing. */
export async function hold(context: GuardContext, input: HoldInput): Promise<void> {
  const { trx, scope, now } = context;
  const store = new DeprovisioningStore(trx);
  await store.insertHeld(
    {
      id: newId(),
      connection_id: scope.connectionId,
      tenant_id: scope.tenantId,
      user_id: input.user.id,
      user_name: input.user.user_name,
      display_name: input.user.display_name,
      user_created_at: input.user.created_at,
      change: input.kind,
      group_id: input.groupId ?? null,
      group_name: input.groupName ?? null,
      roles: JSON.stringify(input.roles ?? []),
      at: now,
      request_id: scope.requestId ?? null,
      status: 'held',
      events: JSON.stringify(input.events),
      snapshot: input.snapshot === undefined ? null : JSON.stringify(input.snapshot),
      reviewed_at: null,
      reviewed_by: null,
    },
    (input.memberships ?? []).map((m) => ({ tenant_id: scope.tenantId, group_id: m.groupId, group_name: m.groupName, user_id: input.user.id })),
  );
  await store.addHeld(scope.connectionId, 1);
  if (input.kind !== 'deletion') await trx.updateTable('scim_users').set({ app_view: 1 }).where('id', '=', input.user.id).where('tenant_id', '=', scope.tenantId).execute();
}

/** Ends held or discarded changes a later change of the IdP made moot, and refreshes their users' flags. */
export async function supersede(context: GuardContext, changes: readonly HeldRow[]): Promise<void> {
  if (changes.length === 0) return;
  const store = new DeprovisioningStore(context.trx);
  await store.setStatus(
    changes.map((c) => c.id),
    'superseded',
    null,
    context.now,
  );
  const held = changes.filter((c) => c.status === 'held').length;
  if (held > 0) await store.addHeld(context.scope.connectionId, -held);
  await store.refreshFlags(
    context.scope.tenantId,
    changes.map((c) => c.user_id),
  );
}
