/**
 * What the app hears of a SCIM user change, where the SCIM view and the app's view may differ
 * (docs/safe-deprovisioning.md): the SCIM row always follows the IdP; a deactivation or deletion the
 * guard holds leaves the app's view as it was, and its events wait for review. Called in the
 * write's transaction instead of emitting the change's events directly.
 */
import type { Selectable } from 'kysely';
import type { ManagerReference } from '../attributes/manager-store.js';
import type { ScimUsersTable } from '../db/tables.js';
import { EventRecorder } from '../events/recorder.js';
import { userChanged, userDeleted } from '../events/scim-events.js';
import { keptActive } from './app-view.js';
import { decide, hold, supersede, type GuardContext } from './guard.js';
import { DeprovisioningStore, type HeldRow } from './store.js';

type UserRow = Selectable<ScimUsersTable>;
type Managers = ReadonlyMap<string, ManagerReference> | undefined;

/** The user as the app sees it, and the held or discarded changes that make it differ. */
async function appViewOf(context: GuardContext, row: UserRow): Promise<{ app: UserRow; changes: HeldRow[] }> {
  if (row.app_view !== 1) return { app: row, changes: [] };
  const changes = await new DeprovisioningStore(context.trx).userChanges(context.scope.tenantId, row.id);
  const kept = changes.some((c) => c.change === 'deactivation');
  return { app: kept ? keptActive(row) : row, changes };
}

/** The events of a change from `before` to `after`, collected instead of emitted. */
function eventsOf(before: UserRow, after: UserRow, managers: Managers) {
  const recorder = new EventRecorder(true);
  userChanged(recorder, before, after, managers);
  return recorder.take();
}

/**
 * A user's row changed from `before` to `after` (PUT or PATCH). A discarded change ends here: the
 * IdP changed the user again, and the change is applied normally against the app's view.
 */
export async function userUpdated(context: GuardContext, before: UserRow, after: UserRow, managers: Managers): Promise<void> {
  const { events } = context;
  if (!events.enabled) return;
  const { app, changes } = await appViewOf(context, before);
  const heldDeactivation = changes.find((c) => c.status === 'held' && c.change === 'deactivation');
  const discarded = changes.filter((c) => c.status === 'discarded');
  const ended = [...discarded];
  if (heldDeactivation && after.active === 1) ended.push(heldDeactivation); // reactivated while held: the app never saw it go
  await supersede(context, ended);
  if (heldDeactivation && after.active === 0) {
    // Still held: the rest of the change reaches the app, which keeps the user active.
    userChanged(events, app, keptActive(after), managers);
  } else if (app.active === 1 && after.active === 0 && (await decide(context, true)) === 'hold') {
    userChanged(events, app, keptActive(after), managers);
    await hold(context, { kind: 'deactivation', user: after, events: eventsOf(keptActive(after), after, managers) });
  } else {
    userChanged(events, app, after, managers);
  }
}

/** A user was deleted (`before` its row, `groupIds` the groups it left). */
export async function userRemoved(context: GuardContext, before: UserRow, groupIds: readonly string[], managers: Managers): Promise<void> {
  const { events, trx, scope } = context;
  if (!events.enabled) {
    userDeleted(events, before, groupIds, managers);
    return;
  }
  const { app, changes } = await appViewOf(context, before);
  const discarded = changes.filter((c) => c.status === 'discarded');
  await supersede(context, discarded);
  const stillHeld = changes.filter((c) => c.status === 'held');
  if ((await decide(context, app.active === 1)) === 'apply') {
    // Applied: whatever was held of the user is moot, the app hears the deletion.
    await supersede(context, stillHeld);
    userDeleted(events, app, groupIds, managers);
    return;
  }
  const recorder = new EventRecorder(true);
  userDeleted(recorder, app, groupIds, managers);
  const groups =
    groupIds.length === 0
      ? []
      : await trx.selectFrom('scim_groups').select(['id', 'display_name']).where('tenant_id', '=', scope.tenantId).where('id', 'in', [...groupIds]).execute();
  await hold(context, {
    kind: 'deletion',
    user: before,
    events: recorder.take(),
    snapshot: app,
    memberships: groups.map((g) => ({ groupId: g.id, groupName: g.display_name })),
  });
}
