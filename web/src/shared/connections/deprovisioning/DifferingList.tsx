/**
 * The users whose view in the app differs from the identity provider: their deprovisioning was
 * discarded. They stay listed until the identity provider next changes them.
 */
import { plural } from '../../format.js';
import { EmptyState, ErrorState, FormError, Loading } from '../../ui/States.js';
import { HeldChangesTable } from './HeldChangesTable.js';
import { LoadMore } from './LoadMore.js';
import { useHeldChanges } from './use-held-changes.js';

export function DifferingList({ connectionId, differing, app, requestHref, refreshKey }: { connectionId: string; differing: number; app: string; requestHref?: (requestId: string) => string; refreshKey: number }) {
  const list = useHeldChanges(connectionId, 'discarded', refreshKey);
  if (list.error) return <ErrorState error={list.error} retry={list.reload} title="The discarded changes could not be loaded" />;
  if (!list.items) return <Loading label="Loading the discarded changes…" />;
  if (list.items.length === 0) return <EmptyState title="Nothing differs">No deprovisioning was discarded: {app} and the identity provider agree.</EmptyState>;
  return (
    <>
      <p className="hint">
        These changes were discarded: {app} kept these users as they were, while the identity provider shows them deactivated, deleted or without the
        roles. Each stays listed until the identity provider next changes the user.
      </p>
      <HeldChangesTable items={list.items} caption="Discarded changes: users that differ from the identity provider" requestHref={requestHref} />
      <LoadMore list={list}>
        {plural(list.items.length, 'change')} shown; {plural(differing, 'user')} differ in all
      </LoadMore>
      <FormError error={list.loadMore.error} />
    </>
  );
}
