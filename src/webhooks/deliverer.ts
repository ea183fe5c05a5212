/** The delivery job: claims due deliveries, POSTs them, records the outcome and schedules retries. */
import { toEvent, type EventRow } from '../events/store.js';
import type { Job } from '../jobs/scheduler.js';
import { SecretUnreadable } from '../security/encryption.js';
import { CLAIM_LEASE_MS, DELIVERY_BATCH, DELIVERY_TIMEOUT_MS, DISABLE_AFTER_FAILURES, DISABLE_AFTER_MS, MAX_ATTEMPTS, retryDelayMs, truncateError } from './policy.js';
import type { Claim, DeliveryQueue, DeliveryTarget } from './queue.js';
import { sendDelivery, type SendResult } from './sender.js';

/** Tuning, for tests. */
export interface DelivererOptions {
  timeoutMs?: number;
  leaseMs?: number;
  batch?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Job `webhooks.deliver`: sends due deliveries and schedules their retries. */
export class WebhookDeliverer implements Job {
  readonly name = 'webhooks.deliver';
  readonly intervalMs = 1_000;
  private readonly timeoutMs: number;
  private readonly leaseMs: number;
  private readonly batch: number;

  constructor(
    private readonly queue: DeliveryQueue,
    options: DelivererOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    this.leaseMs = options.leaseMs ?? CLAIM_LEASE_MS;
    this.batch = options.batch ?? DELIVERY_BATCH;
  }

  /** One pass: claims up to a batch and sends it concurrently; true when the batch was full. */
  async run(): Promise<boolean> {
    const start = Date.now();
    const claims = await this.queue.claimDue(iso(start), iso(start + this.leaseMs), this.batch);
    if (claims.length === 0) return false;
    const [webhooks, events] = await Promise.all([
      this.queue.webhooksByIds([...new Set(claims.map((c) => c.webhook_id))]),
      this.queue.eventsBySeqs(claims.map((c) => c.event_seq)),
    ]);
    await Promise.all(claims.map((claim) => this.attempt(claim, webhooks.get(claim.webhook_id), events.get(claim.event_seq))));
    // A secret this process cannot decrypt (its keys are not the ones another instance encrypted with):
    // its claims are left to expire and go out again, from an instance that has the key; the error is
    // thrown after the rest of the batch went out, for the scheduler to log.
    const unreadable = [...webhooks.values()].find((webhook) => webhook instanceof SecretUnreadable);
    if (unreadable) throw unreadable;
    return claims.length === this.batch;
  }

  private async attempt(claim: Claim, webhook: DeliveryTarget | SecretUnreadable | undefined, event: EventRow | undefined): Promise<void> {
    // Deleted meanwhile: its deliveries went with it. Unreadable: see run.
    if (!webhook || webhook instanceof SecretUnreadable) return;
    if (!event) {
      // Not the endpoint's fault, so it does not count towards auto-disable.
      const error = 'The event is no longer in the feed (past its retention) and cannot be delivered';
      await this.queue.recordFailure(claim, { statusCode: null, error, nextAttemptAt: null }, iso(Date.now()));
      return;
    }
    const result = await sendDelivery(
      {
        url: webhook.url,
        secret: webhook.secret,
        body: JSON.stringify(toEvent(event)),
        eventId: claim.event_id,
        eventType: claim.event_type,
        deliveryId: claim.id,
        attempt: claim.attempts,
      },
      this.timeoutMs,
    );
    await this.record(claim, result);
  }

  private async record(claim: Claim, result: SendResult): Promise<void> {
    const now = Date.now();
    if (result.ok) {
      await this.queue.recordSuccess(claim, result.statusCode ?? 200, iso(now));
      await this.queue.endFailureRun(claim.webhook_id);
      return;
    }
    const error = truncateError(result.error ?? 'Delivery failed');
    const nextAttemptAt = claim.attempts >= MAX_ATTEMPTS ? null : iso(now + retryDelayMs(claim.attempts));
    // A lost claim (lease expired, someone else retook it) records nothing: the new holder owns the outcome.
    if (!(await this.queue.recordFailure(claim, { statusCode: result.statusCode, error, nextAttemptAt }, iso(now)))) return;
    const reason = `Disabled automatically at ${iso(now)}: ${DISABLE_AFTER_FAILURES} or more consecutive failed attempts over more than ${DISABLE_AFTER_MS / 3_600_000} hours; last error: ${error}`;
    await this.queue.countFailure(claim.webhook_id, iso(now), truncateError(reason));
  }
}
