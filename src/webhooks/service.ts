/** Webhooks: endpoints that receive every matching event as a signed POST, with their delivery history. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/time.js';
import type { EventType } from '../events/types.js';
import { ApiError, conflict, notFound, validationFailed } from '../http/api-errors.js';
import type { Job } from '../jobs/scheduler.js';
import type { Keyring } from '../security/encryption.js';
import type { TenantStore } from '../tenants/store.js';
import { WebhookDeliverer, type DelivererOptions } from './deliverer.js';
import { WebhookDispatcher, type DispatcherOptions } from './dispatcher.js';
import { DeliveryQueue, parseEventFilter } from './queue.js';
import { WebhookStore, type DeliveryRow, type DeliveryStatus, type WebhookRow } from './store.js';

/** Prefix of signing secrets, so one found in a log or a repository is recognisable. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A webhook as the API returns it: never its secret. */
export interface Webhook {
  id: string;
  url: string;
  /** The event types it receives; null for all. */
  events: EventType[] | null;
  /** Only this tenant's events; null for every tenant. */
  tenantId: string | null;
  enabled: boolean;
  /** Why it was disabled automatically; null when enabled or disabled by hand. */
  disabledReason: string | null;
  consecutiveFailures: number;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What creation returns: the webhook and its signing secret, shown this once. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

/** One delivery (one event to one webhook) as the history shows it. */
export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  /** Attempts since the delivery was created or last redelivered by hand. */
  attempts: number;
  /** When the next attempt is due; null once it succeeded or failed. */
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What create accepts (and update, every field optional). */
export interface WebhookInput {
  url: string;
  events?: EventType[] | null;
  tenantId?: string | null;
  enabled?: boolean;
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: parseEventFilter(row.events) ?? null,
    tenantId: row.tenant_id,
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    consecutiveFailures: row.consecutive_failures,
    failingSince: row.failing_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Checks a webhook URL: absolute http(s), no embedded credentials (they would end up in logs). */
export function checkWebhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw validationFailed('url must be an absolute http(s) URL', 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw validationFailed('url must use http or https', 'url');
  if (url.username || url.password) throw validationFailed('url must not contain a user name or password', 'url');
  return url.toString();
}

/** Stored form of the `events` filter: a JSON array without duplicates, or null for all. */
function storedEvents(events: EventType[] | null | undefined): string | null {
  return events ? JSON.stringify([...new Set(events)]) : null;
}

/** Opaque cursor of the delivery history: the event sequence of the last delivery shown. */
const encodeCursor = (seq: number) => Buffer.from(`d${seq}`, 'utf8').toString('base64url');
function decodeCursor(cursor: string): number {
  const match = /^d(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw validationFailed('cursor is not a cursor returned by this API', 'querystring.cursor');
  return Number(match[1]);
}

/** Tuning of the jobs, for tests. */
export interface WebhookJobOptions {
  dispatcher?: DispatcherOptions;
  deliverer?: DelivererOptions;
}

/** Logic of the webhooks domain. */
export class WebhookService {
  private readonly store: WebhookStore;
  /** Turns feed events into deliveries; a background job, exposed so tests can drive it. */
  readonly dispatcher: WebhookDispatcher;
  /** Sends due deliveries; a background job, exposed so tests can drive it. */
  readonly deliverer: WebhookDeliverer;
  private readonly queue: DeliveryQueue;

  constructor(
    db: Db,
    private readonly tenants: TenantStore,
    private readonly retentionDays: number,
    /** The keys of the signing secrets at rest (ROLLCALL_ENCRYPTION_KEY). */
    keys: Keyring,
    options: WebhookJobOptions = {},
  ) {
    this.store = new WebhookStore(db.kysely, db.dialect, keys);
    this.queue = new DeliveryQueue(db.kysely, db.dialect, keys);
    this.dispatcher = new WebhookDispatcher(this.queue, options.dispatcher);
    this.deliverer = new WebhookDeliverer(this.queue, options.deliverer);
  }

  private async checkTenant(tenantId: string | null | undefined): Promise<void> {
    if (tenantId && !(await this.tenants.find(tenantId))) throw new ApiError('not_found', `Tenant "${tenantId}" not found`, 'tenantId');
  }

  async create(input: WebhookInput): Promise<CreatedWebhook> {
    const url = checkWebhookUrl(input.url);
    await this.checkTenant(input.tenantId);
    const now = nowIso();
    const secret = WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64url');
    // Start at the end of the feed: a new endpoint receives what happens from now on.
    const head = await this.store.feedHead();
    const row: WebhookRow = {
      id: randomUUID(),
      url,
      events: storedEvents(input.events),
      tenant_id: input.tenantId ?? null,
      enabled: input.enabled === false ? 0 : 1,
      disabled_reason: null,
      failing_since: null,
      consecutive_failures: 0,
      cursor_tx: head.txOrder,
      cursor_seq: head.seq,
      created_at: now,
      updated_at: now,
    };
    await this.store.insert(row, secret);
    return { ...toWebhook(row), secret };
  }

  async list(page: { limit: number; offset: number; tenantId?: string }) {
    const { rows, total } = await this.store.list(page);
    return {
      items: rows.map(toWebhook),
      _metadata: { totalItems: total, totalPages: Math.ceil(total / page.limit), limit: page.limit, offset: page.offset },
    };
  }

  private async row(id: string): Promise<WebhookRow> {
    const row = await this.store.find(id);
    if (!row) throw notFound(`Webhook "${id}" not found`);
    return row;
  }

  async get(id: string): Promise<Webhook> {
    return toWebhook(await this.row(id));
  }

  /** Changes a webhook. `enabled: true` also re-enables an auto-disabled one: its failure run is cleared and pending deliveries go out now. */
  async update(id: string, changes: Partial<WebhookInput>): Promise<Webhook> {
    const current = await this.row(id);
    if (changes.tenantId !== undefined) await this.checkTenant(changes.tenantId);
    const now = nowIso();
    const set: Parameters<WebhookStore['update']>[1] = { updated_at: now };
    if (changes.url !== undefined) set.url = checkWebhookUrl(changes.url);
    if (changes.events !== undefined) set.events = storedEvents(changes.events);
    if (changes.tenantId !== undefined) set.tenant_id = changes.tenantId;
    if (changes.enabled === false) Object.assign(set, { enabled: 0, disabled_reason: null });
    const reenable = changes.enabled === true && current.enabled === 0;
    if (reenable) Object.assign(set, { enabled: 1, disabled_reason: null, consecutive_failures: 0, failing_since: null });
    const row = await this.store.update(id, set);
    if (!row) throw notFound(`Webhook "${id}" not found`);
    if (reenable) await this.store.reschedulePending(id, now);
    return toWebhook(row);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.delete(id))) throw notFound(`Webhook "${id}" not found`);
  }

