/**
 * One connection of the account: a summary row, and a details row that expands below it. A SCIM
 * connection's details hold its URL, sync switch and SCIM actions; a Google Workspace connection's hold
 * its sync switch and its Google Workspace dialog, with no URL or token to manage.
 */
import { useEffect, useId, useState } from 'react';
import { GoogleStatusBadge, LastSyncSummary } from '../../../shared/connections/google/GoogleStatus.js';
import { HeldBadge } from '../../../shared/connections/deprovisioning/HeldNotice.js';
import { ProviderName } from '../../../shared/connections/ProviderLogo.js';
import { formatCount, formatDateTime, formatRelative, plural } from '../../../shared/format.js';
import { Link, seg } from '../../../shared/router.js';
import type { Connection, ConnectionOverview } from '../../../shared/types.js';
import { Button } from '../../../shared/ui/Button.js';
import { CopyField } from '../../../shared/ui/CopyField.js';
import { HealthBadge } from './HealthBadge.js';
import { SyncToggle } from './SyncToggle.js';

export const CONNECTION_COLUMNS = 7;

export interface ConnectionActions {
  onSetup: (connection: Connection) => void;
  onTokens: (connection: Connection) => void;
  onCompatibility: (connection: Connection) => void;
  onAttributes: (connection: Connection) => void;
  /** A Google Workspace connection's authorization, selection and syncs. */
  onGoogle: (connection: Connection) => void;
  onDelete: (connection: ConnectionOverview) => void;
  /** Its held changes, the users that differ from the IdP, and the guard settings. */
  onDeprovisioning: (connection: ConnectionOverview) => void;
  /** What turning on "Sync to user management" would publish (a staging connection). */
  onGoLive: (connection: Connection) => void;
}

/** A date relative to now, the full date on hover. */
function When({ at, none = '—' }: { at: string | null; none?: string }) {
  if (!at) return <span className="muted">{none}</span>;
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      {formatRelative(at)}
    </time>
  );
}

/** The sync switch, and for a staging connection (the switch off) the preview of going live. */
function SyncSetting({ connection, actions }: { connection: ConnectionOverview; actions: ConnectionActions }) {
  // Follows the switch at once, and the list when it reloads.
  const [live, setLive] = useState(connection.syncToUserManagement);
  useEffect(() => setLive(connection.syncToUserManagement), [connection.syncToUserManagement]);
  return (
    <>
      <SyncToggle connection={connection} onChanged={setLive} />
      {live ? null : (
        <p className="hint inline" style={{ flexWrap: 'wrap' }}>
          Staging: nothing reaches the product yet.
          <Button onClick={() => actions.onGoLive(connection)}>Preview go-live</Button>
        </p>
      )}
    </>
  );
}

/** The actions every connection offers, whatever its type. */
function SharedActions({ connection, actions }: { connection: ConnectionOverview; actions: ConnectionActions }) {
  return (
    <>
      <Button onClick={() => actions.onAttributes(connection)}>Attributes</Button>
      <Button onClick={() => actions.onDeprovisioning(connection)}>Deprovisioning</Button>
      <Button variant="danger" onClick={() => actions.onDelete(connection)}>
        Delete
      </Button>
    </>
  );
}

export function ConnectionRow({ connection, actions }: { connection: ConnectionOverview; actions: ConnectionActions }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const base = `/dashboard/accounts/${seg(connection.tenantId)}`;
  const google = connection.googleWorkspace;
  const monitoring = `/dashboard/monitoring?tenantId=${seg(connection.tenantId)}&connectionId=${seg(connection.id)}`;
  return (
    <>
      <tr>
        <th scope="row" style={{ fontSize: 'inherit', textTransform: 'none', letterSpacing: 'normal', color: 'inherit', fontWeight: 'normal' }}>
          <strong style={{ display: 'block', marginBottom: 4 }}>{connection.connectionName}</strong>
          <span className="muted">
            <ProviderName source={connection.source} />
          </span>
        </th>
        <td>
          <When at={connection.createdAt} />
        </td>
        <td>{google ? <LastSyncSummary sync={google.lastSync} none="Never" withError={google.status !== 'needs_reauthorization'} /> : <When at={connection.lastSync} none="Never" />}</td>
        <td className="num">
          <Link to={`${base}/users?connectionId=${seg(connection.id)}`} aria-label={`${connection.users} ${connection.users === 1 ? 'user' : 'users'} of ${connection.connectionName}`}>
            {formatCount(connection.users)}
          </Link>
        </td>
        <td className="num">
          <Link to={`${base}/groups?connectionId=${seg(connection.id)}`} aria-label={`${connection.groups} ${connection.groups === 1 ? 'group' : 'groups'} of ${connection.connectionName}`}>
            {formatCount(connection.groups)}
          </Link>
        </td>
        <td style={{ whiteSpace: 'nowrap' }}>
          <span className="inline">
            {google ? <GoogleStatusBadge status={google.status} /> : <HealthBadge connection={connection} />}
            <HeldBadge connection={connection} />
          </span>
        </td>
        <td>
          <Button aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen(!open)}>
            {open ? 'Hide' : 'Manage'}
            {/* The visible word starts the accessible name (WCAG 2.5.3), the connection's name tells rows apart. */}
            <span className="sr-only"> {connection.connectionName}</span>
          </Button>
        </td>
      </tr>
      {open ? (
        <tr id={detailsId} className="details-row">
          <td colSpan={CONNECTION_COLUMNS}>
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(260px, 1fr))', gap: 16 }} role="group" aria-label={`Settings of ${connection.connectionName}`}>
              {google ? (
                <>
                  <div>
                    <p className="hint" style={{ marginBottom: 8 }}>
                      Rollcall reads this account&apos;s users and groups from Google Workspace on a schedule: there is no provisioning URL or token.
                    </p>
                    <SyncSetting connection={connection} actions={actions} />
                  </div>
                  <div>
                    <p className="hint">
                      <Link to={monitoring}>Open its syncs in Monitoring</Link>
                    </p>
                    <div className="page-actions" style={{ marginTop: 10 }}>
                      <Button onClick={() => actions.onGoogle(connection)}>Google Workspace</Button>
                      <SharedActions connection={connection} actions={actions} />
                    </div>
                  </div>
                </>
              ) : (
                <>
                  <div>
                    <CopyField label="Provisioning URL" value={connection.provisioningUrl} testId="row-provisioning-url" />
                    <SyncSetting connection={connection} actions={actions} />
                  </div>
                  <div>
                    <p className="hint">
                      {plural(connection.requests24h, 'SCIM request')} in the last 24 hours
                      {connection.lastRequestAt ? <>, the latest {formatRelative(connection.lastRequestAt)}</> : null}. <Link to={monitoring}>Open in Monitoring</Link>
                    </p>
                    <div className="page-actions" style={{ marginTop: 10 }}>
                      <Button onClick={() => actions.onSetup(connection)}>Setup guide</Button>
                      <Button onClick={() => actions.onTokens(connection)}>Rotate token</Button>
                      <Button onClick={() => actions.onCompatibility(connection)}>Compatibility</Button>
                      <SharedActions connection={connection} actions={actions} />
                    </div>
                  </div>
                </>
              )}
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
