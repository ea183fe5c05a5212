/**
 * The job side of webhook storage: turning feed events into delivery rows, claiming due deliveries,
 * recording outcomes. Every claim goes through the database, so any number of processes can run the
 * jobs against one PostgreSQL: `FOR UPDATE SKIP LOCKED` hands each row to one claimer, and a claim
 * is a lease (`locked_until`) that a crashed process lets expire.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import { webhookSecretAt } from '../db/stored-secrets.js';
import type { Database, EventsTable } from '../db/tables.js';
import { EventStore, type EventRow } from '../events/store.js';
import type { EventType } from '../events/types.js';
import { chunks } from '../scim/store/scope.js';
import { DISABLE_AFTER_FAILURES, DISABLE_AFTER_MS } from './policy.js';
import { SecretUnreadable, type Keyring } from '../security/encryption.js';
import type { DeliveryRow } from './store.js';

/** A delivery this process holds: the fencing pair (attempts, locked_until) must still match when its outcome is recorded. */
export type Claim = Pick<DeliveryRow, 'id' | 'webhook_id' | 'event_seq' | 'event_id' | 'event_type' | 'attempts' | 'locked_until'>;

/** Where and how a delivery is sent: the webhook's URL and its signing secret, decrypted. */
export interface DeliveryTarget {
  id: string;
  url: string;
  secret: string;
}

/** How an attempt ended, as stored. */
export interface AttemptRecord {
  statusCode: number | null;
  error: string | null;
  /** When to try again; null when this was the last attempt. */
  nextAttemptAt: string | null;
}

/** Deliveries for one resource keep their order; an event about no resource orders by connection, then tenant. */
export function resourceKey(event: Pick<Selectable<EventsTable>, 'resource_id' | 'connection_id' | 'tenant_id'>): string {
  return event.resource_id ?? event.connection_id ?? `tenant:${event.tenant_id}`;
}

/** Parses the stored `events` filter (JSON array, or null for every type). */
export function parseEventFilter(stored: string | null): EventType[] | undefined {
  return stored === null ? undefined : (JSON.parse(stored) as EventType[]);
}

