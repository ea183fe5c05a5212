/**
 * The queries behind the gauges of /metrics: one each, across every tenant (the metrics describe the
 * deployment, not an account), each answered from an index so that a scrape stays cheap on any size.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';

/** What the state gauges read at scrape time; a test may stand in a store that fails. */
export interface GaugeStore {
  /** Webhook deliveries waiting, retrying or in flight. */
  pendingDeliveries(): Promise<number>;
  /** Webhook deliveries whose retries are exhausted, until retention deletes them. */
  failedDeliveries(): Promise<number>;
  /** When the oldest pending delivery was queued (ISO 8601), or undefined when none is pending. */
  oldestPendingDelivery(): Promise<string | undefined>;
  /** The span of the event feed's sequence numbers, max(seq) − min(seq) + 1; 0 when it is empty. */
  eventFeedSpan(): Promise<number>;
}

/** The gauge queries over Kysely; the same SQL on SQLite and PostgreSQL. */
export class MetricsStore implements GaugeStore {
  constructor(private readonly db: Kysely<Database>) {}

  // Both counts walk one range of the (status, next_attempt_at) index.
  async pendingDeliveries(): Promise<number> {
    return this.countDeliveries('pending');
  }

  async failedDeliveries(): Promise<number> {
    return this.countDeliveries('failed');
  }

  async oldestPendingDelivery(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.min('created_at').as('oldest'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row?.oldest ?? undefined;
  }

  /**
   * Counting the feed would read every row of a table that holds EVENT_RETENTION_DAYS of changes; its
   * two ends are two lookups in the primary key. Sequence numbers a rolled-back insert took leave gaps,
   * so this is an upper bound of the count.
   */
  async eventFeedSpan(): Promise<number> {
    // Two subqueries, not min() and max() in one select: SQLite answers a lone min() or max() from the
    // index and scans the table for both together.
    const row = await this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('events').select((e) => e.fn.min('seq').as('seq')).as('first'),
        eb.selectFrom('events').select((e) => e.fn.max('seq').as('seq')).as('last'),
      ])
      .executeTakeFirstOrThrow();
    if (row.first === null || row.last === null) return 0;
    return Number(row.last) - Number(row.first) + 1;
  }

  private async countDeliveries(status: 'pending' | 'failed'): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', status)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
