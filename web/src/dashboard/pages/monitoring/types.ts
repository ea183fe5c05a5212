/** Shapes of the monitoring and event APIs (src/monitoring/routes.ts, src/events/routes.ts). */
import type { LastError } from '../../../shared/types.js';

/** One SCIM request of the log. */
export interface LogEntry {
  id: number;
  at: string;
  /** Empty or null when the request could not be tied to a tenant (a refused token). */
  tenantId: string | null;
  connectionId: string;
  method: string;
  /** Below the connection: `/Users/…`. */
  path: string;
  query: string | null;
  status: number;
  durationMs: number;
  scimType: string | null;
  detail: string | null;
  userAgent: string | null;
  /** The redacted request body: JSON, or text when it was truncated. */
  body: unknown;
}

export interface TimeseriesPoint {
  at: string;
  connectionId: string;
  requests: number;
  errors: number;
}

/** GET /api/v1/logs/timeseries */
export interface Timeseries {
  bucketSeconds: number;
  from: string;
  to: string;
  items: TimeseriesPoint[];
}

/** One item of GET /api/v1/logs/summary */
export interface ConnectionSummary {
  connectionId: string;
  tenantId: string;
  requests: number;
  errors: number;
  lastRequestAt: string | null;
  lastSuccessAt: string | null;
  lastError: LastError | null;
}

/** One event of GET /api/v1/events */
export interface FeedEvent {
  id: string;
  type: string;
  tenantId: string;
  connectionId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}
