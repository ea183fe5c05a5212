/**
 * Step 2 of creating a Google Workspace connection: instead of a URL and a token, the ways to connect it
 * to Google. A service account connects here and the first sync's result appears as it comes; signing
 * in with Google leaves the page and comes back to it (./consent-return.ts).
 */
import { useEffect, useRef } from 'react';
import type { Connection } from '../../types.js';
import { Progress } from '../../ui/Progress.js';
import { ConnectGooglePanel } from './ConnectGooglePanel.js';
import { LastSyncSummary } from './GoogleStatus.js';
import type { GoogleState } from './types.js';
import { useGoogleState } from './use-google-state.js';

export function GoogleConnectionCreated({ connection, initial }: { connection: Connection; initial: GoogleState }) {
  const heading = useRef<HTMLParagraphElement>(null);
  // The form that had focus is gone: start reading at the news.
  useEffect(() => heading.current?.focus(), []);
  const google = useGoogleState(connection.id);
  const state = google.state ?? initial;
  return (
    <>
      <p ref={heading} tabIndex={-1} className="callout callout-info">
        <strong>{connection.connectionName}</strong> is created. Connect it to Google Workspace to start syncing its users and groups.
      </p>
      {state.status === 'active' ? (
        <div>
          <p className="callout callout-info" role="status">
            Connected to Google Workspace{state.adminEmail ? ` as ${state.adminEmail}` : ''}. It syncs now, then every {state.intervalMinutes} minutes; choose
            which groups it syncs with “Google Workspace” on the connection.
          </p>
          {google.busy ? <Progress label="Syncing with Google…" value={0} max={0} /> : null}
          <div className="google-last">
            <strong>First sync</strong>
            <LastSyncSummary sync={state.lastSync} none="Starting…" />
          </div>
        </div>
      ) : (
        <ConnectGooglePanel
          connectionId={connection.id}
          state={state}
          onAuthorized={(next) => {
            google.set(next);
            google.awaitSync();
          }}
        />
      )}
    </>
  );
}
