/** The event feed your app reads (GET /api/v1/events): filter by account and type, expand an event to its data. */
import { Fragment, useState } from 'react';
import { setQuery, useLocation } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { SelectField } from '../../../shared/ui/Field.js';
import { Badge, Card, PageHeader, RawJson } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { TenantSelect } from './TenantSelect.js';
import { formatTimeWithSeconds } from './time.js';
import { EVENT_TYPES } from '../../../shared/event-types.js';
import { ExpandButton } from './ExpandButton.js';
import type { FeedEvent } from './types.js';
import { useConnections } from './useConnections.js';
import { useEventFeed } from './useEventFeed.js';
import './monitoring.css';

const PAGE_SIZE = 50;

/** A short line naming what the event is about. */
function subjectOf(event: FeedEvent): string {
  const d = event.data;
  const text = (key: string) => (typeof d[key] === 'string' ? (d[key]) : undefined);
  if (event.type.startsWith('user.')) return text('userName') ?? text('email') ?? text('id') ?? '';
  if (event.type === 'group.user_added' || event.type === 'group.user_removed') return `user ${text('userId') ?? '?'} · group ${text('groupId') ?? '?'}`;
  if (event.type.startsWith('group.')) return text('displayName') ?? text('id') ?? '';
  if (event.type.startsWith('connection.')) return text('connectionName') ?? text('id') ?? '';
  return '';
}

const tone = (type: string) => (type.endsWith('.deleted') || type.endsWith('.deactivated') || type.endsWith('_removed') ? 'warn' : type.endsWith('.created') || type.endsWith('_added') ? 'good' : 'neutral');

export function EventsPage() {
  const { query } = useLocation();
  const tenantId = query.get('tenantId') ?? '';
  const rawType = query.get('type') ?? '';
  const type = (EVENT_TYPES as readonly string[]).includes(rawType) ? rawType : '';
  const feed = useEventFeed({ tenantId, type }, PAGE_SIZE);
  const connections = useConnections(tenantId);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  let body;
  if (feed.events.length === 0 && feed.error) body = <ErrorState error={feed.error} retry={feed.retry} title="The events could not be loaded" />;
  else if (feed.events.length === 0 && feed.loading) body = <Loading label="Loading events…" />;
  else if (feed.events.length === 0)
    body = (
      <EmptyState title={tenantId || type ? 'No events match these filters' : 'No events yet'} action={<Button onClick={feed.loadMore}>Check for new events</Button>}>
        Events are written when identity providers create, change or delete users and groups, and when connections are created or deleted.
      </EmptyState>
    );
  else
    body = (
      <>
        <div className="table-wrap">
          <table className="log-table" aria-busy={feed.loading || undefined}>
            <caption className="sr-only">Events, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Data</span>
                </th>
                <th scope="col">Time</th>
                <th scope="col">Type</th>
                <th scope="col">About</th>
                <th scope="col">Account</th>
                <th scope="col">Connection</th>
              </tr>
            </thead>
            <tbody>
              {feed.events.map((event) => {
                const expanded = open.has(event.id);
                const dataId = `event-data-${event.id}`;
                return (
                  <Fragment key={event.id}>
                    <tr>
                      <td>
                        <ExpandButton expanded={expanded} controls={dataId} title="Show the event’s data" label={`Data of ${event.type} ${event.id}`} onToggle={() => toggle(event.id)} />
                      </td>
                      <td className="nowrap">{formatTimeWithSeconds(event.occurredAt)}</td>
                      <td>
                        <Badge tone={tone(event.type)}>{event.type}</Badge>
                      </td>
                      <td className="wrap">{subjectOf(event)}</td>
                      <td>
                        <code>{event.tenantId}</code>
                      </td>
                      <td className="wrap">{event.connectionId ? (connections.byId.get(event.connectionId)?.connectionName ?? <code>{event.connectionId}</code>) : <span className="muted">—</span>}</td>
                    </tr>
                    {expanded ? (
                      <tr className="log-details">
                        <td colSpan={6} id={dataId}>
                          <p className="hint">
                            Event <code>{event.id}</code>, as your app and webhooks receive it:
                          </p>
                          <RawJson value={event} label={`Data of event ${event.id}`} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
        {feed.error ? <ErrorState error={feed.error} retry={feed.retry} title="More events could not be loaded" /> : null}
        <div className="pager">
          <span className="muted" role="status">
            {feed.events.length} events{feed.caughtUp ? ' · you have reached the newest event' : ''}
          </span>
          <Button onClick={feed.loadMore} busy={feed.loading}>
            {feed.caughtUp ? 'Check for new events' : 'Load more'}
          </Button>
        </div>
      </>
    );

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
        </div>
        {body}
      </Card>
    </>
  );
}
