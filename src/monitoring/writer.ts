/**
 * Buffers SCIM request log rows and writes them in batches, off the request path: a SCIM request
 * only pushes to an array. A crash loses at most the last flush interval of log rows, never data.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { NewRequestLog, RequestLogStore } from './store.js';

/**
 * A log row before its tenant is known (401s carry only the connection id of the URL) and before
 * the connection's name is added at the flush.
 */
export type PendingLog = Omit<NewRequestLog, 'tenant_id' | 'connection_name'> & { tenant_id: string | null };

const FLUSH_INTERVAL_MS = 250;
const FLUSH_AT_ROWS = 500;
/** Beyond this many unwritten rows (a database outage), new rows are dropped rather than hoarded. */
const MAX_BUFFERED = 50_000;

export class RequestLogWriter {
  private buffer: PendingLog[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private dropped = 0;
  /** Rows dropped since the process started, for metrics (`dropped` restarts once it is logged). */
  private droppedTotal = 0;
  /** Rows taken from the buffer by the write under way. */
  private writing = 0;

  constructor(
    private readonly store: RequestLogStore,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Rows not yet written (buffered or being written) and rows dropped since start, for metrics (src/metrics). */
  stats(): { queued: number; dropped: number } {
    return { queued: this.buffer.length + this.writing, dropped: this.droppedTotal };
  }

  /** Queues one row; cheap enough for the SCIM hot path. */
  push(row: PendingLog): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      this.dropped++;
      this.droppedTotal++;
      return;
    }
    this.buffer.push(row);
    if (this.buffer.length >= FLUSH_AT_ROWS) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** Writes everything buffered so far. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.writing = rows.length;
    this.flushing = this.write(rows).finally(() => {
      this.flushing = undefined;
      this.writing = 0;
    });
    await this.flushing;
  }

  private async write(rows: PendingLog[]): Promise<void> {
    try {
      // One read per flush names every connection of the flush, so the log still names one deleted later.
      const connections = await this.store.connectionsOf([...new Set(rows.map((r) => r.connection_id))]);
      // A request for a connection that does not exist (scanning noise) belongs to no tenant: not kept.
      const complete = rows.flatMap((r) => {
        const connection = connections.get(r.connection_id);
        const tenant = r.tenant_id ?? connection?.tenantId;
        return tenant ? [{ ...r, tenant_id: tenant, connection_name: connection?.name ?? null }] : [];
      });
      await this.store.insert(complete);
      if (this.dropped > 0) {
        this.log.warn({ dropped: this.dropped }, 'request log rows dropped while the database was unavailable');
        this.dropped = 0;
      }
    } catch (error) {
      this.log.error({ err: error, rows: rows.length }, 'could not write request log rows');
    }
  }
}
