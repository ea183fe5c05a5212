/**
 * Prometheus metrics, when METRICS_TOKEN is set: a registry of the app's own (never prom-client's
 * global one, so that several apps in one process — the tests — keep apart), Node's process metrics,
 * the request counters and the state gauges, served at GET /metrics. Without the token nothing is
 * registered and /metrics is an unknown path.
 */
import type { FastifyInstance } from 'fastify';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/open.js';
import { registerHttpMetrics } from './http-metrics.js';
import { metricsRoutes } from './routes.js';
import { registerStateGauges, type StateSources } from './state-gauges.js';
import { MetricsStore } from './store.js';

/** What the metrics read from. */
export interface MetricsOptions {
  /** METRICS_TOKEN; undefined turns metrics off. */
  token: string | undefined;
  db: Db;
  requestLog: StateSources['requestLog'];
}

/** Builds the registry with every metric Rollcall exports, for `registerMetrics` and tests of the collectors. */
export function metricsRegistry(sources: StateSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerStateGauges(registry, sources);
  return registry;
}

/**
 * Adds the request hook and GET /metrics to the root instance; call with the other root hooks,
 * before the routes it should count are registered.
 */
export async function registerMetrics(app: FastifyInstance, { token, db, requestLog }: MetricsOptions): Promise<void> {
  if (token === undefined) return;
  const registry = metricsRegistry({ store: new MetricsStore(db.kysely), requestLog, poolStats: () => db.poolStats() });
  registerHttpMetrics(app, registry);
  await app.register(metricsRoutes, { registry, token });
}