/** Storage port of the webhook jobs: dispatch, claims, outcomes, failure accounting. */
export class DeliveryQueue {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    /** Opens the signing secrets (ROLLCALL_ENCRYPTION_KEY and the previous keys). */
    private readonly keys: Keyring,
  ) {}

  /** Enabled webhooks after `afterId`, in id order (the dispatcher walks them in rounds). */
  async enabledWebhookIds(afterId: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('webhooks').select('id').where('enabled', '=', 1).where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map((row) => row.id);
  }

  /**
   * Moves one webhook's cursor through the feed by up to `limit` matching events, inserting one
   * delivery per event, in one transaction. Returns how many events it read, or undefined when
   * another process holds the webhook (PostgreSQL) or it was disabled meanwhile. The unique
   * (webhook_id, event_seq) key makes a replayed page harmless.
   */
  async dispatch(webhookId: string, limit: number, at: string): Promise<number | undefined> {
    return this.db.transaction().execute(async (trx) => {
      // Held until this transaction ends, so no two dispatchers read the same page (src/db/row-locks.ts);
      // the second statement writes the row as it is, for a database that locks by writing.
      const webhook = await this.dialect.rowLocks.lockRow(
        trx.selectFrom('webhooks').select(['cursor_tx', 'cursor_seq', 'tenant_id', 'events']).where('id', '=', webhookId).where('enabled', '=', 1),
        trx.updateTable('webhooks').set((eb) => ({ cursor_seq: eb.ref('cursor_seq') })).where('id', '=', webhookId),
      );
      if (!webhook) return undefined;
      const events = await new EventStore(trx, this.dialect).list({
        after: { txOrder: webhook.cursor_tx, seq: webhook.cursor_seq },
        limit,
        tenantId: webhook.tenant_id ?? undefined,
        types: parseEventFilter(webhook.events),
      });
      const last = events.at(-1);
      if (!last) return 0;
      for (const part of chunks(events, 100)) {
        await trx
          .insertInto('webhook_deliveries')
          .values(part.map((event) => newDelivery(webhookId, event, at)))
          .onConflict((oc) => oc.columns(['webhook_id', 'event_seq']).doNothing())
          .execute();
      }
      await trx.updateTable('webhooks').set({ cursor_tx: last.tx_order, cursor_seq: last.seq }).where('id', '=', webhookId).execute();
      return events.length;
    });
  }

  /**
   * Claims up to `limit` due deliveries in one statement: pending, due, not leased, of an enabled
   * webhook, and the oldest pending one of their resource on that webhook (so one resource's events
   * go out in order, one at a time). Claiming counts the attempt, so even a crash mid-attempt uses one.
   */
  async claimDue(at: string, leaseUntil: string, limit: number): Promise<Claim[]> {
    const due = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select('d.id')
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('d.locked_until', 'is', null), eb('d.locked_until', '<=', at)]))
      .where('w.enabled', '=', 1)
      // eslint-disable-next-line @typescript-eslint/unbound-method -- Kysely's expression builder is made to be destructured
    .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('webhook_deliveries as e')
              .select(sql.lit(1).as('one'))
              .whereRef('e.webhook_id', '=', 'd.webhook_id')
              .whereRef('e.resource_key', '=', 'd.resource_key')
              .whereRef('e.event_seq', '<', 'd.event_seq')
              .where('e.status', '=', 'pending'),
          ),
        ),
      )
      .orderBy('d.next_attempt_at')
      .orderBy('d.event_seq')
      .limit(limit);
    return this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), locked_until: leaseUntil, last_attempt_at: at, updated_at: at }))
      // Each claimer passes over the rows another is claiming (src/db/row-locks.ts).
      .where('id', 'in', this.dialect.rowLocks.skipLocked(due, 'd'))
      // Re-checked on the row as updated: a claim that committed meanwhile is not taken twice.
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
      .returning(['id', 'webhook_id', 'event_seq', 'event_id', 'event_type', 'attempts', 'locked_until'])
      .execute();
  }

  /**
   * The webhooks of these ids with their secrets decrypted; for a secret the configured keys cannot
   * decrypt, why (an instance still without the key another one used, during a rollout).
   */
  async webhooksByIds(ids: readonly string[]): Promise<Map<string, DeliveryTarget | SecretUnreadable>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('webhooks').select(['id', 'url', 'secret']).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((row) => [row.id, this.target(row)]));
  }

  private target(row: { id: string; url: string; secret: string }): DeliveryTarget | SecretUnreadable {
    try {
      return { id: row.id, url: row.url, secret: this.keys.open(row.secret, webhookSecretAt(row.id)) };
    } catch (error) {
      if (error instanceof SecretUnreadable) return error;
      throw error;
    }
  }

  async eventsBySeqs(seqs: readonly number[]): Promise<Map<number, EventRow>> {
    if (seqs.length === 0) return new Map();
    const rows = await this.db.selectFrom('events').selectAll().where('seq', 'in', [...seqs]).execute();
    return new Map(rows.map((row) => [row.seq, row]));
  }

  /** Marks a claimed delivery succeeded; false when the claim was lost (lease expired and retaken). */
  async recordSuccess(claim: Claim, statusCode: number, at: string): Promise<boolean> {
    const result = await this.fenced(claim)
      .set({ status: 'succeeded', locked_until: null, last_status_code: statusCode, last_error: null, updated_at: at })
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Records a failed attempt: back to pending with a later `next_attempt_at`, or failed for good. */
  async recordFailure(claim: Claim, attempt: AttemptRecord, at: string): Promise<boolean> {
    const result = await this.fenced(claim)
      .set({
        status: attempt.nextAttemptAt === null ? 'failed' : 'pending',
        next_attempt_at: attempt.nextAttemptAt ?? at,
        locked_until: null,
        last_status_code: attempt.statusCode,
        last_error: attempt.error,
        updated_at: at,
      })
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  private fenced(claim: Claim) {
    return this.db
      .updateTable('webhook_deliveries')
      .where('id', '=', claim.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', claim.attempts)
      .where('locked_until', '=', claim.locked_until);
  }

  /** A 2xx ends the webhook's run of failures. */
  async endFailureRun(webhookId: string): Promise<void> {
    await this.db
      .updateTable('webhooks')
      .set({ consecutive_failures: 0, failing_since: null })
      .where('id', '=', webhookId)
      .where((eb) => eb.or([eb('consecutive_failures', '<>', 0), eb('failing_since', 'is not', null)]))
      .execute();
  }

  /**
   * Counts a failed attempt against the webhook and applies the auto-disable rule in the same
   * statement (every right-hand side reads the row as it was). Returns true when the webhook is
   * now disabled.
   */
  async countFailure(webhookId: string, at: string, reason: string): Promise<boolean> {
    const cutoff = new Date(Date.parse(at) - DISABLE_AFTER_MS).toISOString();
    const trips = sql<boolean>`(enabled = 1 and consecutive_failures + 1 >= ${DISABLE_AFTER_FAILURES} and coalesce(failing_since, ${at}) <= ${cutoff})`;
    const row = await this.db
      .updateTable('webhooks')
      .set((eb) => ({
        consecutive_failures: eb('consecutive_failures', '+', 1),
        failing_since: eb.fn.coalesce('failing_since', sql.val(at)),
        enabled: sql<number>`case when ${trips} then 0 else enabled end`,
        disabled_reason: sql<string | null>`case when ${trips} then ${reason} else disabled_reason end`,
        updated_at: sql<string>`case when ${trips} then ${at} else updated_at end`,
      }))
      .where('id', '=', webhookId)
      .returning('enabled')
      .executeTakeFirst();
    return row?.enabled === 0;
  }

  /** Deletes finished deliveries whose last attempt is older than `cutoff`, at most `batch`; returns how many. */
  async deleteFinishedBefore(cutoff: string, batch: number): Promise<number> {
    const victims = this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', 'in', ['succeeded', 'failed'])
      .where('next_attempt_at', '<', cutoff)
      .limit(batch);
    const result = await this.db.deleteFrom('webhook_deliveries').where('id', 'in', victims).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function newDelivery(webhookId: string, event: EventRow, at: string) {
  return {
    id: randomUUID(),
    webhook_id: webhookId,
    event_seq: event.seq,
    event_id: event.id,
    event_type: event.type,
    resource_key: resourceKey(event),
    status: 'pending',
    next_attempt_at: at,
    locked_until: null,
    last_status_code: null,
    last_error: null,
    last_attempt_at: null,
    created_at: at,
    updated_at: at,
  };
}
