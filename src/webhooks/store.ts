/** Storage of webhook endpoints and of their delivery history, for the management API. */
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { FeedPosition } from '../events/cursor.js';
import { EventStore } from '../events/store.js';
import type { Dialect } from '../db/dialect.js';
import { webhookSecretAt } from '../db/stored-secrets.js';
import type { Database, WebhookDeliveriesTable, WebhooksTable } from '../db/tables.js';
import type { Keyring } from '../security/encryption.js';

/** A webhook's row without its signing secret, which only delivery reads (queue.ts). */
export type WebhookRow = Omit<Selectable<WebhooksTable>, 'secret'>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** Every column of a webhook but its secret. */
const WEBHOOK_COLUMNS = ['id', 'url', 'events', 'tenant_id', 'enabled', 'disabled_reason', 'consecutive_failures', 'failing_since', 'cursor_tx', 'cursor_seq', 'created_at', 'updated_at'] as const satisfies readonly (keyof WebhookRow)[];

/** Delivery states: `pending` (waiting, retrying or in flight), then `succeeded` or `failed` (retries exhausted). */
export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What `redeliver` found. */
export type RedeliverResult = { outcome: 'scheduled'; row: DeliveryRow } | { outcome: 'not_found' } | { outcome: 'in_flight' };

/** Storage port of the webhooks domain (configuration and history; the job side is in queue.ts). */
export class WebhookStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    /** Seals the signing secret (ROLLCALL_ENCRYPTION_KEY), or keeps it as it is without a key. */
    private readonly keys: Keyring,
  ) {}

  /** Inserts a webhook with its signing secret, encrypted when a key is configured. */
  async insert(row: WebhookRow, secret: string): Promise<void> {
    await this.db
      .insertInto('webhooks')
      .values({ ...row, secret: this.keys.seal(secret, webhookSecretAt(row.id)) })
      .execute();
  }

  find(id: string): Promise<WebhookRow | undefined> {
    return this.db.selectFrom('webhooks').select(WEBHOOK_COLUMNS).where('id', '=', id).executeTakeFirst();
  }

  /** A page in creation order, with the total. */
  async list(page: { limit: number; offset: number; tenantId?: string }): Promise<{ rows: WebhookRow[]; total: number }> {
    let query = this.db.selectFrom('webhooks');
    if (page.tenantId !== undefined) query = query.where('tenant_id', '=', page.tenantId);
    const [rows, count] = await Promise.all([
      query.select(WEBHOOK_COLUMNS).orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  }

  /** Updates the webhook (never its secret, which insert alone writes); returns the row after the change, or undefined when it is gone. */
  async update(id: string, changes: Updateable<Omit<WebhooksTable, 'secret'>>): Promise<WebhookRow | undefined> {
    return this.db.updateTable('webhooks').set(changes).where('id', '=', id).returning(WEBHOOK_COLUMNS).executeTakeFirst();
  }

  /** Deletes the webhook and (FK cascade) its deliveries. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /**
   * The last position of the feed that can no longer gain events before it: a new webhook starts
   * there, so it receives what happens after its creation and not the retained history.
   */
  feedHead(): Promise<FeedPosition> {
    return new EventStore(this.db, this.dialect).head();
  }

  /** Pending deliveries of a re-enabled webhook go out now rather than at their backed-off time. */
  async reschedulePending(webhookId: string, at: string): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: at, updated_at: at })
      .where('webhook_id', '=', webhookId)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '>', at)
      .execute();
  }

  /** Newest first, keyset-paged by event sequence (`before` is the last sequence of the previous page). */
  deliveries(webhookId: string, page: { limit: number; before?: number; status?: DeliveryStatus }): Promise<DeliveryRow[]> {
    let query = this.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
    if (page.before !== undefined) query = query.where('event_seq', '<', page.before);
    if (page.status !== undefined) query = query.where('status', '=', page.status);
    return query.orderBy('event_seq', 'desc').limit(page.limit).execute();
  }

  findDelivery(webhookId: string, deliveryId: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).where('webhook_id', '=', webhookId).executeTakeFirst();
  }

  /**
   * Schedules a delivery to go out again now with a fresh retry schedule (`attempts` restarts at 0).
   * A delivery whose claim is still live is in flight and is left alone; the conditional update makes
   * the check and the change one step even with several processes.
   */
  async redeliver(webhookId: string, deliveryId: string, at: string): Promise<RedeliverResult> {
    const row = await this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: at, locked_until: null, updated_at: at })
      .where('id', '=', deliveryId)
      .where('webhook_id', '=', webhookId)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
      .returningAll()
      .executeTakeFirst();
    if (row) return { outcome: 'scheduled', row };
    return (await this.findDelivery(webhookId, deliveryId)) ? { outcome: 'in_flight' } : { outcome: 'not_found' };
  }
}
