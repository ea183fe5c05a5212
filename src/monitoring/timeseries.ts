/**
 * Request counts per time bucket and connection, for a dashboard chart. Rows are grouped in SQL, so
 * a day of traffic comes back as at most a few hundred rows, never as the log itself.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import type { Database } from '../db/tables.js';
import { validationFailed } from '../http/api-errors.js';

/** The bucket widths a chart may ask for. */
export const BUCKETS = ['5m', '15m', '1h', '1d'] as const;
/** One of the bucket widths. */
export type Bucket = (typeof BUCKETS)[number];

const BUCKET_SECONDS: Record<Bucket, number> = { '5m': 300, '15m': 900, '1h': 3600, '1d': 86_400 };

/** More buckets than a chart can draw is a mistake (or a way to make the database work): refused. */
export const MAX_BUCKETS = 500;

const DAY_MS = 86_400_000;

/** What the caller asks for; absent times default to the last 24 hours. */
export interface TimeseriesRequest {
  tenantId?: string;
  connectionId?: string;
  from?: string;
  to?: string;
  bucket: Bucket;
}

/** The range actually counted: `from` rounded down to a bucket boundary, so every bucket is whole. */
export interface TimeseriesRange {
  tenantId?: string;
  connectionId?: string;
  bucketSeconds: number;
  from: string;
  to: string;
}

/** One non-empty bucket of one connection. */
export interface TimeseriesPoint {
  /** Start of the bucket (UTC, a multiple of the bucket width since the epoch). */
  at: string;
  connectionId: string;
  requests: number;
  /** Requests answered with a status >= 400. */
  errors: number;
}

/** The chart's answer. */
export interface Timeseries {
  bucketSeconds: number;
  from: string;
  to: string;
  items: TimeseriesPoint[];
}

/** Resolves defaults and alignment, and refuses empty or over-long ranges. */
export function timeseriesRange(request: TimeseriesRequest, now = Date.now()): TimeseriesRange {
  const bucketSeconds = BUCKET_SECONDS[request.bucket];
  const bucketMs = bucketSeconds * 1000;
  const to = request.to === undefined ? now : Date.parse(request.to);
  const requestedFrom = request.from === undefined ? to - DAY_MS : Date.parse(request.from);
  if (Number.isNaN(to)) throw validationFailed('querystring.to must be an RFC 3339 date-time', 'querystring.to');
  if (Number.isNaN(requestedFrom)) throw validationFailed('querystring.from must be an RFC 3339 date-time', 'querystring.from');
  if (requestedFrom >= to) throw validationFailed('querystring.from must be before querystring.to', 'querystring.from');
  const from = Math.floor(requestedFrom / bucketMs) * bucketMs;
  const buckets = Math.ceil((to - from) / bucketMs);
  if (buckets > MAX_BUCKETS) {
    throw validationFailed(
      `The range spans ${buckets} buckets of ${request.bucket}; at most ${MAX_BUCKETS}: choose a wider bucket or a shorter range`,
      'querystring.bucket',
    );
  }
  return {
    tenantId: request.tenantId,
    connectionId: request.connectionId,
    bucketSeconds,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  };
}

/** Storage side of the chart: one grouped query over the request log. */
export class RequestTimeseriesStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async buckets(range: TimeseriesRange): Promise<TimeseriesPoint[]> {
    // Seconds since the epoch at which the bucket each row falls in starts (src/db/time-buckets.ts).
    const bucket = this.dialect.timeBuckets.start(sql`created_at`, range.bucketSeconds);
    let query = this.db
      .selectFrom('request_logs')
      .select([
        'connection_id',
        bucket.as('bucket'),
        (eb) => eb.fn.countAll<number>().as('requests'),
        sql<number>`sum(case when status >= 400 then 1 else 0 end)`.as('errors'),
      ])
      // Text comparison is time order for stored instants; (tenant|connection, created_at) indexes serve it.
      .where('created_at', '>=', range.from)
      .where('created_at', '<', range.to)
      .groupBy(['connection_id', bucket])
      .orderBy('bucket')
      .orderBy('connection_id');
    if (range.tenantId !== undefined) query = query.where('tenant_id', '=', range.tenantId);
    if (range.connectionId !== undefined) query = query.where('connection_id', '=', range.connectionId);
    const rows = await query.execute();
    return rows.map((r) => ({
      at: new Date(Number(r.bucket) * 1000).toISOString(),
      connectionId: r.connection_id,
      requests: Number(r.requests),
      errors: Number(r.errors),
    }));
  }
}
