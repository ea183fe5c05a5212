/** The SCIM request log: reading it, summarising it per connection, and its retention. */
import type { Db } from '../db/open.js';
import type { Job } from '../jobs/scheduler.js';
import { RequestLogStore, type LogQuery, type RequestLogRow } from './store.js';
import { RequestTimeseriesStore, timeseriesRange, type Timeseries, type TimeseriesRequest } from './timeseries.js';

const DAY_MS = 86_400_000;

/** A log entry as the API returns it. */
export interface RequestLogEntry {
  id: number;
  at: string;
  tenantId: string;
  connectionId: string;
  /** The connection's name when the request was logged: names a connection deleted since. */
  connectionName: string | null;
  method: string;
  path: string;
  query: string | null;
  status: number;
  durationMs: number;
  scimType: string | null;
  detail: string | null;
  userAgent: string | null;
  body: unknown;
  /** The request's id: what a held change names its request by (src/deprovisioning/). */
  requestId: string | null;
}

function toEntry(row: RequestLogRow): RequestLogEntry {
  let body: unknown = row.body;
  try {
    body = row.body === null ? null : JSON.parse(row.body);
  } catch {
    // A truncated body stays as text.
  }
  return {
    id: Number(row.seq),
    at: row.created_at,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    connectionName: row.connection_name,
    method: row.method,
    path: row.path,
    query: row.query,
    status: row.status,
    durationMs: row.duration_ms,
    scimType: row.scim_type,
    detail: row.detail,
    userAgent: row.user_agent,
    body,
    requestId: row.request_id,
  };
}

export class MonitoringService {
  readonly store: RequestLogStore;
  private readonly series: RequestTimeseriesStore;

  constructor(
    db: Db,
    private readonly retentionDays: number,
    private readonly maxRows: number,
  ) {
    this.store = new RequestLogStore(db.kysely, db.dialect);
    this.series = new RequestTimeseriesStore(db.kysely, db.dialect);
  }

  async page(query: LogQuery): Promise<{ items: RequestLogEntry[]; nextCursor: string | null }> {
    const rows = await this.store.list(query);
    const last = rows.at(-1);
    return { items: rows.map(toEntry), nextCursor: rows.length === query.limit && last ? String(last.seq) : null };
  }

  summaries(sinceHours: number, tenantId?: string) {
    return this.store.summaries(new Date(Date.now() - sinceHours * 3_600_000).toISOString(), tenantId);
  }

  /** Requests and errors per bucket and connection over a range (default: the last 24 hours); only non-empty buckets. */
  async timeseries(request: TimeseriesRequest): Promise<Timeseries> {
    const range = timeseriesRange(request);
    return { bucketSeconds: range.bucketSeconds, from: range.from, to: range.to, items: await this.series.buckets(range) };
  }

  /** Retention by age and by row count, in bounded batches so it never holds the database long. */
  retentionJob(): Job {
    return {
      name: 'request-logs.retention',
      intervalMs: 60_000,
      run: async () => {
        const cutoff = new Date(Date.now() - this.retentionDays * DAY_MS).toISOString();
        const byAge = await this.store.deleteOlderThan(cutoff, 5000);
        const byCount = await this.store.trimToCount(this.maxRows, 5000);
        return byAge === 5000 || byCount === 5000;
      },
    };
  }
}
