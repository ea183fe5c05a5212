/**
 * A Google Workspace connection's own settings, shared by the dashboard and the portal: its authorization
 * (and authorizing it again), what it syncs and how often, "Sync now" with the result as it comes, and
 * its recent syncs. Without the write permission everything is shown and nothing changed.
 */
import { useId, useState, type ReactNode } from 'react';
import { api, ApiError } from '../../api.js';
import { formatDateTime, formatRelative } from '../../format.js';
import type { Connection } from '../../types.js';
import { Button } from '../../ui/Button.js';
import { Dialog } from '../../ui/Dialog.js';
import { Progress } from '../../ui/Progress.js';
import { ErrorState, FormError, Loading } from '../../ui/States.js';
import type { ConsentReturn } from './consent-return.js';
import { ConnectGooglePanel } from './ConnectGooglePanel.js';
import { GoogleStatusBadge, LastSyncSummary, ReauthorizationNotice } from './GoogleStatus.js';
import { SyncHistory } from './SyncHistory.js';
import { SyncSettingsForm } from './SyncSettingsForm.js';
import { googlePath, type GoogleState } from './types.js';
import { useGoogleState } from './use-google-state.js';
import { describeInterval } from './words.js';
import './google-workspace.css';

export interface GoogleWorkspaceDialogProps {
  connection: Connection | undefined;
  canEdit: boolean;
  /** Who to ask, shown to a reader where the buttons would be. */
  readOnlyNote?: string;
  /** How the consent this page started ended, when the browser just came back from Google. */
  consent?: ConsentReturn['outcome'];
  onClose: () => void;
}

export function GoogleWorkspaceDialog(props: GoogleWorkspaceDialogProps) {
  return props.connection ? <GoogleWorkspaceContent key={props.connection.id} {...props} connection={props.connection} /> : null;
}

/** How the connection is authorized, or was until Google refused it. */
function authorizedBy(state: GoogleState): string {
  const verb = state.status === 'needs_reauthorization' ? 'Was authorized' : 'Authorized';
  if (state.authMethod === 'oauth') return `${verb} by a super administrator who signed in with Google.`;
  if (state.authMethod === 'service_account') {
    const account = state.serviceAccountEmail ? `the service account ${state.serviceAccountEmail}` : 'a service account';
    return `${verb} with ${account}${state.adminEmail ? `, acting as ${state.adminEmail}` : ''}.`;
  }
  return 'Not authorized yet: nothing syncs until a Workspace admin connects it.';
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="google-section" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

function GoogleWorkspaceContent({ connection, canEdit, readOnlyNote, consent, onClose }: GoogleWorkspaceDialogProps & { connection: Connection }) {
  const google = useGoogleState(connection.id);
  const { state } = google;
  const [reauthorizing, setReauthorizing] = useState(false);
  const [requesting, setRequesting] = useState(false);
  const [syncError, setSyncError] = useState<ApiError | undefined>();

  const syncNow = async () => {
    setRequesting(true);
    setSyncError(undefined);
    try {
      await api.post(googlePath(connection.id, '/sync'));
      google.awaitSync();
    } catch (e) {
      setSyncError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
      google.reload();
    } finally {
      setRequesting(false);
    }
  };

  let body;
  if (google.error && !state) body = <ErrorState error={google.error} retry={google.reload} title="The Google Workspace settings could not be loaded" />;
  else if (!state) body = <Loading label="Loading the Google Workspace settings…" />;
  else {
    const active = state.status === 'active';
    body = (
      <>
        <Section title="Authorization">
          <p className="inline" style={{ flexWrap: 'wrap' }}>
            <GoogleStatusBadge status={state.status} />
            <span>{authorizedBy(state)}</span>
          </p>
          {state.status === 'needs_reauthorization' ? <ReauthorizationNotice connectionName={connection.connectionName} reason={state.reason} /> : null}
          {canEdit && (!active || reauthorizing) ? (
            <ConnectGooglePanel
              connectionId={connection.id}
              state={state}
              headingLevel={4}
              onAuthorized={(next) => {
                google.set(next);
                setReauthorizing(false);
                google.awaitSync();
              }}
            />
          ) : null}
          {canEdit && active ? (
            <div>
              <Button aria-expanded={reauthorizing} onClick={() => setReauthorizing(!reauthorizing)}>
                {reauthorizing ? 'Keep the current authorization' : 'Authorize again'}
              </Button>
            </div>
          ) : null}
        </Section>

        <Section title="What it syncs">
          <SyncSettingsForm
            connectionId={connection.id}
            state={state}
            canEdit={canEdit}
            onSaved={(next, resyncs) => {
              google.set(next);
              if (resyncs) google.awaitSync();
            }}
          />
        </Section>

        <Section title="Syncs">
          <p className="hint">
            Syncs {describeInterval(state.intervalMinutes)}
            {active && state.nextSyncAt ? (
              <>
                ; the next one{' '}
                <time dateTime={state.nextSyncAt} title={formatDateTime(state.nextSyncAt)}>
                  {formatRelative(state.nextSyncAt)}
                </time>
              </>
            ) : null}
            .
          </p>
          {google.busy ? <Progress label="Syncing with Google…" value={0} max={0} /> : null}
          <div className="google-last">
            <strong>Last sync</strong>
            <LastSyncSummary sync={state.lastSync} />
          </div>
          {canEdit && active ? (
            <Button variant="primary" onClick={() => void syncNow()} busy={requesting} disabled={google.busy}>
              Sync now
            </Button>
          ) : null}
          <FormError error={syncError} />
          <SyncHistory connectionId={connection.id} connectionName={connection.connectionName} refreshKey={`${state.lastSync?.id ?? ''}|${state.lastSync?.status ?? ''}`} />
        </Section>
      </>
    );
  }

  return (
    <Dialog
      title={`Google Workspace sync of ${connection.connectionName}`}
      open
      wide
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      }
    >
      {consent ? (
        consent.connected ? (
          <p className="callout callout-info" role="status">
            Google Workspace is connected. A sync starts now.
          </p>
        ) : (
          <p className="callout callout-bad" role="alert">
            Google Workspace was not connected: {consent.reason}
          </p>
        )
      ) : null}
      {!canEdit && readOnlyNote ? (
        <div className="callout" role="note">
          {readOnlyNote}
        </div>
      ) : null}
      {body}
    </Dialog>
  );
}
