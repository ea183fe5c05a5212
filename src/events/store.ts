/**
 * The event outbox. Events are written in the transaction of the change they describe; the feed
 * reads them in (transaction, sequence) order, and only the events that no transaction still running
 * can precede, so a page never skips an event that commits after a later one (src/db/event-log.ts).
 */
import { newId } from '../security/ids.js';
import type { Kysely, Selectable } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import { TX_ORDER } from '../db/event-log.js';
import { insertRows, type InsertSink } from '../db/prepared-insert.js';
import type { Database, EventsTable } from '../db/tables.js';
import { chunks } from '../scim/store/scope.js';
import type { FeedOrder, FeedPosition } from './cursor.js';
import type { EventType, NewEvent, RollcallEvent } from './types.js';

// Statements that write events without this store name the column alike (src/db/postgres/member-change.ts).
export { TX_ORDER } from '../db/event-log.js';

export type EventRow = Selectable<EventsTable>;

/** Events after a position in the order read, optionally by tenant and types. */
export interface FeedQuery {
  after: FeedPosition;
  /** Oldest first when absent. */
  order?: FeedOrder;
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
  /** `batch`: appends are added to it instead of run, for a caller to send (src/db/postgres/write-batch.ts). */
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

  /**
   * A page of the feed after `query.after` in the order asked: oldest first (later positions), or
   * newest first (earlier positions). Either way only settled events, so nothing appears later
   * behind a position a reader has passed.
   */
  list(query: FeedQuery): Promise<EventRow[]> {
    const { after } = query;
    const [beyond, direction] = query.order !== 'desc' ? (['>', 'asc'] as const) : (['<', 'desc'] as const);
    let select = this.dialect.eventLog.settled(
      this.db
        .selectFrom('events')
        .selectAll()
        .where((eb) => eb.or([eb('tx_order', beyond, after.txOrder), eb.and([eb('tx_order', '=', after.txOrder), eb('seq', beyond, after.seq)])])),
    );
    if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
    if (query.types && query.types.length > 0) select = select.where('type', 'in', [...query.types]);
    return select.orderBy('tx_order', direction).orderBy('seq', direction).limit(query.limit).execute();
  }

  /**
   * The last position of the feed that can no longer gain events before it, by the same rule as
   * `list`; the start of the feed when it has none.
   */
  async head(): Promise<FeedPosition> {
    const query = this.dialect.eventLog.settled(this.db.selectFrom('events').select(['tx_order', 'seq']));
    const row = await query.orderBy('tx_order', 'desc').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row ? { txOrder: row.tx_order, seq: row.seq } : { txOrder: 0, seq: 0 };
  }

  /** Deletes events that occurred before `cutoff`, at most `batch` at a time; returns how many. */
  async deleteOlderThan(cutoff: string, batch: number): Promise<number> {
    const victims = this.db.selectFrom('events').select('seq').where('occurred_at', '<', cutoff).orderBy('seq').limit(batch);
    const result = await this.db.deleteFrom('events').where('seq', 'in', victims).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
