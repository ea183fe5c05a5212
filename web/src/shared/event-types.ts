/** The event types of the feed and of webhook subscriptions (src/events/types.ts). */
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
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
