/** A connection's health over the last 24 hours: healthy, N errors (with the last one on expand), or no requests yet. */
import { formatDateTime, formatRelative, plural } from '../../../shared/format.js';
import { Link, seg } from '../../../shared/router.js';
import type { ConnectionOverview, LastError } from '../../../shared/types.js';
import { Badge } from '../../../shared/ui/Layout.js';

/** "409 uniqueness: User with userName … exists" */
export function describeError(error: LastError): string {
  return `${error.status}${error.scimType ? ` ${error.scimType}` : ''}: ${error.detail ?? 'no detail'}`;
}

export function HealthBadge({ connection }: { connection: ConnectionOverview }) {
  const { errors24h, requests24h, lastError, lastSync } = connection;
  if (errors24h > 0) {
    const label = `${plural(errors24h, 'error')} in 24h`;
    return (
      <details className="health-details">
        <summary title={lastError ? `Last error: ${describeError(lastError)}` : undefined}>
          <Badge tone="bad">{label}</Badge>
        </summary>
        {lastError ? (
          <div className="hint" style={{ marginTop: 6, maxWidth: 280, whiteSpace: 'normal' }}>
            <p>
              Last error {formatRelative(lastError.at)} (<span title={formatDateTime(lastError.at)}>{formatDateTime(lastError.at)}</span>):
            </p>
            <p>
              <code>
                {lastError.method} {lastError.path}
              </code>
            </p>
            <p>{describeError(lastError)}</p>
            <Link to={`/dashboard/monitoring?tenantId=${seg(connection.tenantId)}&connectionId=${seg(connection.id)}&status=error`}>
              See the failed requests
            </Link>
          </div>
        ) : null}
      </details>
    );
  }
  if (requests24h === 0 && !lastSync) return <Badge>No requests yet</Badge>;
  const title = requests24h === 0 ? 'No requests in the last 24 hours' : `${plural(requests24h, 'request')} in the last 24 hours, none failed`;
  return (
    <span title={title}>
      <Badge tone="good">Healthy</Badge>
    </span>
  );
}
