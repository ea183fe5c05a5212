/**
 * A connection's safe deprovisioning, shared by the dashboard and the portal: the held changes to
 * review, the users that differ from the identity provider after a discard, and the mode and guard.
 * Without the write permission everything is shown and nothing changed.
 */
import { useState } from 'react';
import { api } from '../../api.js';
import { formatDateTime, formatRelative } from '../../format.js';
import type { Connection } from '../../types.js';
import { Dialog } from '../../ui/Dialog.js';
import { SectionTabs } from '../../ui/SectionTabs.js';
import { ErrorState, Loading } from '../../ui/States.js';
import { useApi } from '../../use-api.js';
import { DifferingList } from './DifferingList.js';
import { GuardSettingsForm } from './GuardSettingsForm.js';
import { HeldReview } from './HeldReview.js';
import { paths, type DeprovisioningState } from './types.js';
import { heldReason, waitingForReview } from './words.js';
import './deprovisioning.css';

export type DeprovisioningTab = 'held' | 'differing' | 'settings';

export interface DeprovisioningDialogProps {
  connection: Connection | undefined;
  /** The tab it opens on; by default the held changes when there are any, else the settings. */
  tab?: DeprovisioningTab;
  canEdit: boolean;
  /** Who to ask, shown to a reader where the buttons would be. */
  readOnlyNote?: string;
  /** "the app" in the dashboard, the product's name in the portal. */
  app: string;
  /** Where a held change's SCIM request is shown (the dashboard's request log); without it, the request ID as text. */
  requestHref?: (connection: Connection, requestId: string) => string;
  /** After anything changed (a review, new settings): the page reloads its list. */
  onChanged: () => void;
  onClose: () => void;
}

export function DeprovisioningDialog(props: DeprovisioningDialogProps) {
  return props.connection ? <DeprovisioningContent key={props.connection.id} {...props} connection={props.connection} /> : null;
}

function DeprovisioningContent({ connection, tab, canEdit, readOnlyNote, app, requestHref, onChanged, onClose }: DeprovisioningDialogProps & { connection: Connection }) {
  const [chosen, setChosen] = useState<DeprovisioningTab | undefined>(tab);
  const [refreshKey, setRefreshKey] = useState(0);
  const [message, setMessage] = useState<string>();
  const loaded = useApi(() => api.get<DeprovisioningState>(paths.settings(connection.id)), [connection.id, refreshKey]);
  // useApi keeps the last answer while it reloads, so the tabs do not jump.
  const state = loaded.data;
  // Chosen once, on the first answer: a review that empties the list stays on its tab.
  if (chosen === undefined && state) setChosen(state.held === 0 && !state.tripped ? 'settings' : 'held');
  const current = chosen ?? 'held';
  const href = requestHref ? (requestId: string) => requestHref(connection, requestId) : undefined;

  let body;
  if (loaded.error && !state) body = <ErrorState error={loaded.error} retry={loaded.reload} title="The deprovisioning settings could not be loaded" />;
  else if (!state) body = <Loading />;
  else
    body = (
      <>
        {state.held > 0 || state.tripped ? (
          <div className="callout callout-warn" role="note">
            <p style={{ margin: 0 }}>
              <strong>Deprovisioning held — {waitingForReview(state.held)}.</strong>
              {state.tripped && state.trippedAt ? (
                <>
                  {' '}
                  The guard tripped <time dateTime={state.trippedAt} title={formatDateTime(state.trippedAt)}>{formatRelative(state.trippedAt)}</time>.
                </>
              ) : null}
            </p>
            <p style={{ margin: '6px 0 0' }}>{heldReason(state, app)}</p>
          </div>
        ) : null}
        {message ? (
          <p className="callout callout-info" role="status">
            {message}
          </p>
        ) : null}
        <SectionTabs
          label="Deprovisioning"
          current={current}
          onSelect={(key) => {
            setMessage(undefined);
            setChosen(key);
          }}
          tabs={[
            { key: 'held', label: `Held changes (${state.held})` },
            { key: 'differing', label: `Differs from IdP (${state.differing})` },
            { key: 'settings', label: 'Settings' },
          ]}
        >
          {current === 'held' ? (
            <HeldReview
              connectionId={connection.id}
              held={state.held}
              canReview={canEdit}
              readOnlyNote={readOnlyNote}
              app={app}
              requestHref={href}
              refreshKey={refreshKey}
              onReviewed={(text) => {
                setMessage(text);
                setRefreshKey((n) => n + 1);
                onChanged();
              }}
            />
          ) : current === 'differing' ? (
            <DifferingList connectionId={connection.id} differing={state.differing} app={app} requestHref={href} refreshKey={refreshKey} />
          ) : (
            <GuardSettingsForm
              key={refreshKey}
              connectionId={connection.id}
              current={state}
              canEdit={canEdit}
              readOnlyNote={readOnlyNote}
              app={app}
              onSaved={() => {
                loaded.reload();
                onChanged();
              }}
            />
          )}
        </SectionTabs>
      </>
    );

  return (
    <Dialog title={`Deprovisioning of ${connection.connectionName}`} open wide onClose={onClose}>
      {body}
    </Dialog>
  );
}
