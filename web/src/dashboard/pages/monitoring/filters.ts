/** The monitoring page's filters as URL query values, and the time window and chart bucket they give. */

export type RangeKey = '1h' | '24h' | '7d' | 'custom';
export type Bucket = '5m' | '15m' | '1h' | '1d';

export interface LogFilters {
  tenantId: string;
  connectionId: string;
  /** '' (all), 'error', '2xx' … '5xx', or a status code such as '409'. */
  status: string;
  range: RangeKey;
  /** datetime-local values (the browser's time zone), only for the custom range. */
  from: string;
  to: string;
  /** One SCIM request (a held change links to the request that asked for it): the log shows it whatever the range. */
  requestId: string;
}

const RANGES: Record<Exclude<RangeKey, 'custom'>, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };
const BUCKET_MS: [Bucket, number][] = [
  ['5m', 300_000],
  ['15m', 900_000],
  ['1h', 3_600_000],
  ['1d', 86_400_000],
];
/** Bars the chart draws at most before a wider bucket is chosen (the API allows 500). */
const MAX_BARS = 200;

export const isStatusCode = (value: string) => /^[1-5]\d\d$/.test(value);
const STATUS_VALUES = new Set(['', 'error', '2xx', '4xx', '5xx']);

export function readFilters(query: URLSearchParams): LogFilters {
  const status = query.get('status') ?? '';
  const range = query.get('range');
  return {
    tenantId: query.get('tenantId') ?? '',
    connectionId: query.get('connectionId') ?? '',
    status: STATUS_VALUES.has(status) || isStatusCode(status) ? status : '',
    range: range === '1h' || range === '7d' || range === 'custom' ? range : '24h',
    from: query.get('from') ?? '',
    to: query.get('to') ?? '',
    requestId: query.get('requestId') ?? '',
  };
}

/** The window to query: ISO instants, or an error to show for a bad custom range. */
export function timeWindow(filters: LogFilters, now: number): { from: string; to: string; error?: undefined } | { error: string; from?: undefined; to?: undefined } {
  if (filters.range !== 'custom') return { from: new Date(now - RANGES[filters.range]).toISOString(), to: new Date(now).toISOString() };
  const to = filters.to ? new Date(filters.to).getTime() : now;
  const from = filters.from ? new Date(filters.from).getTime() : to - RANGES['24h'];
  if (Number.isNaN(from) || Number.isNaN(to)) return { error: 'Enter both dates as a date and a time.' };
  if (from >= to) return { error: 'The start of the range must be before its end.' };
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The narrowest bucket that keeps the chart at MAX_BARS bars or fewer. */
export function bucketFor(from: string, to: string): Bucket {
  const span = new Date(to).getTime() - new Date(from).getTime();
  for (const [bucket, ms] of BUCKET_MS) if (span / ms <= MAX_BARS) return bucket;
  return '1d';
}

/** Hours of the summary strip: the range's length, within what the API accepts. */
export function summaryHours(from: string, to: string): number {
  const hours = Math.ceil((new Date(to).getTime() - new Date(from).getTime()) / 3_600_000);
  return Math.min(24 * 365, Math.max(1, hours));
}

export const RANGE_LABELS: Record<RangeKey, string> = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', custom: 'Custom range' };
