/**
 * The event outbox. Events are written in the transaction of the change they describe; the feed
 * reads them in (transaction, sequence) order and, on PostgreSQL, only below the oldest transaction
 * still running, so a page never skips an event that commits after a later one.
 */
import { newId } from '../security/ids.js';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import { insertRows, type FixedColumn, type InsertSink } from '../db/prepared-insert.js';
import type { Database, EventsTable } from '../db/tables.js';
import { chunks } from '../scim/store/scope.js';
import type { FeedPosition } from './cursor.js';
import type { EventType, NewEvent, RollcallEvent } from './types.js';

export type EventRow = Selectable<EventsTable>;

/** The id of the current transaction (PostgreSQL); SQLite writes one transaction at a time. */
export const TX_ORDER: FixedColumn<'tx_order'> = { name: 'tx_order', sql: { postgres: 'pg_current_xact_id()::text::bigint', sqlite: '0' } };

/** Events after a position, optionally by tenant and types. */
export interface FeedQuery {
  after: FeedPosition;
  limit: number;
  tenantId?: string;
  types?: readonly EventType[];
}

export function toEvent(row: EventRow): RollcallEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    occurredAt: row.occurred_at,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

/** Storage port of the events domain. */
export class EventStore {
  /** `batch`: appends are added to it instead of run, for a caller to send (src/db/write-batch.ts). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly batch?: InsertSink,
  ) {}

  /** Appends events in the caller's transaction. */
  async append(scope: { tenantId: string; connectionId: string | null }, events: readonly NewEvent[], now: string): Promise<void> {
    if (events.length === 0) return;
    // A prepared text, not Kysely's builder: every SCIM write appends here (src/db/prepared-insert.ts).
    const rows = events.map((event) => ({
      id: newId(),
      type: event.type,
      tenant_id: scope.tenantId,
      connection_id: scope.connectionId,
      resource_id: event.resourceId,
      occurred_at: now,
      data: JSON.stringify(event.data),
    }));
    // A batch takes any number of rows as one parameter per column; a VALUES list is kept short.
    if (this.batch) this.batch.add('events', rows, [TX_ORDER]);
    else for (const part of chunks(rows, 200)) await insertRows(this.db, this.dialect, 'events', part, [TX_ORDER]);
  }

  /** A page of the feed after `query.after`, in feed order. */
  list(query: FeedQuery): Promise<EventRow[]> {
    const { after } = query;
    let select = this.db
      .selectFrom('events')
      .selectAll()
      .where((eb) => eb.or([eb('tx_order', '>', after.txOrder), eb.and([eb('tx_order', '=', after.txOrder), eb('seq', '>', after.seq)])]));
    if (this.dialect.name === 'postgres') {
      // Only transactions older than every running one: their events can no longer appear late.
      select = select.where(sql<boolean>`tx_order < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`);
    }
    if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
    if (query.types && query.types.length > 0) select = select.where('type', 'in', [...query.types]);
    return select.orderBy('tx_order').orderBy('seq').limit(query.limit).execute();
  }

  /** Deletes events that occurred before `cutoff`, at most `batch` at a time; returns how many. */
  async deleteOlderThan(cutoff: string, batch: number): Promise<number> {
    const victims = this.db.selectFrom('events').select('seq').where('occurred_at', '<', cutoff).orderBy('seq').limit(batch);
    const result = await this.db.deleteFrom('events').where('seq', 'in', victims).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
