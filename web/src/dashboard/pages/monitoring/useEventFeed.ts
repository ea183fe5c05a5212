/**
 * Reads the event feed page after page. The feed continues after a cursor in the order asked:
 * newest first, "Load more" appends older events until the first one; oldest first, it appends newer
 * ones and, at the end, checks for new ones.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../../../shared/api.js';
import type { FeedEvent, FeedPage } from './types.js';

/** Newest first (the page's default) or oldest first (the order the API and webhooks deliver in). */
export type FeedOrder = 'desc' | 'asc';

export function useEventFeed(filter: { tenantId: string; type: string; order: FeedOrder }, pageSize: number) {
  const [events, setEvents] = useState<FeedEvent[]>([]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | undefined>();
  /** The last page was short: the reader has reached the end of the feed in this order. */
  const [caughtUp, setCaughtUp] = useState(false);
  const generation = useRef(0);

  const load = useCallback(
    async (after: string | undefined, reset: boolean) => {
      const mine = reset ? ++generation.current : generation.current;
      setLoading(true);
      setError(undefined);
      try {
        const page = await api.get<FeedPage>('/api/v1/events', { after, order: filter.order, limit: pageSize, tenantId: filter.tenantId, types: filter.type });
        if (mine !== generation.current) return;
        setEvents((current) => (reset ? page.items : [...current, ...page.items]));
        setCursor(page.nextCursor);
        setCaughtUp(page.items.length < pageSize);
      } catch (e) {
        if (mine === generation.current) setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [filter.tenantId, filter.type, filter.order, pageSize],
  );

  useEffect(() => {
    setEvents([]);
    setCursor(undefined);
    setCaughtUp(false);
    void load(undefined, true);
  }, [load]);

  return {
    events,
    loading,
    error,
    caughtUp,
    loadMore: () => void load(cursor, false),
    /** Reads the feed again from its start in this order (newest first: the latest events). */
    reload: () => void load(undefined, true),
    retry: () => void load(cursor, events.length === 0),
  };
}
