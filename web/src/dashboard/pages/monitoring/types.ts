/** Shapes of the monitoring and event APIs (src/monitoring/routes.ts, src/events/routes.ts), from ../../../shared/types.ts. */
import type { ApiBody } from '../../../shared/types.js';

/** GET /api/v1/logs: a page of the SCIM request log, newest first. */
export type LogPage = ApiBody<'/api/v1/logs', 'get'>;

/** One SCIM request of the log; `body` is the redacted request body (JSON, or text when it was truncated). */
export type LogEntry = LogPage['items'][number];

/** GET /api/v1/logs/timeseries */
export type Timeseries = ApiBody<'/api/v1/logs/timeseries', 'get'>;

/** GET /api/v1/logs/summary: per-connection counts, last success and last error. */
export type LogSummary = ApiBody<'/api/v1/logs/summary', 'get'>;

/** GET /api/v1/events: a page of the event feed. */
export type FeedPage = ApiBody<'/api/v1/events', 'get'>;

/** One event of GET /api/v1/events */
export type FeedEvent = FeedPage['items'][number];
