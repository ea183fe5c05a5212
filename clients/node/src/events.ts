/**
 * `rollcall.events`: the event feed (docs/events-webhooks.md). `list` reads one page; `follow` reads the
 * feed for as long as the caller wants, in order, from a checkpoint the caller stores.
 */
import type { ApiClient } from './api-client.js';
import type { Json, Query } from './operations.js';
import { sleep } from './retry.js';

/** A page of the feed. */
export type EventPage = Json<'/api/v1/events', 'get'>;
/** An event of the feed, with `cursor`: the position to pass as `after` to continue after it. */
export type FeedEvent = EventPage['items'][number];
/** The type of an event (`user.created`, `group.user_added`…). */
export type EventType = FeedEvent['type'];

/** Parameters of `events.list`; `types` may be an array. */
export type EventListParams = Omit<Query<'/api/v1/events', 'get'>, 'types'> & { types?: string | readonly EventType[] };

/** Options of `events.follow`. */
export interface FollowOptions {
  /** The checkpoint: the `cursor` of the last event handled. Absent: from the oldest retained event. */
  after?: string;
  /** Only these event types. */
  types?: readonly EventType[];
  /** Only this tenant's events. */
  tenantId?: string;
  /** Aborting it ends the iteration quietly: the loop simply finishes. */
  signal?: AbortSignal;
  /** Events per request, 1–1000 (default 100). */
  pageSize?: number;
  /** The first wait after an empty page, in ms (default 250); it doubles on each further empty page. */
  idleDelayMs?: number;
  /** The longest wait between polls of an idle feed, in ms (default 5000). */
  maxIdleDelayMs?: number;
}

/** Reads the event feed. */
export class Events {
  constructor(private readonly api: ApiClient) {}

  /** One page of the feed: pass its `nextCursor` (or an item's `cursor`) as `after` to continue. */
  list(params: EventListParams = {}, options: { signal?: AbortSignal } = {}): Promise<EventPage> {
    const { types, ...rest } = params;
    return this.api.call('listEvents', { query: { ...rest, types: typeof types === 'string' || types === undefined ? types : types.join(',') }, signal: options.signal });
  }

  /**
   * Every event from `after` on, in feed order, waiting for new ones when it reaches the end: an empty
   * page is followed by a wait that grows from `idleDelayMs` to `maxIdleDelayMs` and starts over when
   * events arrive. The position advances only by the cursors the server returns, so nothing is skipped or
   * read twice: store each event's `cursor` once it is handled, and pass it as `after` to resume there.
   * A request that fails is retried by the client from the same position; once the retries are spent the
   * error is thrown. Aborting `signal` ends the iteration without an error.
   */
  async *follow(options: FollowOptions = {}): AsyncGenerator<FeedEvent, void, undefined> {
    const { signal, tenantId, types } = options;
    const idleDelay = options.idleDelayMs ?? 250;
    const maxIdleDelay = Math.max(idleDelay, options.maxIdleDelayMs ?? 5000);
    let after = options.after;
    let wait = idleDelay;
    while (!signal?.aborted) {
      let page: EventPage;
      try {
        page = await this.list({ after, types, tenantId, limit: options.pageSize }, { signal });
      } catch (error) {
        if (signal?.aborted) return;
        throw error;
      }
      for (const event of page.items) {
        // Events not yet handed out are left for the next reader, who resumes after the last one handled.
        if (signal?.aborted) return;
        yield event;
      }
      after = page.nextCursor;
      if (page.items.length > 0) {
        wait = idleDelay;
        continue;
      }
      try {
        await sleep(wait, signal);
      } catch {
        return; // sleep only fails when the signal aborts
      }
      wait = Math.min(wait * 2, maxIdleDelay);
    }
  }
}
