/** A Google Workspace connection's recent syncs, newest first: when, why, how it ended, how long, what changed. */
import { api } from '../../api.js';
import { formatDateTime, formatRelative } from '../../format.js';
import { Badge, CursorPager } from '../../ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../ui/States.js';
import { useApi, useCursorPager } from '../../use-api.js';
import { googlePath, type SyncPage } from './types.js';
import { describeCounts, SYNC_STATUS_WORDS, syncDuration, TRIGGER_WORDS } from './words.js';

const PAGE_SIZE = 10;

/** `refreshKey` changes when a sync started or ended (the last sync's id and status): the list loads again. */
export function SyncHistory({ connectionId, connectionName, refreshKey }: { connectionId: string; connectionName: string; refreshKey: string }) {
  const pager = useCursorPager(connectionId);
  const syncs = useApi(() => api.get<SyncPage>(googlePath(connectionId, '/syncs'), { limit: PAGE_SIZE, cursor: pager.cursor }), [connectionId, pager.cursor, refreshKey]);
  if (syncs.error) return <ErrorState error={syncs.error} retry={syncs.reload} title="The syncs could not be loaded" />;
  if (!syncs.data) return <Loading label="Loading syncs…" />;
  if (syncs.data.items.length === 0) return <EmptyState title="No syncs yet">The first sync starts as soon as the connection is authorized.</EmptyState>;
  return (
    <>
      <div className="table-wrap">
        <table className="google-syncs">
          <caption className="sr-only">Syncs of {connectionName}</caption>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Trigger</th>
              <th scope="col">Status</th>
              <th scope="col">Duration</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {syncs.data.items.map((sync) => {
              const words = SYNC_STATUS_WORDS[sync.status];
              return (
                <tr key={sync.id}>
                  <td style={{ whiteSpace: 'nowrap' }}>
                    <time dateTime={sync.startedAt} title={formatDateTime(sync.startedAt)}>
                      {formatRelative(sync.startedAt)}
                    </time>
                  </td>
                  <td>{TRIGGER_WORDS[sync.trigger]}</td>
                  <td>
                    <Badge tone={words.tone}>{words.label}</Badge>
                  </td>
                  <td style={{ whiteSpace: 'nowrap' }}>{syncDuration(sync) ?? '—'}</td>
                  <td className="google-sync-changes">
                    {sync.status === 'running' ? <span className="muted">Running…</span> : describeCounts(sync.counts)}
                    {sync.error ? <p className={sync.status === 'succeeded' ? 'hint' : 'hint google-sync-error'}>{sync.error}</p> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <CursorPager pager={pager} nextCursor={syncs.data.nextCursor} />
    </>
  );
}
