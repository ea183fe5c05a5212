/**
 * Deleting a SCIM connection. "Remove all associated users and groups" is checked by default (what a
 * person deleting a connection usually wants); unchecked, the synced data stays behind, detached.
 */
import { useState } from 'react';
import { api, ApiError } from '../api.js';
import { formatCount } from '../format.js';
import { seg } from '../router.js';
import type { Connection } from '../types.js';
import { Button } from '../ui/Button.js';
import { Dialog } from '../ui/Dialog.js';
import { Checkbox } from '../ui/Field.js';
import { FormError } from '../ui/States.js';
import { CONFIGURATIONS_PATH } from './CreateConnectionDialog.js';
import { providerOf } from './providers.js';

export interface DeleteConnectionProps {
  /** The connection to delete; the dialog is open while one is given. */
  connection: Connection | undefined;
  /** What it synced, when known (dashboard), to say what the checkbox removes. */
  counts?: { users: number; groups: number };
  onClose: () => void;
  onDeleted: (connection: Connection, removedUsersAndGroups: boolean) => void;
}

export function DeleteConnectionDialog(props: DeleteConnectionProps) {
  return props.connection ? <DeleteConnectionForm key={props.connection.id} {...props} connection={props.connection} /> : null;
}

function DeleteConnectionForm({ connection, counts, onClose, onDeleted }: DeleteConnectionProps & { connection: Connection }) {
  const [remove, setRemove] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.delete(`${CONFIGURATIONS_PATH}/${seg(connection.id)}`, { removeUsersAndGroups: remove });
      onDeleted(connection, remove);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
    } finally {
      setBusy(false);
    }
  };

  const what = counts ? ` (${formatCount(counts.users)} ${counts.users === 1 ? 'user' : 'users'}, ${formatCount(counts.groups)} ${counts.groups === 1 ? 'group' : 'groups'})` : '';
  return (
    <Dialog
      title="Delete connection"
      open
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button variant="danger" onClick={confirm} busy={busy}>
            Delete connection
          </Button>
        </>
      }
    >
      <p>
        Delete <strong>{connection.connectionName}</strong> ({providerOf(connection.source).name})? Its token stops working at once, and the identity
        provider's next requests are refused. This cannot be undone.
      </p>
      <Checkbox
        label={`Remove all associated users and groups${what}`}
        checked={remove}
        onChange={setRemove}
        description={
          <>
            <strong>Checked:</strong> every user and group this connection synced is deleted now, and a <code>user.deleted</code> or{' '}
            <code>group.deleted</code> event is sent for each. <strong>Unchecked:</strong> they stay in the account's directory as detached data, no
            longer updated by the identity provider, and can be purged later.
          </>
        }
      />
      <FormError error={error} />
    </Dialog>
  );
}
