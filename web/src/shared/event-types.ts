/** The event types of the feed and of webhook subscriptions: the server's own list, bundled at build time. */
export { EVENT_TYPES, type EventType } from '../../../src/events/types.js';
