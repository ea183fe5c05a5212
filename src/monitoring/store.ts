/** Storage of the SCIM request log. */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import type { Database, RequestLogsTable } from '../db/tables.js';
import { requestStartOf } from './scim-hook.js';

export type RequestLogRow = Selectable<RequestLogsTable>;

/** A request's log row is written when it answers: within this long of its start (no SCIM request runs as long). */
const REQUEST_LOGGED_WITHIN_MS = 15 * 60_000;
export type NewRequestLog = Insertable<RequestLogsTable>;

/** Filters of the log API. */
export interface LogQuery {
  tenantId?: string;
  connectionId?: string;
  /** An exact status, or a class: 2xx … 5xx, or `error` (≥ 400). */
  status?: number | '2xx' | '3xx' | '4xx' | '5xx' | 'error';
  from?: string;
  to?: string;
  /** Rows older (smaller seq) than this. */
  before?: number;
  /** The row of one request (request_id). */
  requestId?: string;
  limit: number;
}

/** A connection's request counts and latest outcomes. */
export interface ConnectionSummary {
  connectionId: string;
  /** The name on the connection's latest row that has one: names a connection deleted since. */
  connectionName: string | null;
  tenantId: string;
  requests: number;
  errors: number;
  lastRequestAt: string | null;
  lastSuccessAt: string | null;
  lastError: { at: string; status: number; scimType: string | null; detail: string | null; method: string; path: string } | null;
}

/**
 * A request's text as a log row keeps it: U+0000 (a `%00` in a query string, an error detail quoting
 * it) becomes U+FFFD. PostgreSQL text cannot hold U+0000, and one such row failed the INSERT of its
 * whole flush, every tenant's rows with it; SQLite stores the same text.
 */
function storableRow(row: NewRequestLog): NewRequestLog {
  let clean: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'string' && value.includes('\u0000')) (clean ??= { ...row })[key] = value.replaceAll('\u0000', '\uFFFD');
  }
  return (clean as NewRequestLog | undefined) ?? row;
}

export class RequestLogStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Writes a flush of log rows, each database its cheapest way (src/db/request-log.ts). */
  async insert(rows: readonly NewRequestLog[]): Promise<void> {
    const storable = rows.map(storableRow);
    if (storable.length === 0) return;
    await this.dialect.requestLog.insert(this.db, storable);
  }

  /** The tenant and name of each existing connection among `ids`. */
  async connectionsOf(ids: readonly string[]): Promise<Map<string, { tenantId: string; name: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('connections').select(['id', 'tenant_id', 'connection_name']).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [r.id, { tenantId: r.tenant_id, name: r.connection_name }]));
  }

  list(query: LogQuery): Promise<RequestLogRow[]> {
    let select = this.db.selectFrom('request_logs').selectAll();
    if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
    if (query.connectionId !== undefined) select = select.where('connection_id', '=', query.connectionId);
    if (query.from !== undefined) select = select.where('created_at', '>=', query.from);
    if (query.to !== undefined) select = select.where('created_at', '<', query.to);
    if (query.before !== undefined) select = select.where('seq', '<', query.before);
    if (query.requestId !== undefined) {
      // The id carries its request's start: only rows logged after it are read (request_id has no index).
      const start = requestStartOf(query.requestId);
      if (start === undefined) return Promise.resolve([]);
      select = select
        .where('created_at', '>=', new Date(start - 1000).toISOString())
        .where('created_at', '<', new Date(start + REQUEST_LOGGED_WITHIN_MS).toISOString())
        .where('request_id', '=', query.requestId);
    }
    const status = query.status;
    if (typeof status === 'number') select = select.where('status', '=', status);
    else if (status === 'error') select = select.where('status', '>=', 400);
    else if (status !== undefined) {
      const low = Number(status[0]) * 100;
      select = select.where('status', '>=', low).where('status', '<', low + 100);
    }
    return select.orderBy('seq', 'desc').limit(query.limit).execute();
  }

  /** Per-connection summary since `since`, for one tenant or all. */
  async summaries(since: string, tenantId?: string): Promise<ConnectionSummary[]> {
    let select = this.db
      .selectFrom('request_logs')
      .select([
        'connection_id',
        'tenant_id',
        (eb) => eb.fn.countAll<number>().as('requests'),
        sql<number>`sum(case when status >= 400 then 1 else 0 end)`.as('errors'),
        sql<string | null>`max(created_at)`.as('last_request_at'),
        sql<string | null>`max(case when status < 400 then created_at end)`.as('last_success_at'),
        sql<number | null>`max(case when status >= 400 then seq end)`.as('last_error_seq'),
        sql<number | null>`max(case when connection_name is not null then seq end)`.as('last_named_seq'),
      ])
      .where('created_at', '>=', since)
      .groupBy(['connection_id', 'tenant_id']);
    if (tenantId !== undefined) select = select.where('tenant_id', '=', tenantId);
    const rows = await select.execute();
    // The rows of each connection's last error and of its last name, read in one query.
    const seqs = [...new Set(rows.flatMap((r) => [r.last_error_seq, r.last_named_seq]).filter((s): s is number => s !== null).map(Number))];
    const picked = seqs.length > 0 ? await this.db.selectFrom('request_logs').selectAll().where('seq', 'in', seqs).execute() : [];
    const bySeq = new Map(picked.map((e) => [Number(e.seq), e]));
    return rows.map((r) => {
      const e = r.last_error_seq === null ? undefined : bySeq.get(Number(r.last_error_seq));
      return {
        connectionId: r.connection_id,
        connectionName: r.last_named_seq === null ? null : (bySeq.get(Number(r.last_named_seq))?.connection_name ?? null),
        tenantId: r.tenant_id,
        requests: Number(r.requests),
        errors: Number(r.errors),
        lastRequestAt: r.last_request_at,
        lastSuccessAt: r.last_success_at,
        lastError: e ? { at: e.created_at, status: e.status, scimType: e.scim_type, detail: e.detail, method: e.method, path: e.path } : null,
      };
    });
  }

  async deleteOlderThan(cutoff: string, batch: number): Promise<number> {
    const victims = this.db.selectFrom('request_logs').select('seq').where('created_at', '<', cutoff).orderBy('seq').limit(batch);
    const result = await this.db.deleteFrom('request_logs').where('seq', 'in', victims).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deletes the oldest rows beyond `maxRows`, at most `batch`; returns how many. */
  async trimToCount(maxRows: number, batch: number): Promise<number> {
    const newest = await this.db.selectFrom('request_logs').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    const top = Number(newest?.seq ?? 0);
    if (top <= maxRows) return 0;
    const victims = this.db.selectFrom('request_logs').select('seq').where('seq', '<=', top - maxRows).orderBy('seq').limit(batch);
    const result = await this.db.deleteFrom('request_logs').where('seq', 'in', victims).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
