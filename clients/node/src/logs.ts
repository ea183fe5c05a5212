/** `rollcall.logs` and `rollcall.audit`: the SCIM request log with its summaries, and the audit log. */
import type { ApiClient } from './api-client.js';
import type { Json, Query } from './operations.js';
import { cursorPaged } from './pagination.js';

/** A SCIM request as logged. */
export type RequestLogEntry = Json<'/api/v1/logs', 'get'>['items'][number];
/** Filters of the request log; `limit` is the page size (1–500). */
export type LogFilters = Omit<Query<'/api/v1/logs', 'get'>, 'cursor'>;
/** Per-connection counts, errors, last error and last success. */
export type LogSummary = Json<'/api/v1/logs/summary', 'get'>;
/** Requests and errors per time bucket and connection. */
export type LogTimeseries = Json<'/api/v1/logs/timeseries', 'get'>;
/** An audit log entry: who changed what. */
export type AuditEntry = NonNullable<Json<'/api/v1/audit', 'get'>['items']>[number];
/** Filters of the audit log; `limit` is the page size (1–500). */
export type AuditFilters = Omit<Query<'/api/v1/audit', 'get'>, 'cursor'>;

/** Reads the SCIM request log. */
export class Logs {
  constructor(private readonly api: ApiClient) {}

  /** Logged SCIM requests, newest first, page by page. */
  list(filters: LogFilters = {}): AsyncGenerator<RequestLogEntry, void, undefined> {
    return cursorPaged((cursor) => this.api.call('listLogs', { query: { ...filters, cursor } }));
  }

  /** Per-connection request counts, errors, last error and last success over the last `sinceHours`. */
  summary(query: Query<'/api/v1/logs/summary', 'get'> = {}): Promise<LogSummary> {
    return this.api.call('logsSummary', { query });
  }

  /** Requests and errors per time bucket and connection, for a chart. */
  timeseries(query: Query<'/api/v1/logs/timeseries', 'get'> = {}): Promise<LogTimeseries> {
    return this.api.call('logsTimeseries', { query });
  }
}

/** Reads the audit log. */
export class Audit {
  constructor(private readonly api: ApiClient) {}

  /** Audit entries, newest first, page by page. */
  list(filters: AuditFilters = {}): AsyncGenerator<AuditEntry, void, undefined> {
    return cursorPaged(async (cursor) => {
      const page = await this.api.call('listAudit', { query: { ...filters, cursor } });
      return { items: page.items ?? [], nextCursor: page.nextCursor };
    });
  }
}
