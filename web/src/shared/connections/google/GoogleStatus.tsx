/** A Google Workspace connection's status and last sync, as lists and dialogs show them. */
import type { ReactNode } from 'react';
import { formatDateTime, formatRelative } from '../../format.js';
import type { ConnectionOverview } from '../../types.js';
import { Button } from '../../ui/Button.js';
import { Badge } from '../../ui/Layout.js';
import type { GoogleStatus, SyncRecord } from './types.js';
import { describeCounts, STATUS_WORDS, SYNC_STATUS_WORDS } from './words.js';
import './google-workspace.css';

export function GoogleStatusBadge({ status }: { status: GoogleStatus }) {
  const words = STATUS_WORDS[status];
  return <Badge tone={words.tone}>{words.label}</Badge>;
}

function When({ at }: { at: string }) {
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      {formatRelative(at)}
    </time>
  );
}

/**
 * "Succeeded 3 minutes ago · 30 users created, 4 groups created", with the error or notes below
 * (`withError` false: a re-authorization notice nearby says it already).
 */
export function LastSyncSummary({ sync, none = 'Not synced yet', withError = true }: { sync: SyncRecord | null; none?: ReactNode; withError?: boolean }) {
  if (!sync) return <span className="muted">{none}</span>;
  const words = SYNC_STATUS_WORDS[sync.status];
  return (
    <div className="google-last-sync">
      <span className="inline">
        <Badge tone={words.tone}>{words.label}</Badge>
        <When at={sync.finishedAt ?? sync.startedAt} />
      </span>
      {sync.status !== 'running' ? <p className="hint">{describeCounts(sync.counts)}</p> : null}
      {sync.error && withError ? <p className={sync.status === 'succeeded' ? 'hint' : 'hint google-sync-error'}>{sync.error}</p> : null}
    </div>
  );
}

/**
 * The warning of a connection Google stopped answering: why, in Google's plain words, and what to do
 * (`action`: the button that re-authorises it, or who to ask).
 */
export function ReauthorizationNotice({ connectionName, reason, action }: { connectionName: string; reason: string | null; action?: ReactNode }) {
  return (
    <div className="callout callout-warn google-reauthorize" role="note" aria-label={`${connectionName} needs re-authorization`}>
      <p style={{ margin: 0 }}>
        <strong>{connectionName} needs re-authorization.</strong> Google no longer lets this connection read the directory, so nothing syncs until a
        Workspace admin authorizes it again.
      </p>
      {reason ? <p style={{ margin: '6px 0 0' }}>{reason}</p> : null}
      {action ? <div style={{ marginTop: 8 }}>{action}</div> : null}
    </div>
  );
}

/**
 * One warning per Google Workspace connection of a list that needs re-authorization, above the list:
 * with a button to open its dialog (`onAuthorize`), or, for a reader, who to ask (`readOnlyNote`).
 */
export function ReauthorizationNotices({ connections, onAuthorize, readOnlyNote }: { connections: readonly ConnectionOverview[]; onAuthorize?: (connection: ConnectionOverview) => void; readOnlyNote?: string }) {
  const waiting = connections.filter((c) => c.googleWorkspace?.status === 'needs_reauthorization');
  return (
    <>
      {waiting.map((connection) => (
        <ReauthorizationNotice
          key={connection.id}
          connectionName={connection.connectionName}
          reason={connection.googleWorkspace?.reason ?? null}
          action={
            onAuthorize ? (
              <Button variant="primary" onClick={() => onAuthorize(connection)}>
                Authorize again<span className="sr-only"> {connection.connectionName}</span>
              </Button>
            ) : (
              readOnlyNote
            )
          }
        />
      ))}
    </>
  );
}
