/**
 * The span the request chart draws. A period whose requests all came late (a connection set up an
 * hour ago, seen over the last 24 hours) would be one thin bar at the right edge: the chart starts at
 * the first request instead, in finer buckets, showing at least an hour.
 */
import { api } from '../../../shared/api.js';
import { bucketFor } from './filters.js';
import type { Timeseries } from './types.js';

/** The shortest span the chart narrows to. */
export const MIN_CHART_SPAN_MS = 3_600_000;

/**
 * Where the chart of `series` (the whole period, `from` to `to`) should start: the bucket of its
 * first request, or an hour before `to` if that is earlier; undefined to keep the whole period
 * (no requests, or they fill more than half of it).
 */
export function fittedStart(series: Timeseries, from: string, to: string): string | undefined {
  if (series.items.length === 0) return undefined;
  const start = Date.parse(from);
  const end = Date.parse(to);
  const first = Math.min(...series.items.map((p) => Date.parse(p.at)));
  const fitted = Math.max(start, Math.min(first, end - MIN_CHART_SPAN_MS));
  return end - fitted <= (end - start) / 2 ? new Date(fitted).toISOString() : undefined;
}

/** The chart's series and whether it starts at the first request rather than at the period's start. */
export interface ChartSeries {
  series: Timeseries;
  fitted: boolean;
}

/** Reads the period's series; when its requests start late, reads again from the first one in finer buckets. */
export async function loadChartSeries(query: { tenantId: string; connectionId: string; from: string; to: string }): Promise<ChartSeries> {
  const read = (from: string) => api.get<Timeseries>('/api/v1/logs/timeseries', { tenantId: query.tenantId, connectionId: query.connectionId, from, to: query.to, bucket: bucketFor(from, query.to) });
  const whole = await read(query.from);
  const start = fittedStart(whole, query.from, query.to);
  return start === undefined ? { series: whole, fitted: false } : { series: await read(start), fitted: true };
}
