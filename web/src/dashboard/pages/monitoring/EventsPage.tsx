/**
 * The event feed your app reads (GET /api/v1/events): newest first, or oldest first as the API
 * delivers it; filtered by account and type; membership events name their user and group.
 */
import { plural } from '../../../shared/format.js';
import { setQuery, useLocation } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { SelectField } from '../../../shared/ui/Field.js';
import { Card, PageHeader } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { EVENT_TYPES } from '../../../shared/event-types.js';
import { EventTable } from './EventTable.js';
import { TenantSelect } from './TenantSelect.js';
import { useConnections } from './useConnections.js';
import { useDirectoryNames } from './useDirectoryNames.js';
import { useEventFeed, type FeedOrder } from './useEventFeed.js';
import './monitoring.css';

const PAGE_SIZE = 50;

export function EventsPage() {
  const { query } = useLocation();
  const tenantId = query.get('tenantId') ?? '';
  const rawType = query.get('type') ?? '';
  const type = (EVENT_TYPES as readonly string[]).includes(rawType) ? rawType : '';
  // Newest first unless the URL asks for the feed's own order.
  const order: FeedOrder = query.get('order') === 'oldest' ? 'asc' : 'desc';
  const newestFirst = order === 'desc';
  const feed = useEventFeed({ tenantId, type, order }, PAGE_SIZE);
  const connections = useConnections(tenantId, feed.events.map((event) => event.connectionId));
  const names = useDirectoryNames(feed.events);

  let body;
  if (feed.events.length === 0 && feed.error) body = <ErrorState error={feed.error} retry={feed.retry} title="The events could not be loaded" />;
  else if (feed.events.length === 0 && feed.loading) body = <Loading label="Loading events…" />;
  else if (feed.events.length === 0)
    body = (
      <EmptyState title={tenantId || type ? 'No events match these filters' : 'No events yet'} action={<Button onClick={feed.reload}>Check for new events</Button>}>
        Events are written when identity providers create, change or delete users and groups, and when connections are created or deleted.
      </EmptyState>
    );
  else {
    const end = newestFirst ? ' · you have reached the oldest event' : ' · you have reached the newest event';
    body = (
      <>
        <EventTable events={feed.events} names={names} live={connections.live} newestFirst={newestFirst} busy={feed.loading} />
        {feed.error ? <ErrorState error={feed.error} retry={feed.retry} title="More events could not be loaded" /> : null}
        <div className="pager">
          <span className="muted" role="status">
            {plural(feed.events.length, 'event')}
            {feed.caughtUp ? end : ''}
          </span>
          {newestFirst ? (
            <span className="inline">
              {feed.caughtUp ? null : (
                <Button onClick={feed.loadMore} busy={feed.loading}>
                  Load older events
                </Button>
              )}
              <Button onClick={feed.reload}>Check for new events</Button>
            </span>
          ) : (
            <Button onClick={feed.loadMore} busy={feed.loading}>
              {feed.caughtUp ? 'Check for new events' : 'Load more'}
            </Button>
          )}
        </div>
      </>
    );
  }

  return (
    <>
      <PageHeader title="Events" subtitle="The ordered feed of provisioning changes your app reads from GET /api/v1/events (oldest first) and receives through webhooks." />
      <Card>
        <div className="toolbar" role="group" aria-label="Filters">
          <TenantSelect value={tenantId} onChange={(id) => setQuery({ tenantId: id })} />
          <SelectField label="Type" value={type} onChange={(e) => setQuery({ type: e.target.value })}>
            <option value="">All types</option>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </SelectField>
          <SelectField label="Order" value={newestFirst ? 'newest' : 'oldest'} onChange={(e) => setQuery({ order: e.target.value === 'oldest' ? 'oldest' : undefined })}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
          </SelectField>
        </div>
        {body}
      </Card>
    </>
  );
}
