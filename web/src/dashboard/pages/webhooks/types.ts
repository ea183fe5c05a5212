/** Shapes of the webhooks API (src/webhooks/routes.ts). */
import type { EventType } from '../../../shared/event-types.js';

/** A webhook as GET /api/v1/webhooks lists it (never its secret). */
export interface Webhook {
  id: string;
  url: string;
  /** null: every event type. */
  events: EventType[] | null;
  /** null: every account. */
  tenantId: string | null;
  enabled: boolean;
  /** Why Rollcall disabled it automatically; null when enabled or disabled by hand. */
  disabledReason: string | null;
  consecutiveFailures: number;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

/** POST /api/v1/webhooks: the webhook with its signing secret, shown this once. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

/** The offset-paged list answer. */
export interface WebhookList {
  items: Webhook[];
  _metadata: { totalItems: number; totalPages: number; limit: number; offset: number };
}

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event sent (or to be sent) to one webhook. */
export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What create and update send. */
export interface WebhookInput {
  url: string;
  events: EventType[] | null;
  tenantId: string | null;
}

/** "All events" or the list, for tables. */
export const describeEvents = (events: readonly string[] | null) => (events === null ? 'All events' : events.join(', '));
