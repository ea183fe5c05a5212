/** The event feed as a reader sees it once every committed event has become visible. */
import type { Db } from '../../src/db/open.js';
import { FEED_START } from '../../src/events/cursor.js';
import { EventStore, type EventRow } from '../../src/events/store.js';

/**
 * The whole feed, once it shows every committed event. A feed may hold back events while older
 * transactions run (src/db/event-log.ts), other test files' transactions on the same server among
 * them, so this polls until they have ended.
 */
export async function settledFeed(db: Db, timeoutMs = 20_000): Promise<EventRow[]> {
  const store = new EventStore(db.kysely, db.dialect);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stored = await db.kysely.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await store.list({ after: FEED_START, limit: 10_000 });
    if (rows.length === Number(stored.n)) return rows;
    if (Date.now() > deadline) throw new Error(`the feed shows ${rows.length} of ${stored.n} committed events`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
