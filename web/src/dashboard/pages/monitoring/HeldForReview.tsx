/**
 * Safe deprovisioning on the monitoring page: the account's connections holding changes for review
 * (from the connection overview, so only once an account is chosen), each linking to its review;
 * and the note shown while the request log is narrowed to one SCIM request.
 */
import { deprovisioningOf, needsReview } from '../../../shared/connections/deprovisioning/types.js';
import { waitingForReview } from '../../../shared/connections/deprovisioning/words.js';
import { Link, setQuery } from '../../../shared/router.js';
import type { Connection } from '../../../shared/types.js';
import { Button } from '../../../shared/ui/Button.js';
import { Badge } from '../../../shared/ui/Layout.js';
import { reviewLink } from '../provisioning/review-link.js';

/** How many changes a connection holds, and where to review them. */
export interface HeldCount {
  held: number;
  connectionName: string;
  href: string;
}

/** The connections whose guard tripped or that hold changes, by ID. */
export function heldCounts(connections: readonly Connection[]): Map<string, HeldCount> {
  const counts = new Map<string, HeldCount>();
  for (const connection of connections) {
    const summary = deprovisioningOf(connection);
    if (summary && needsReview(summary)) counts.set(connection.id, { held: summary.held, connectionName: connection.connectionName, href: reviewLink(connection.tenantId, connection.id) });
  }
  return counts;
}

/** "3 held for review", linking to the review. */
export function HeldLink({ held }: { held: HeldCount | undefined }) {
  if (!held) return null;
  return (
    <>
      {' '}
      <Link to={held.href} title={waitingForReview(held.held)}>
        <Badge tone="warn">{held.held} held for review</Badge>
        {/* The visible words start the name (WCAG 2.5.3); the connection tells the links apart. */}
        <span className="sr-only"> in {held.connectionName}</span>
      </Link>
    </>
  );
}

export function HeldForReview({ connections, connectionId }: { connections: readonly Connection[]; connectionId: string }) {
  const waiting = [...heldCounts(connections)].filter(([id]) => !connectionId || id === connectionId);
  if (waiting.length === 0) return null;
  return (
    <div className="callout callout-warn" role="region" aria-label="Deprovisioning held">
      <strong>Deprovisioning held</strong>
      <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
        {waiting.map(([id, held]) => (
          <li key={id}>
            {held.connectionName}: {waitingForReview(held.held)} —{' '}
            <Link to={held.href} aria-label={`Review the held changes of ${held.connectionName}`}>
              Review
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Says the log shows one request, with the way back to all. */
export function OneRequestNote({ requestId }: { requestId: string }) {
  return (
    <p className="callout callout-info inline" style={{ flexWrap: 'wrap', display: 'flex' }}>
      <span>
        Showing the SCIM request <code>{requestId}</code>, whatever the time range and status.
      </span>
      <Button variant="ghost" onClick={() => setQuery({ requestId: undefined })}>
        Show all requests
      </Button>
    </p>
  );
}
