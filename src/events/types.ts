/** Event types of the feed and of webhooks. */
export const EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.deleted',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.user_added',
  'group.user_removed',
  'connection.created',
  'connection.deleted',
  'connection.deprovisioning_held',
  'connection.deprovisioning_reviewed',
] as const;
/** One of the event types. */
export type EventType = (typeof EVENT_TYPES)[number];

/** An event as the API and webhooks deliver it. */
export interface RollcallEvent {
  id: string;
  type: EventType;
  tenantId: string;
  connectionId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** An event about to be written. */
export interface NewEvent {
  type: EventType;
  resourceId: string | null;
  data: Record<string, unknown>;
}
