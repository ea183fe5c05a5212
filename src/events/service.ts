/** The event feed: reading it with cursors, and trimming it by age. */
import type { Db } from '../db/open.js';
import { validationFailed } from '../http/api-errors.js';
import type { Job } from '../jobs/scheduler.js';
import { FEED_END, FEED_START, decodeCursor, encodeCursor, type FeedOrder } from './cursor.js';
import { EventStore, toEvent } from './store.js';
import type { EventType, RollcallEvent } from './types.js';

/** A page of the feed; `nextCursor` continues after the last event (or stays put when empty). */
export interface EventPage {
  items: (RollcallEvent & { cursor: string })[];
  nextCursor: string;
}

const DAY_MS = 86_400_000;

/** Logic of the events domain. */
export class EventService {
  private readonly store: EventStore;

  constructor(db: Db, private readonly retentionDays: number) {
    this.store = new EventStore(db.kysely, db.dialect);
  }

  /** A page of the feed; `order` desc reads newest first, and its cursors continue to older events. */
  async page(query: { after?: string; order?: FeedOrder; limit: number; tenantId?: string; types?: EventType[] }): Promise<EventPage> {
    const order = query.order ?? 'asc';
    const after = query.after ? decodeCursor(query.after) : order === 'asc' ? FEED_START : FEED_END;
    if (!after) throw validationFailed('after is not a cursor returned by this API', 'querystring.after');
    const rows = await this.store.list({ after, order, limit: query.limit, tenantId: query.tenantId, types: query.types });
    const last = rows.at(-1);
    return {
      // Each event carries the cursor of its own position, so a reader can checkpoint after any one event.
      items: rows.map((row) => ({ ...toEvent(row), cursor: encodeCursor({ txOrder: row.tx_order, seq: row.seq }) })),
      nextCursor: encodeCursor(last ? { txOrder: last.tx_order, seq: last.seq } : after),
    };
  }

  /** The retention job: deletes events past their retention, in bounded batches. */
  retentionJob(): Job {
    return {
      name: 'events.retention',
      intervalMs: 60_000,
      run: async () => {
        const cutoff = new Date(Date.now() - this.retentionDays * DAY_MS).toISOString();
        return (await this.store.deleteOlderThan(cutoff, 5000)) === 5000;
      },
    };
  }
}
