/**
 * Gauges read when Prometheus scrapes: the webhook backlog, the event feed, the request-log write
 * queue and the database pool. A read that fails (the database is down) drops that gauge's sample
 * from the scrape and counts in rollcall_metrics_collect_errors_total, so /metrics keeps answering
 * and the process metrics still arrive.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { PoolStats } from '../db/open.js';
import type { GaugeStore } from './store.js';

/** Where the state gauges read from. */
export interface StateSources {
  store: GaugeStore;
  /** The SCIM request-log writer (src/monitoring/writer.ts). */
  requestLog: { stats(): { queued: number; dropped: number } };
  /** The database pool, or undefined where there is none (SQLite): the pool gauges are then left out. */
  poolStats(): PoolStats | undefined;
  /** The clock, in milliseconds (tests pass their own). */
  now?: () => number;
}

/** The gauges fed by a query, by the name they carry in rollcall_metrics_collect_errors_total. */
export const COLLECTED_GAUGES = ['webhook_deliveries_pending', 'webhook_deliveries_failed', 'webhook_oldest_pending_delivery', 'event_feed'] as const;
type CollectedGauge = (typeof COLLECTED_GAUGES)[number];

/** Registers the state gauges in `registry`. */
export function registerStateGauges(registry: Registry, sources: StateSources): void {
  const { store, requestLog } = sources;
  const now = sources.now ?? Date.now;
  const failures = new Map<CollectedGauge, number>(COLLECTED_GAUGES.map((gauge) => [gauge, 0]));
  /** The reads under way: the error counter waits for them, so that a scrape counts its own failures. */
  const reads = new Set<Promise<void>>();
  // One read after the other: a scrape holds at most one database connection.
  let previousRead: Promise<unknown> = Promise.resolve();

  // Read first, before this scrape's own queries wait for a connection.
  if (sources.poolStats() !== undefined) registerPoolGauges(registry, () => sources.poolStats());

  /** A gauge whose value one store query gives; a failed query leaves it out of the scrape. */
  const queried = (name: string, help: string, source: CollectedGauge, read: () => Promise<number>) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const done = previousRead.then(read).then(
          (value) => this.set(value),
          () => {
            this.remove({});
            failures.set(source, (failures.get(source) ?? 0) + 1);
          },
        );
        previousRead = done;
        reads.add(done);
        return done.finally(() => {
          reads.delete(done);
        });
      },
    });

  queried('rollcall_webhook_deliveries_pending', 'Webhook deliveries waiting, retrying or in flight', 'webhook_deliveries_pending', () => store.pendingDeliveries());
  queried('rollcall_webhook_deliveries_failed', 'Webhook deliveries whose retries are exhausted (kept until event retention deletes them)', 'webhook_deliveries_failed', () => store.failedDeliveries());
  queried('rollcall_webhook_oldest_pending_delivery_age_seconds', 'Seconds since the oldest pending webhook delivery was queued; 0 when none is pending', 'webhook_oldest_pending_delivery', async () => {
    const oldest = await store.oldestPendingDelivery();
    return oldest === undefined ? 0 : Math.max(0, (now() - Date.parse(oldest)) / 1000);
  });
  queried(
    'rollcall_event_feed_events',
    'Events in the feed, estimated as max(seq) - min(seq) + 1 (an upper bound: rolled-back inserts leave gaps), which costs two index lookups where a count would read the table',
    'event_feed',
    () => store.eventFeedSpan(),
  );

  new Gauge({
    name: 'rollcall_request_log_queue_rows',
    help: 'SCIM request-log rows buffered in memory and not yet written to the database',
    registers: [registry],
    collect() {
      this.set(requestLog.stats().queued);
    },
  });
  new Counter({
    name: 'rollcall_request_log_dropped_rows_total',
    help: 'SCIM request-log rows dropped because the write queue was full (the database did not take them)',
    registers: [registry],
    collect() {
      // The writer keeps the running total; a counter cannot be set, so it is rebuilt from it.
      this.reset();
      this.inc(requestLog.stats().dropped);
    },
  });

  // Registered after the gauges: the registry starts every metric's collect() in registration order,
  // so the reads of this scrape have begun when this one waits for them.
  new Counter({
    name: 'rollcall_metrics_collect_errors_total',
    help: 'Gauge reads that failed during a scrape (the gauge is left out of that scrape), by gauge',
    labelNames: ['gauge'],
    registers: [registry],
    async collect() {
      await Promise.all(reads);
      // A counter cannot be set: it is rebuilt from the running totals.
      this.reset();
      for (const [gauge, count] of failures) this.inc({ gauge }, count);
    },
  });
}

/** The PostgreSQL pool's gauges (the main pool, which serves writes and most reads). */
function registerPoolGauges(registry: Registry, stats: () => PoolStats | undefined): void {
  const pool = (name: string, help: string, value: (stats: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const current = stats();
        if (current) this.set(value(current));
        else this.remove({});
      },
    });
  pool('rollcall_db_pool_connections', 'Open connections of the database pool (in use and idle)', (s) => s.total);
  pool('rollcall_db_pool_idle_connections', 'Open connections of the database pool that no query is using', (s) => s.idle);
  pool('rollcall_db_pool_max_connections', 'The most connections the database pool opens (DATABASE_POOL_SIZE)', (s) => s.max);
  pool('rollcall_db_pool_waiting_queries', 'Queries waiting for a connection of the database pool', (s) => s.waiting);
}