  /** The delivery history, newest first. */
  async deliveries(id: string, page: { limit: number; cursor?: string; status?: DeliveryStatus }): Promise<{ items: Delivery[]; nextCursor: string | null }> {
    const before = page.cursor ? decodeCursor(page.cursor) : undefined;
    await this.row(id);
    const rows = await this.store.deliveries(id, { limit: page.limit, before, status: page.status });
    const last = rows.at(-1);
    return { items: rows.map(toDelivery), nextCursor: rows.length === page.limit && last ? encodeCursor(last.event_seq) : null };
  }

  /** Sends a delivery again now, whatever its state, with a fresh retry schedule. */
  async redeliver(id: string, deliveryId: string): Promise<Delivery> {
    const webhook = await this.row(id);
    if (webhook.enabled === 0) throw conflict(`Webhook "${id}" is disabled; enable it (PATCH enabled: true) to redeliver`);
    const result = await this.store.redeliver(id, deliveryId, nowIso());
    if (result.outcome === 'not_found') throw notFound(`Delivery "${deliveryId}" of webhook "${id}" not found`);
    if (result.outcome === 'in_flight') throw conflict(`Delivery "${deliveryId}" is being attempted right now; try again in a moment`);
    return toDelivery(result.row);
  }

  /** The background jobs: dispatch, delivery, and trimming the history with the event retention. */
  jobs(): Job[] {
    return [this.dispatcher, this.deliverer, this.retentionJob()];
  }

  private retentionJob(): Job {
    return {
      name: 'webhooks.retention',
      intervalMs: 60_000,
      run: async () => {
        const cutoff = new Date(Date.now() - this.retentionDays * 86_400_000).toISOString();
        return (await this.queue.deleteFinishedBefore(cutoff, 5000)) === 5000;
      },
    };
  }
}
