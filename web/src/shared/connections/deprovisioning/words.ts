/** Safe deprovisioning in words: what a held change does, when the guard trips, what release and discard do. */
import { formatCount, formatDateTime, plural } from '../../format.js';
import type { DeprovisioningState, Guard, HeldChange } from './types.js';

/** "Deactivation", "Deletion", "Loses roles admin, billing (group Finance)". */
export function describeChange(change: Pick<HeldChange, 'change' | 'roles' | 'groupName' | 'groupId'>): string {
  if (change.change === 'deactivation') return 'Deactivation';
  if (change.change === 'deletion') return 'Deletion';
  const group = change.groupName ?? change.groupId;
  const where = group ? ` (group ${group})` : '';
  if (change.roles.length === 0) return `Loses the roles of a group${where}`;
  return `Loses ${change.roles.length === 1 ? 'role' : 'roles'} ${change.roles.join(', ')}${where}`;
}

/** "3 changes wait for review", "1 change waits for review". */
export const waitingForReview = (held: number) => `${plural(held, 'change')} ${held === 1 ? 'waits' : 'wait'} for review`;

/** "60 minutes", "1 minute". */
const minutes = (n: number) => plural(n, 'minute');

/** The guard's rule in one sentence, from the values given (a draft while they are being edited). */
export function tripRule(guard: Pick<Guard, 'maxUsers' | 'maxPercent' | 'windowMinutes'>): string {
  return `The guard trips when more than ${plural(guard.maxUsers, 'user')} and more than ${formatCount(guard.maxPercent)} % of the connection’s active users were deprovisioned within ${minutes(guard.windowMinutes)}.`;
}

/** What the guard counts now: "3 of 10 active users deprovisioned since 14:02 (30 %)". */
export function windowNow(window: DeprovisioningState['window']): string {
  const share = window.activeUsers > 0 ? ` (${formatCount(Math.round((window.deprovisioned / window.activeUsers) * 100))} %)` : '';
  return `${plural(window.deprovisioned, 'user')} deprovisioned since ${formatDateTime(window.since)}, of ${plural(window.activeUsers, 'active user')}${share}.`;
}

/** Why changes are held, for the banner and the dialog. `app`: "the app", or the product's name in the portal. */
export function heldReason(state: { mode: DeprovisioningState['mode']; tripped: boolean }, app: string): string {
  if (state.tripped) return `More users were deprovisioned in a short time than the guard allows, so ${app} has not applied these changes: the identity provider sees them done, ${app} does not, until someone releases or discards them.`;
  if (state.mode === 'review') return `This connection holds every deprovisioning change until someone reviews it: the identity provider sees them done, ${app} does not.`;
  return `These changes were held for review: the identity provider sees them done, ${app} does not.`;
}

/** What releasing does. */
export const releaseMeaning = (app: string) => `Release: ${app} applies the changes now and gets their events (users deactivated or deleted, roles removed).`;

/** What discarding does. */
export const discardMeaning = (app: string) =>
  `Discard: ${app} keeps its view of these users; they show under “Differs from IdP” until the identity provider next changes them.`;
