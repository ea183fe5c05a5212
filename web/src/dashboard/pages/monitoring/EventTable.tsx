/** A page of the event feed as a table: time, type, what it is about (by name), account, connection; each event expands to its JSON. */
import { Fragment } from 'react';
import type { Connection } from '../../../shared/types.js';
import { Badge, RawJson } from '../../../shared/ui/Layout.js';
import type { Names } from './directory-names.js';
import { ExpandButton } from './ExpandButton.js';
import { formatTimeWithSeconds } from './time.js';
import type { FeedEvent } from './types.js';
import './monitoring.css';
import { useToggleSet } from '../../../shared/use-toggle-set.js';

/** A short line naming what the event is about; ids the page cannot name stay ids. */
export function subjectOf(event: FeedEvent, names: Names): string {
  const d = event.data;
  const text = (key: string) => (typeof d[key] === 'string' ? d[key] : undefined);
  if (event.type === 'group.user_added' || event.type === 'group.user_removed') {
    const [userId, groupId] = [text('userId'), text('groupId')];
    const user = (userId && names.users.get(userId)) ?? userId ?? '?';
    const group = (groupId && names.groups.get(groupId)) ?? groupId ?? '?';
    return event.type === 'group.user_added' ? `${user} added to ${group}` : `${user} removed from ${group}`;
  }
  if (event.type.startsWith('user.')) return text('userName') ?? text('email') ?? text('id') ?? '';
  if (event.type.startsWith('group.')) return text('displayName') ?? text('id') ?? '';
  if (event.type.startsWith('connection.')) return text('connectionName') ?? text('id') ?? '';
  return '';
}

const tone = (type: string) => (type.endsWith('.deleted') || type.endsWith('.deactivated') || type.endsWith('_removed') ? 'warn' : type.endsWith('.created') || type.endsWith('_added') ? 'good' : 'neutral');

/** A live connection by its name; one deleted since by the name its events gave it, marked so. */
function ConnectionCell({ id, live, names }: { id: string | null; live: ReadonlyMap<string, Connection> | undefined; names: Names }) {
  if (!id) return <span className="muted">—</span>;
  const connection = live?.get(id);
  if (connection) return <>{connection.connectionName}</>;
  const name = names.connections.get(id);
  if (name) return <>{live ? `${name} (deleted)` : name}</>;
  return <code>{id}</code>;
}

export function EventTable({ events, names, live, newestFirst, busy }: { events: FeedEvent[]; names: Names; live: ReadonlyMap<string, Connection> | undefined; newestFirst: boolean; busy: boolean }) {
  const [open, toggle] = useToggleSet<string>();

  return (
    <div className="table-wrap">
      <table className="log-table" aria-busy={busy || undefined}>
        <caption className="sr-only">{newestFirst ? 'Events, newest first' : 'Events, oldest first'}</caption>
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
          {events.map((event) => {
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
                  <td className="wrap">{subjectOf(event, names)}</td>
                  <td>
                    <code>{event.tenantId}</code>
                  </td>
                  <td className="wrap">
                    <ConnectionCell id={event.connectionId} live={live} names={names} />
                  </td>
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
  );
}
