/** Per-connection request counts, errors, last error and last success (GET /api/v1/logs/summary). */
import { api } from '../../../shared/api.js';
import { formatCount, formatRelative } from '../../../shared/format.js';
import { Badge } from '../../../shared/ui/Layout.js';
import { ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';
import type { LogSummary } from './types.js';
import './monitoring.css';

export function ConnectionSummaryStrip({ tenantId, connectionId, hours, nameOf, refreshKey }: { tenantId: string; connectionId: string; hours: number; nameOf: (id: string) => string; refreshKey: number }) {
  const summary = useApi(() => api.get<LogSummary>('/api/v1/logs/summary', { tenantId, sinceHours: hours }), [tenantId, hours, refreshKey]);
  if (summary.error) return <ErrorState error={summary.error} retry={summary.reload} title="The connection summary could not be loaded" />;
  if (!summary.data) return <Loading label="Loading the summary…" />;
  const items = summary.data.items.filter((s) => !connectionId || s.connectionId === connectionId).sort((a, b) => b.requests - a.requests);
  if (items.length === 0) return <p className="muted">No connection sent SCIM requests in this period.</p>;
  return (
    <ul className="summary-strip" aria-label="Connections">
      {items.map((s) => (
        <li key={s.connectionId}>
          <div className="name">{nameOf(s.connectionId)}</div>
          <div className="figures">
            {formatCount(s.requests)} requests ·{' '}
            {s.errors > 0 ? <Badge tone="bad">{formatCount(s.errors)} errors</Badge> : <Badge tone="good">no errors</Badge>}
          </div>
          <div className="muted">Last success {formatRelative(s.lastSuccessAt)}</div>
          {s.lastError ? (
            <div className="last-error">
              Last error {s.lastError.status} {s.lastError.method} {s.lastError.path}, {formatRelative(s.lastError.at)}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
