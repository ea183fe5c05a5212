/**
 * A Google Workspace connection on the monitoring page: it sends no SCIM requests, so its syncs are what
 * there is to watch: its status (and why it needs re-authorization), its last sync as it runs, and its
 * recent syncs, with a link to its settings on the account's Provisioning page.
 */
import { CONNECTION_PARAM } from '../../../shared/connections/google/consent-return.js';
import { GoogleStatusBadge, LastSyncSummary, ReauthorizationNotice } from '../../../shared/connections/google/GoogleStatus.js';
import { SyncHistory } from '../../../shared/connections/google/SyncHistory.js';
import { useGoogleState } from '../../../shared/connections/google/use-google-state.js';
import { Link, seg } from '../../../shared/router.js';
import type { Connection } from '../../../shared/types.js';
import { Card } from '../../../shared/ui/Layout.js';
import { Progress } from '../../../shared/ui/Progress.js';
import { ErrorState, Loading } from '../../../shared/ui/States.js';

export function GoogleSyncsCard({ connection }: { connection: Connection }) {
  const google = useGoogleState(connection.id);
  const { state } = google;
  const manage = `/dashboard/accounts/${seg(connection.tenantId)}/provisioning?${CONNECTION_PARAM}=${seg(connection.id)}`;
  let body;
  if (google.error && !state) body = <ErrorState error={google.error} retry={google.reload} title="The Google Workspace syncs could not be loaded" />;
  else if (!state) body = <Loading label="Loading the syncs…" />;
  else
    body = (
      <>
        <p className="inline" style={{ flexWrap: 'wrap' }}>
          <GoogleStatusBadge status={state.status} />
          <span className="muted">Google Workspace connections send no SCIM requests: each sync reads the directory from Google.</span>
        </p>
        {state.status === 'needs_reauthorization' ? <ReauthorizationNotice connectionName={connection.connectionName} reason={state.reason} /> : null}
        {google.busy ? <Progress label="Syncing with Google…" value={0} max={0} /> : null}
        <div className="google-last">
          <strong>Last sync</strong>
          <LastSyncSummary sync={state.lastSync} />
        </div>
        <SyncHistory connectionId={connection.id} connectionName={connection.connectionName} refreshKey={`${state.lastSync?.id ?? ''}|${state.lastSync?.status ?? ''}`} />
      </>
    );
  return (
    <Card title={`Google Workspace syncs — ${connection.connectionName}`} actions={<Link to={manage}>Manage the connection</Link>}>
      {body}
    </Card>
  );
}
