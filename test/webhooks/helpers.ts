/** Shared steps of the webhook tests: write events, create webhooks, drive the jobs. */
import { sql } from 'kysely';
import { EventStore } from '../../src/events/store.js';
import type { NewEvent } from '../../src/events/types.js';
import type { WebhookDeliverer } from '../../src/webhooks/deliverer.js';
import type { TestApp } from '../support/test-app.js';

/** Appends events in one transaction, as a SCIM request would. */
export async function appendEvents(t: TestApp, scope: { tenantId: string; connectionId: string | null }, events: NewEvent[]): Promise<void> {
  await t.db.kysely.transaction().execute((trx) => new EventStore(trx, t.db.dialect).append(scope, events, new Date().toISOString()));
}

/** Creates a webhook through the API; returns its id and secret. */
export async function createWebhook(t: TestApp, payload: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: { authorization: t.auth }, payload });
  if (res.statusCode !== 201) throw new Error(`webhook create failed: ${res.statusCode} ${res.body}`);
  return { id: res.json().id, secret: res.json().secret };
}

/** Pending deliveries of enabled webhooks that could be claimed now. */
export async function dueCount(t: TestApp): Promise<number> {
  const now = new Date().toISOString();
  const row = await t.db.kysely
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where('w.enabled', '=', 1)
    .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<=', now)]))
    // Not held back by an earlier pending delivery of the same resource.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- Kysely's expression builder is made to be destructured
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_deliveries as e')
            .select('e.id')
            .whereRef('e.webhook_id', '=', 'd.webhook_id')
            .whereRef('e.resource_key', '=', 'd.resource_key')
            .whereRef('e.event_seq', '<', 'd.event_seq')
            .where('e.status', '=', 'pending'),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Waits until the feed shows every committed event. On PostgreSQL the feed only reads below the
 * oldest running transaction of the whole server, and other test files share that server.
 */
export async function feedCaughtUp(t: Pick<TestApp, 'db'>, timeoutMs = 20_000): Promise<void> {
  if (t.db.dialect.name !== 'postgres') return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await t.db.kysely
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(sql<boolean>`tx_order >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint`)
      .executeTakeFirstOrThrow();
    if (Number(row.n) === 0) return;
    if (Date.now() > deadline) throw new Error('the event feed did not catch up');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs the dispatcher until every event in the feed has its deliveries. */
export async function dispatchAll(t: TestApp): Promise<void> {
  await feedCaughtUp(t);
  while (await t.app.services.webhooks.dispatcher.run());
}

/** Runs dispatch and delivery passes until nothing is due (retries scheduled later are left waiting). */
export async function settle(t: TestApp, deliverer: WebhookDeliverer = t.app.services.webhooks.deliverer): Promise<void> {
  await feedCaughtUp(t);
  for (let i = 0; i < 200; i++) {
    const more = await t.app.services.webhooks.dispatcher.run();
    await deliverer.run();
    if (!more && (await dueCount(t)) === 0) return;
  }
  throw new Error('webhook jobs did not settle');
}

/** Makes every scheduled retry due now: the test stands in for the passing of time. */
export async function fastForward(t: TestApp): Promise<void> {
  await t.db.kysely
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: new Date(Date.now() - 1).toISOString() })
    .where('status', '=', 'pending')
    .execute();
}

/** Every delivery row of a webhook, in event order. */
export function deliveryRows(t: TestApp, webhookId: string) {
  return t.db.kysely.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('event_seq').execute();
}

/** Removes every webhook (and its deliveries), so one test's endpoints never receive the next test's events. */
export async function removeWebhooks(t: TestApp): Promise<void> {
  await t.db.kysely.deleteFrom('webhooks').execute();
}
