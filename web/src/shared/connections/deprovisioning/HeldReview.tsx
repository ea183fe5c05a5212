/**
 * The review of a connection's held changes: the list (oldest first, "Load more"), per-row checkboxes,
 * and Release / Discard for the selected ones or for all, the "all" actions confirmed first with what
 * they do. Without the write permission the list is shown and nothing changed.
 */
import { useState } from 'react';
import { api } from '../../api.js';
import { plural } from '../../format.js';
import { Button } from '../../ui/Button.js';
import { EmptyState, ErrorState, FormError, Loading } from '../../ui/States.js';
import { useAction } from '../../use-api.js';
import { ConfirmPanel } from './ConfirmPanel.js';
import { HeldChangesTable } from './HeldChangesTable.js';
import { LoadMore } from './LoadMore.js';
import { paths, type Discarded, type Released } from './types.js';
import { useHeldChanges } from './use-held-changes.js';
import { discardMeaning, releaseMeaning } from './words.js';

type Action = 'release' | 'discard';

export interface HeldReviewProps {
  connectionId: string;
  /** Every held change of the connection (the list may show fewer until "Load more"). */
  held: number;
  canReview: boolean;
  readOnlyNote?: string;
  /** "the app", or the product's name in the portal. */
  app: string;
  requestHref?: (requestId: string) => string;
  refreshKey: number;
  /** After a release or discard, with what happened in words. */
  onReviewed: (message: string) => void;
}

export function HeldReview({ connectionId, held, canReview, readOnlyNote, app, requestHref, refreshKey, onReviewed }: HeldReviewProps) {
  const list = useHeldChanges(connectionId, 'held', refreshKey);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<Action>();
  const items = list.items ?? [];
  // Only what is still listed counts as selected.
  const selected = new Set(items.filter((item) => picked.has(item.id)).map((item) => item.id));

  const act = useAction(async (action: Action, ids?: string[]) => {
    const body = ids ? { ids } : {};
    if (action === 'release') return (await api.post<Released>(paths.release(connectionId), body)).released;
    return (await api.post<Discarded>(paths.discard(connectionId), body)).discarded;
  });
  const run = async (action: Action, ids?: string[]) => {
    const count = await act.run(action, ids);
    if (count === undefined) return;
    setPicked(new Set());
    setConfirming(undefined);
    onReviewed(action === 'release' ? `Released ${plural(count, 'change')}: ${app} applies them now.` : `Discarded ${plural(count, 'change')}: ${app} keeps its view of these users.`);
  };

  if (list.error) return <ErrorState error={list.error} retry={list.reload} title="The held changes could not be loaded" />;
  if (!list.items) return <Loading label="Loading the held changes…" />;
  if (items.length === 0)
    return <EmptyState title="Nothing is held">Deprovisioning changes from the identity provider apply as they come, unless the guard trips or the connection is in review mode.</EmptyState>;

  const selection = canReview
    ? {
        selected,
        toggle: (id: string) =>
          setPicked(() => {
            const next = new Set(selected);
            if (next.has(id)) next.delete(id);
            else next.add(id);
            return next;
          }),
        setAll: (on: boolean) => setPicked(on ? new Set(items.map((item) => item.id)) : new Set()),
      }
    : undefined;

  return (
    <>
      {!canReview && readOnlyNote ? (
        <p className="callout callout-info" role="note">
          {readOnlyNote}
        </p>
      ) : null}
      <HeldChangesTable items={items} caption="Held changes, oldest first" selection={selection} requestHref={requestHref} />
      <LoadMore list={list}>
        {items.length} of {plural(held, 'held change')} shown
      </LoadMore>
      <FormError error={list.loadMore.error ?? act.error} />
      {canReview ? (
        confirming ? (
          <ConfirmAll action={confirming} held={held} app={app} busy={act.busy} onConfirm={() => void run(confirming)} onCancel={() => setConfirming(undefined)} />
        ) : (
          <>
            <div className="held-actions" role="group" aria-label="Review actions">
              <Button variant="primary" disabled={selected.size === 0} busy={act.busy} onClick={() => void run('release', [...selected])}>
                Release selected{selected.size > 0 ? ` (${selected.size})` : ''}
              </Button>
              <Button disabled={selected.size === 0} busy={act.busy} onClick={() => void run('discard', [...selected])}>
                Discard selected{selected.size > 0 ? ` (${selected.size})` : ''}
              </Button>
              <span className="spacer" />
              <Button onClick={() => setConfirming('release')} disabled={act.busy}>
                Release all
              </Button>
              <Button onClick={() => setConfirming('discard')} disabled={act.busy}>
                Discard all
              </Button>
            </div>
            <p className="hint">{releaseMeaning(app)}</p>
            <p className="hint">{discardMeaning(app)}</p>
          </>
        )
      ) : null}
    </>
  );
}

/** "Release all 5 held changes?" with what it does. */
function ConfirmAll({ action, held, app, busy, onConfirm, onCancel }: { action: Action; held: number; app: string; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const verb = action === 'release' ? 'Release' : 'Discard';
  return (
    <ConfirmPanel question={`${verb} all ${plural(held, 'held change')}?`} confirmLabel={`${verb} all ${plural(held, 'change')}`} danger={action === 'discard'} busy={busy} onConfirm={onConfirm} onCancel={onCancel}>
      {action === 'release' ? releaseMeaning(app) : discardMeaning(app)}
    </ConfirmPanel>
  );
}
