/**
 * The events the mirror reads, from the feed or a webhook, parsed into the change they describe.
 * Shapes: Rollcall's docs/events-webhooks.md (user.* carry the directory user, group.created /
 * updated / deleted the directory group, group.user_added / removed `{groupId, userId}`).
 */
import type { Membership, MirrorGroup, MirrorUser } from './storage/port.js';

/** What an event asks of the mirror. `none`: nothing to change (connection.*, or a type this version does not know). */
export type Change =
  | { kind: 'put-user'; user: MirrorUser }
  | { kind: 'delete-user'; id: string }
  | { kind: 'put-group'; group: MirrorGroup }
  | { kind: 'delete-group'; id: string }
  | { kind: 'add-member'; membership: Membership }
  | { kind: 'remove-member'; membership: Membership }
  | { kind: 'none' };

/** An event, parsed. */
export interface MirrorEvent {
  id: string;
  type: string;
  tenantId: string;
  /** When Rollcall made the change (the time of its transaction): orders changes to one row. */
  occurredAt: string;
  change: Change;
}

/** An event that is not shaped as Rollcall sends them. */
export class InvalidEvent extends Error {
  override readonly name = 'InvalidEvent';
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(object: Json, key: string, where: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') throw new InvalidEvent(`${where}.${key} must be a non-empty string`);
  return value;
}

function optionalText(object: Json, key: string, where: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new InvalidEvent(`${where}.${key} must be a string or null`);
  return value;
}

function flag(object: Json, key: string, where: string): boolean {
  const value = object[key];
  if (typeof value !== 'boolean') throw new InvalidEvent(`${where}.${key} must be a boolean`);
  return value;
}

function toUser(data: Json): MirrorUser {
  return {
    id: text(data, 'id', 'data'),
    tenantId: text(data, 'tenantId', 'data'),
    connectionId: text(data, 'connectionId', 'data'),
    userName: text(data, 'userName', 'data'),
    email: optionalText(data, 'email', 'data'),
    firstName: optionalText(data, 'firstName', 'data'),
    lastName: optionalText(data, 'lastName', 'data'),
    displayName: optionalText(data, 'displayName', 'data'),
    active: flag(data, 'active', 'data'),
  };
}

function toGroup(data: Json): MirrorGroup {
  return { id: text(data, 'id', 'data'), tenantId: text(data, 'tenantId', 'data'), connectionId: text(data, 'connectionId', 'data'), displayName: text(data, 'displayName', 'data') };
}

function toMembership(data: Json): Membership {
  return { groupId: text(data, 'groupId', 'data'), userId: text(data, 'userId', 'data') };
}

/** The change an event of `type` with `data` describes. */
function changeOf(type: string, data: Json): Change {
  switch (type) {
    case 'user.created':
    case 'user.updated':
    case 'user.deactivated':
    case 'user.reactivated':
      return { kind: 'put-user', user: toUser(data) };
    case 'user.deleted':
      return { kind: 'delete-user', id: text(data, 'id', 'data') };
    case 'group.created':
    case 'group.updated':
      return { kind: 'put-group', group: toGroup(data) };
    case 'group.deleted':
      return { kind: 'delete-group', id: text(data, 'id', 'data') };
    case 'group.user_added':
      return { kind: 'add-member', membership: toMembership(data) };
    case 'group.user_removed':
      return { kind: 'remove-member', membership: toMembership(data) };
    default:
      // connection.created / deleted change no row: a connection deleted with removeUsersAndGroups
      // writes user.deleted and group.deleted events of its own. Types added later are journaled, not applied.
      return { kind: 'none' };
  }
}

/** Parses an event (a feed item or a webhook body); throws InvalidEvent when it is not one. */
export function parseEvent(raw: unknown): MirrorEvent {
  if (!isObject(raw)) throw new InvalidEvent('an event must be a JSON object');
  const data = raw.data;
  if (!isObject(data)) throw new InvalidEvent('event.data must be an object');
  const occurredAt = text(raw, 'occurredAt', 'event');
  if (Number.isNaN(Date.parse(occurredAt))) throw new InvalidEvent('event.occurredAt must be a date-time');
  const type = text(raw, 'type', 'event');
  return { id: text(raw, 'id', 'event'), type, tenantId: text(raw, 'tenantId', 'event'), occurredAt: new Date(occurredAt).toISOString(), change: changeOf(type, data) };
}
