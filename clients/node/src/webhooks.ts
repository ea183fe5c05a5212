/** `rollcall.webhooks`: endpoints that receive a signed POST per event, and their delivery history. */
import type { ApiClient } from './api-client.js';
import type { Json, Query, RequestBody } from './operations.js';
import { cursorPaged, offsetPaged } from './pagination.js';

/** A webhook (never with its secret). */
export type Webhook = Json<'/api/v1/webhooks/{id}', 'get'>;
/** A webhook as created: with its signing secret, shown once. */
export type CreatedWebhook = Json<'/api/v1/webhooks', 'post'>;
/** What creates a webhook: its URL, and the event types and tenant it is for. */
export type NewWebhook = RequestBody<'/api/v1/webhooks', 'post'>;
/** What changes a webhook; `enabled: true` re-enables one that was disabled automatically. */
export type WebhookUpdate = RequestBody<'/api/v1/webhooks/{id}', 'patch'>;
/** One delivery of an event to a webhook, with its attempts. */
export type WebhookDelivery = Json<'/api/v1/webhooks/{id}/deliveries', 'get'>['items'][number];
/** Filters of a delivery history; `limit` is the page size (1–500). */
export type DeliveryFilters = Omit<Query<'/api/v1/webhooks/{id}/deliveries', 'get'>, 'cursor'>;

/** Options of `webhooks.list`. */
export interface WebhookListOptions {
  /** Only the webhooks of this tenant. */
  tenantId?: string;
  /** Webhooks per request, 1–500 (default 50). */
  pageSize?: number;
}

/** Creates, reads, changes and deletes webhooks; reads and repeats their deliveries. */
export class Webhooks {
  constructor(private readonly api: ApiClient) {}

  /** Every webhook, page by page. */
  list(options: WebhookListOptions = {}): AsyncGenerator<Webhook, void, undefined> {
    return offsetPaged((offset) => this.api.call('listWebhooks', { query: { _limit: options.pageSize, _offset: offset, tenantId: options.tenantId } }));
  }

  /** Creates a webhook; the answer holds its signing secret, shown once. */
  create(body: NewWebhook): Promise<CreatedWebhook> {
    return this.api.call('createWebhook', { body });
  }

  /** One webhook. */
  get(id: string): Promise<Webhook> {
    return this.api.call('getWebhook', { path: { id } });
  }

  /** Changes a webhook; answers it as it now is. */
  update(id: string, body: WebhookUpdate): Promise<Webhook> {
    return this.api.call('updateWebhook', { path: { id }, body });
  }

  /** Deletes a webhook and its delivery history. */
  async delete(id: string): Promise<void> {
    await this.api.call('deleteWebhook', { path: { id } });
  }

  /** A webhook's deliveries, newest first, page by page. */
  deliveries(id: string, filters: DeliveryFilters = {}): AsyncGenerator<WebhookDelivery, void, undefined> {
    return cursorPaged((cursor) => this.api.call('listWebhookDeliveries', { path: { id }, query: { ...filters, cursor } }));
  }

  /** Sends a delivery again now, with a fresh retry schedule. */
  redeliver(id: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.api.call('redeliverWebhookDelivery', { path: { id, deliveryId } });
  }
}
