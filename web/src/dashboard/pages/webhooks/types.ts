/** Shapes of the webhooks API (src/webhooks/routes.ts). */
import type { EventType } from '../../../shared/event-types.js';
import type { ApiBody } from '../../../shared/types.js';

/** A webhook as GET /api/v1/webhooks lists it (never its secret). */
export type Webhook = ApiBody<'/api/v1/webhooks/{id}', 'get'>;

/** POST /api/v1/webhooks: the webhook with its signing secret, shown this once. */
export type CreatedWebhook = ApiBody<'/api/v1/webhooks', 'post', 201>;

/** The offset-paged list answer. */
export type WebhookList = ApiBody<'/api/v1/webhooks', 'get'>;

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** GET /api/v1/webhooks/:id/deliveries: a page of deliveries, newest first. */
export type DeliveryPage = ApiBody<'/api/v1/webhooks/{id}/deliveries', 'get'>;

/** One event sent (or to be sent) to one webhook. */
export type Delivery = DeliveryPage['items'][number];

/** What create and update send. */
export interface WebhookInput {
  url: string;
  events: EventType[] | null;
  tenantId: string | null;
}

/** "All events" or the list, for tables. */
export const describeEvents = (events: readonly string[] | null) => (events === null ? 'All events' : events.join(', '));
