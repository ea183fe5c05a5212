/**
 * What switching a staging connection (syncToUserManagement false) on would publish: its users,
 * groups, memberships and roles, and the product's existing users they would match, with samples;
 * then "Go live" (confirmed) turns "Sync to user management" on.
 */
import { useState } from 'react';
import { api } from '../../api.js';
import { formatCount, plural } from '../../format.js';
import { seg } from '../../router.js';
import type { Connection } from '../../types.js';
import { Button } from '../../ui/Button.js';
import { Dialog } from '../../ui/Dialog.js';
import { ErrorState, Loading } from '../../ui/States.js';
import { useAction, useApi } from '../../use-api.js';
import { CONFIGURATIONS_PATH } from '../CreateConnectionDialog.js';
import { ConfirmPanel } from './ConfirmPanel.js';
import { GoLiveSamples } from './GoLiveSamples.js';
import { paths, type GoLivePreview } from './types.js';
import './deprovisioning.css';

interface GoLiveProps {
  connection: Connection | undefined;
  /** Where an existing user's page is, for the matches. */
  userHref?: (tenantId: string, userId: string) => string;
  onClose: () => void;
  onLive: (connection: Connection, preview: GoLivePreview) => void;
}

export function GoLivePreviewDialog(props: GoLiveProps) {
  return props.connection ? <GoLiveContent key={props.connection.id} {...props} connection={props.connection} /> : null;
}

/** "3 users (3 active, 0 inactive)": the number large, its noun in the right number. */
function Figure({ count, noun, nouns = `${noun}s`, detail }: { count: number; noun: string; nouns?: string; detail?: string }) {
  return (
    <li>
      <strong>{formatCount(count)}</strong> {count === 1 ? noun : nouns}
      {detail ? ` (${detail})` : null}
    </li>
  );
}

function GoLiveContent({ connection, userHref, onClose, onLive }: GoLiveProps & { connection: Connection }) {
  const preview = useApi(() => api.get<GoLivePreview>(paths.goLivePreview(connection.id)), [connection.id]);
  const [confirming, setConfirming] = useState(false);
  const goLive = useAction(() => api.patch(`${CONFIGURATIONS_PATH}/${seg(connection.id)}`, { syncToUserManagement: true }).then(() => true));
  const data = preview.data;

  let body;
  if (preview.error?.status === 409) body = <p className="callout callout-info">{connection.connectionName} is already live: its users and groups are in the product.</p>;
  else if (preview.error) body = <ErrorState error={preview.error} retry={preview.reload} title="The preview could not be loaded" />;
  else if (!data) body = <Loading label="Counting what would be published…" />;
  else
    body = (
      <>
        <p>
          {connection.connectionName} is in staging: its users and groups are kept in the SCIM directory, not in the product. Going live publishes all of
          them: the app gets a user.created, group.created or group.user_added event for each.
        </p>
        <ul className="go-live-figures" aria-label="What going live publishes">
          <Figure count={data.users.total} noun="user" detail={`${formatCount(data.users.active)} active, ${formatCount(data.users.inactive)} inactive`} />
          <Figure count={data.groups.total} noun="group" />
          <Figure count={data.memberships} noun="membership" />
          <Figure count={data.roles.length} noun="role granted" nouns="roles granted" />
          <Figure count={data.matches.total} noun="existing user matched" nouns="existing users matched" />
        </ul>
        <GoLiveSamples preview={data} userHref={userHref ? (userId) => userHref(connection.tenantId, userId) : undefined} />
      </>
    );

  const ready = Boolean(data) && !data?.live;
  return (
    <Dialog
      title={`Go-live preview of ${connection.connectionName}`}
      open
      wide
      onClose={onClose}
      footer={
        confirming && data ? (
          <div style={{ flex: 1 }}>
            <ConfirmPanel
              question={`Publish ${plural(data.users.total, 'user')} and ${plural(data.groups.total, 'group')} to the product now?`}
              confirmLabel="Go live now"
              busy={goLive.busy}
              error={goLive.error}
              onCancel={() => setConfirming(false)}
              onConfirm={() => void goLive.run().then((done) => done && onLive(connection, data))}
            >
              “Sync to user management” turns on, the app gets their events, and from then on every change from the identity provider reaches the product.
            </ConfirmPanel>
          </div>
        ) : (
          <>
            <Button onClick={onClose}>Close</Button>
            {ready ? (
              <Button variant="primary" onClick={() => setConfirming(true)}>
                Go live
              </Button>
            ) : null}
          </>
        )
      }
    >
      {body}
    </Dialog>
  );
}
