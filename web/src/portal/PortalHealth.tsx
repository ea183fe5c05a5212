/**
 * A connection's health for a customer's admin, in plain words: whether its identity provider has
 * called yet, when it last did, and how many of the last 24 hours' requests failed, with the last failure.
 * A Google Workspace connection's is its status and its last sync.
 */
import { GoogleStatusBadge, LastSyncSummary } from '../shared/connections/google/GoogleStatus.js';
import { formatCount, formatDateTime, formatRelative } from '../shared/format.js';
import type { ConnectionOverview } from '../shared/types.js';
import { Badge } from '../shared/ui/Layout.js';

function When({ at }: { at: string }) {
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      {formatRelative(at)}
    </time>
  );
}

export function PortalHealth({ connection }: { connection: ConnectionOverview }) {
  const { requests24h, errors24h, lastRequestAt, lastError, lastSync, googleWorkspace } = connection;
  if (googleWorkspace) {
    return (
      <div>
        <GoogleStatusBadge status={googleWorkspace.status} />
        {googleWorkspace.status === 'needs_authorization' ? (
          <p className="hint">Waiting for a Google Workspace admin to connect it.</p>
        ) : (
          <div className="hint" style={{ marginTop: 4 }}>
            Last sync: <LastSyncSummary sync={googleWorkspace.lastSync} withError={googleWorkspace.status !== 'needs_reauthorization'} />
          </div>
        )}
      </div>
    );
  }
  if (requests24h === 0 && !lastSync) {
    return (
      <div>
        <Badge>No requests yet</Badge>
        <p className="hint">Your identity provider has not connected yet.</p>
      </div>
    );
  }
  if (errors24h > 0) {
    const rate = Math.max(1, Math.round((errors24h / Math.max(requests24h, errors24h)) * 100));
    return (
      <div>
        <Badge tone="bad">{`${rate}% of requests failed`}</Badge>
        <p className="hint">
          {formatCount(errors24h)} of {formatCount(Math.max(requests24h, errors24h))} requests in the last 24 hours failed.
          {lastError ? (
            <>
              {' '}
              Last failure <When at={lastError.at} />: {lastError.detail ?? `status ${lastError.status}`}
            </>
          ) : null}
        </p>
      </div>
    );
  }
  if (requests24h === 0) {
    return (
      <div>
        <Badge>No requests in 24 hours</Badge>
        {lastSync ? (
          <p className="hint">
            Last change received <When at={lastSync} />.
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <div>
      <Badge tone="good">Working</Badge>
      <p className="hint">
        {formatCount(requests24h)} {requests24h === 1 ? 'request' : 'requests'} in the last 24 hours, none failed
        {lastRequestAt ? (
          <>
            ; the latest <When at={lastRequestAt} />
          </>
        ) : null}
        .
      </p>
    </div>
  );
}
