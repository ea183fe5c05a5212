/**
 * Which events a SCIM change produces. `data` is the normalised resource (src/directory/shape.ts),
 * with `changedAttributes` on *.updated; membership events carry `{groupId, userId}`.
 */
import type { Selectable } from 'kysely';
import type { ScimGroupsTable, ScimUsersTable } from '../db/tables.js';
import type { ManagerReference } from '../attributes/manager-store.js';
import { toDirectoryGroup, toDirectoryUser } from '../directory/shape.js';
import { jsonEqual } from '../scim/patch/json.js';
import type { EventRecorder } from './recorder.js';
import type { EventType } from './types.js';

type UserRow = Selectable<ScimUsersTable>;
type GroupRow = Selectable<ScimGroupsTable>;
/** A member id and whether it is a User or a Group. */
type Member = { value: string; type: string };

/** Top-level attributes (extension attributes as `urn:…:attr`) whose values differ between two stored resources. */
export function changedAttributes(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const changed: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete('schemas');
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    if (key.includes(':') && (a === undefined || typeof a === 'object') && (b === undefined || typeof b === 'object')) {
      const ea = (a ?? {}) as Record<string, unknown>;
      const eb = (b ?? {}) as Record<string, unknown>;
      for (const sub of new Set([...Object.keys(ea), ...Object.keys(eb)])) if (!jsonEqual(ea[sub], eb[sub])) changed.push(`${key}:${sub}`);
    } else if (!jsonEqual(a, b)) changed.push(key);
  }
  return changed;
}

export function userCreated(events: EventRecorder, row: UserRow, resource?: Record<string, unknown>, managers?: ReadonlyMap<string, ManagerReference>): void {
  if (events.enabled) events.record('user.created', row.id, { ...toDirectoryUser(row, resource, managers) });
}

/** The mapped attributes whose values differ between two rows, as `attributes.<key>`. */
export function changedMappedAttributes(before: string | null, after: string | null): string[] {
  if (before === after) return [];
  const a = (before === null ? {} : JSON.parse(before)) as Record<string, unknown>;
  const b = (after === null ? {} : JSON.parse(after)) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !jsonEqual(a[key] ?? null, b[key] ?? null)).map((key) => `attributes.${key}`);
}

/**
 * user.updated for attribute changes (SCIM attributes, and the mapped ones as `attributes.<key>`);
 * user.deactivated / user.reactivated when `active` flips.
 */
export function userChanged(events: EventRecorder, before: UserRow, after: UserRow, managers?: ReadonlyMap<string, ManagerReference>): void {
  if (!events.enabled) return;
  const changed = changedAttributes(JSON.parse(before.resource) as Record<string, unknown>, JSON.parse(after.resource) as Record<string, unknown>).filter((name) => name !== 'active');
  changed.push(...changedMappedAttributes(before.attributes, after.attributes));
  const user = toDirectoryUser(after, undefined, managers);
  if (changed.length > 0) events.record('user.updated', after.id, { ...user, changedAttributes: changed });
  if (before.active !== after.active) events.record(after.active === 1 ? 'user.reactivated' : 'user.deactivated', after.id, { ...user });
}

/** group.user_removed for each membership the user had, then user.deleted. */
export function userDeleted(events: EventRecorder, row: UserRow, groupIds: readonly string[], managers?: ReadonlyMap<string, ManagerReference>): void {
  for (const groupId of groupIds) {
    const { type, data } = membershipEvent(groupId, row.id, false);
    events.record(type, groupId, data);
  }
  events.record('user.deleted', row.id, { ...toDirectoryUser(row, undefined, managers) });
}

/** user.updated with `roles` for each user whose effective roles a group change altered (src/roles). */
export function userRolesChanged(events: EventRecorder, changes: readonly { row: UserRow; roles: readonly string[] }[]): void {
  for (const { row, roles } of changes) events.record('user.updated', row.id, { ...toDirectoryUser(row), roles: [...roles], changedAttributes: ['roles'] });
}

export function groupCreated(events: EventRecorder, row: GroupRow): void {
  events.record('group.created', row.id, { ...toDirectoryGroup(row) });
}

export function groupUpdated(events: EventRecorder, before: GroupRow, after: GroupRow): void {
  if (!events.enabled) return;
  const changed = changedAttributes(JSON.parse(before.resource) as Record<string, unknown>, JSON.parse(after.resource) as Record<string, unknown>);
  if (changed.length > 0) events.record('group.updated', after.id, { ...toDirectoryGroup(after), changedAttributes: changed });
}

/** The type of the event of a user added to or removed from a group. */
export function membershipEventType(added: boolean): EventType {
  return added ? 'group.user_added' : 'group.user_removed';
}

/** The event of a user added to or removed from a group (its resource is the group). */
export function membershipEvent(groupId: string, userId: string, added: boolean): { type: EventType; data: { groupId: string; userId: string } } {
  return { type: membershipEventType(added), data: { groupId, userId } };
}

/** group.user_added / group.user_removed for user members (nested groups are not users). */
export function membershipChanged(events: EventRecorder, groupId: string, added: readonly Member[], removed: readonly Member[]): void {
  for (const [members, isAdd] of [[added, true], [removed, false]] as const) {
    for (const m of members) {
      if (m.type !== 'User') continue;
      const { type, data } = membershipEvent(groupId, m.value, isAdd);
      events.record(type, groupId, data);
    }
  }
}

export function groupDeleted(events: EventRecorder, row: GroupRow): void {
  events.record('group.deleted', row.id, { ...toDirectoryGroup(row) });
}
