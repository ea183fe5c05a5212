/** Per-connection request counts, errors, last error and last success (GET /api/v1/logs/summary, read by the page). */
import { formatRelative, plural } from '../../../shared/format.js';
import { Badge } from '../../../shared/ui/Layout.js';
import { ErrorState, Loading } from '../../../shared/ui/States.js';
import type { Loaded } from '../../../shared/use-api.js';
import type { LabelOf } from './connection-labels.js';
import type { LogSummary } from './types.js';
import { HeldLink, type HeldCount } from './HeldForReview.js';
import './monitoring.css';

/** `heldOf`: the changes each connection holds for review (an account's connections only), shown as a badge linking to the review. */
export function ConnectionSummaryStrip({ summary, connectionId, labelOf, heldOf }: { summary: Loaded<LogSummary>; connectionId: string; labelOf: LabelOf; heldOf?: ReadonlyMap<string, HeldCount> }) {
  if (summary.error) return <ErrorState error={summary.error} retry={summary.reload} title="The connection summary could not be loaded" />;
  if (!summary.data) return <Loading label="Loading the summary…" />;
  const items = summary.data.items.filter((s) => !connectionId || s.connectionId === connectionId).sort((a, b) => b.requests - a.requests);
  if (items.length === 0) return <p className="muted">No connection sent SCIM requests in this period.</p>;
  return (
    <ul className="summary-strip" aria-label="Connections">
      {items.map((s) => (
        <li key={s.connectionId}>
          <div className="name">{labelOf(s.connectionId, s.connectionName)}</div>
          <div className="figures">
            {plural(s.requests, 'request')} ·{' '}
            {s.errors > 0 ? <Badge tone="bad">{plural(s.errors, 'error')}</Badge> : <Badge tone="good">no errors</Badge>}
            <HeldLink held={heldOf?.get(s.connectionId)} />
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
