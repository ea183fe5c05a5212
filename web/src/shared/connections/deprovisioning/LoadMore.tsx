/** "Load more" under a list of held (or discarded) changes while the API has another page, with how many are shown. */
import type { ReactNode } from 'react';
import { Button } from '../../ui/Button.js';
import type { HeldChangeList } from './use-held-changes.js';

export function LoadMore({ list, children }: { list: Pick<HeldChangeList, 'nextCursor' | 'loadMore'>; children: ReactNode }) {
  if (!list.nextCursor) return null;
  return (
    <div className="pager">
      <span className="muted">{children}</span>
      <Button onClick={() => void list.loadMore.run()} busy={list.loadMore.busy}>
        Load more
      </Button>
    </div>
  );
}
