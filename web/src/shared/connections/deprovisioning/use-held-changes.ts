/**
 * A connection's held (or discarded) changes, oldest first: the first page, and more appended with
 * "Load more" (the API's nextCursor). A new `refreshKey` (after a release or discard) starts again.
 */
import { api } from '../../api.js';
import { useAction, useApi } from '../../use-api.js';
import { useState } from 'react';
import { paths, type HeldChange, type HeldChangePage, type HeldChangeStatus } from './types.js';

const PAGE_SIZE = 50;

/** The changes loaded so far, and "Load more" while the API has another page. */
export type HeldChangeList = ReturnType<typeof useHeldChanges>;

export function useHeldChanges(connectionId: string, status: HeldChangeStatus, refreshKey: number) {
  const first = useApi(() => api.get<HeldChangePage>(paths.heldChanges(connectionId), { status, limit: PAGE_SIZE }), [connectionId, status, refreshKey]);
  const key = `${connectionId}|${status}|${refreshKey}`;
  const [more, setMore] = useState<{ key: string; items: HeldChange[]; nextCursor: string | null }>();
  const extra = more?.key === key ? more : undefined;
  const nextCursor = extra ? extra.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = useAction(async () => {
    if (!nextCursor) return;
    const page = await api.get<HeldChangePage>(paths.heldChanges(connectionId), { status, limit: PAGE_SIZE, cursor: nextCursor });
    setMore({ key, items: [...(extra?.items ?? []), ...page.items], nextCursor: page.nextCursor });
  });
  let items: HeldChange[] | undefined;
  if (first.data) {
    // A change released meanwhile can shift a page: each id once.
    const seen = new Set<string>();
    items = [...first.data.items, ...(extra?.items ?? [])].filter((item) => !seen.has(item.id) && Boolean(seen.add(item.id)));
  }
  return { items, error: first.error, loading: first.loading, reload: first.reload, nextCursor, loadMore };
}
