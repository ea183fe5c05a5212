/**
 * The banner of a connection whose deprovisioning is held: how many changes wait, why, and a button
 * that opens the review. One per such connection, above a connection list.
 */
import type { ConnectionOverview } from '../../types.js';
import { Button } from '../../ui/Button.js';
import { Badge } from '../../ui/Layout.js';
import { deprovisioningOf, needsReview, type DeprovisioningSummary } from './types.js';
import { heldReason, waitingForReview } from './words.js';
import './deprovisioning.css';

export function HeldNotice({ connectionName, summary, app, onReview }: { connectionName: string; summary: DeprovisioningSummary; app: string; onReview: () => void }) {
  return (
    <div className="callout callout-warn held-notice" role="region" aria-label={`${connectionName}: deprovisioning held`}>
      <div className="held-notice-text">
        <p>
          <strong>
            Deprovisioning held — {waitingForReview(summary.held)}
          </strong>{' '}
          <span className="muted">({connectionName})</span>
        </p>
        <p>{heldReason(summary, app)}</p>
      </div>
      <Button variant="primary" onClick={onReview}>
        Review held changes<span className="sr-only"> of {connectionName}</span>
      </Button>
    </div>
  );
}

/** A banner for each connection of the list whose guard tripped or that has held changes. */
export function HeldNotices({ connections, app, onReview }: { connections: readonly ConnectionOverview[]; app: string; onReview: (connection: ConnectionOverview) => void }) {
  return (
    <>
      {connections.map((connection) => {
        const summary = deprovisioningOf(connection);
        return summary && needsReview(summary) ? (
          <HeldNotice key={connection.id} connectionName={connection.connectionName} summary={summary} app={app} onReview={() => onReview(connection)} />
        ) : null;
      })}
    </>
  );
}

/** "3 held" beside a connection's health, when changes wait for review. */
export function HeldBadge({ connection }: { connection: ConnectionOverview }) {
  const summary = deprovisioningOf(connection);
  if (!summary || !needsReview(summary)) return null;
  return (
    <span title={waitingForReview(summary.held)}>
      <Badge tone="warn">{summary.held} held</Badge>
    </span>
  );
}
