/**
 * Async iterators over the API's paged lists, fetching one page at a time as the caller consumes them.
 * Two styles exist: cursor pages (`cursor` + `limit` → `{items, nextCursor}`, null or absent at the end)
 * and the Frontegg-compatible offset pages (`_limit` + `_offset` → `{items, _metadata}`).
 */

/** A page of a cursor-paged list. */
export interface CursorPage<T> {
  items: T[];
  nextCursor?: string | null;
}

/** A page of an offset-paged list. */
export interface OffsetPage<T> {
  items: T[];
  _metadata: { totalItems: number };
}

/** Every item of a cursor-paged list; `fetchPage` gets undefined for the first page. */
export async function* cursorPaged<T>(fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.items;
    const next = page.nextCursor ?? undefined;
    // A cursor that does not move would read the same page forever.
    if (next === undefined || next === cursor) return;
    cursor = next;
  }
}

/**
 * Every item of an offset-paged list; `fetchPage` gets the offset of the page to read. Offsets count
 * positions, so a resource created or deleted while this runs can shift others across a page boundary.
 */
export async function* offsetPaged<T>(fetchPage: (offset: number) => Promise<OffsetPage<T>>): AsyncGenerator<T, void, undefined> {
  let offset = 0;
  for (;;) {
    const page = await fetchPage(offset);
    yield* page.items;
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page._metadata.totalItems) return;
  }
}
