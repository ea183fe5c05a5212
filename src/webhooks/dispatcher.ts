/** The dispatch job: follows each enabled webhook's cursor through the event feed, creating deliveries. */
import type { Job } from '../jobs/scheduler.js';
import { DISPATCH_BATCH, DISPATCH_WEBHOOKS_PER_PASS } from './policy.js';
import type { DeliveryQueue } from './queue.js';

/** Tuning, for tests. */
export interface DispatcherOptions {
  eventsPerWebhook?: number;
  webhooksPerPass?: number;
}

/** Job `webhooks.dispatch`: creates one delivery per matching event for every enabled webhook. */
export class WebhookDispatcher implements Job {
  readonly name = 'webhooks.dispatch';
  readonly intervalMs = 1_000;
  /** Where the next pass resumes, so a pass stays bounded however many webhooks there are. */
  private afterId = '';
  private readonly eventsPerWebhook: number;
  private readonly webhooksPerPass: number;

  constructor(
    private readonly queue: DeliveryQueue,
    options: DispatcherOptions = {},
  ) {
    this.eventsPerWebhook = options.eventsPerWebhook ?? DISPATCH_BATCH;
    this.webhooksPerPass = options.webhooksPerPass ?? DISPATCH_WEBHOOKS_PER_PASS;
  }

  /** One bounded pass; true when a webhook had a full page or webhooks remain for the next pass. */
  async run(): Promise<boolean> {
    const ids = await this.queue.enabledWebhookIds(this.afterId, this.webhooksPerPass);
    let more = false;
    for (const id of ids) {
      const read = await this.queue.dispatch(id, this.eventsPerWebhook, new Date().toISOString());
      if (read === this.eventsPerWebhook) more = true;
    }
    if (ids.length === this.webhooksPerPass) {
      this.afterId = ids[ids.length - 1];
      more = true;
    } else {
      this.afterId = '';
    }
    return more;
  }
}
