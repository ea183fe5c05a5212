/**
 * Deleting a connection (SCIM or Google Workspace). "Remove all associated users and groups" is checked by default (what a
 * person deleting a connection usually wants); unchecked, the synced data stays behind, detached. A
 * staging connection's data is always removed (the app never saw it), so it offers no choice. The
 * dashboard's wording names events and detached data; the portal's says what happens in the product.
 */
import { useState, type ReactNode } from 'react';
import { api, ApiError } from '../api.js';
import { formatCount } from '../format.js';
import { seg } from '../router.js';
import type { Connection } from '../types.js';
import { Button } from '../ui/Button.js';
import { Dialog } from '../ui/Dialog.js';
import { Checkbox } from '../ui/Field.js';
import { FormError } from '../ui/States.js';
import { CONFIGURATIONS_PATH } from './CreateConnectionDialog.js';
import { GOOGLE_WORKSPACE_ID, providerOf } from './providers.js';

export interface DeleteConnectionProps {
  /** The connection to delete; the dialog is open while one is given. */
  connection: Connection | undefined;
  /** What it synced, when known, to say what the checkbox removes. */
  counts?: { users: number; groups: number };
  /** Who reads it: the vendor's team (default; precise terms) or a customer's admin in the portal (plain words). */
  audience?: 'dashboard' | 'portal';
  /** The vendor's product, named in the portal's wording. */
  productName?: string;
  onClose: () => void;
  onDeleted: (connection: Connection, removedUsersAndGroups: boolean) => void;
}

export function DeleteConnectionDialog(props: DeleteConnectionProps) {
  return props.connection ? <DeleteConnectionForm key={props.connection.id} {...props} connection={props.connection} /> : null;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The words of the dialog for each audience. */
interface Wording {
  /** Follows "Delete <name> (<provider>)?" */
  consequence: string;
  checkboxLabel: string;
  choice: ReactNode;
  /** Instead of the checkbox, for a staging connection. */
  staging: string;
}

function wordingFor(audience: 'dashboard' | 'portal', provider: string, product: string, pulled: boolean): Wording {
  if (audience === 'portal') {
    return {
      consequence: pulled
        ? `${capitalised(product)} stops reading your ${provider} directory at once and forgets its authorization. This cannot be undone.`
        : `${capitalised(provider)} can no longer send changes to ${product}: the connection's token stops working at once. This cannot be undone.`,
      checkboxLabel: `Remove the users and groups it added to ${product}`,
      choice: (
        <>
          <strong>Checked:</strong> they are removed from {product} now, as if you had unassigned them in {provider}. <strong>Unchecked:</strong>{' '}
          they stay in {product} as they are, but changes you make in {provider} no longer reach them.
        </>
      ),
      staging: `This connection was only being tried out: the users and groups it received were never added to ${product}, and are deleted with it.`,
    };
  }
  return {
    consequence: pulled
      ? 'Its syncs stop at once, and its Google authorization is forgotten. This cannot be undone.'
      : "Its token stops working at once, and the identity provider's next requests are refused. This cannot be undone.",
    checkboxLabel: 'Remove all associated users and groups',
    choice: (
      <>
        <strong>Checked:</strong> every user and group this connection synced is deleted now, and a <code>user.deleted</code> or{' '}
        <code>group.deleted</code> event is sent for each. <strong>Unchecked:</strong> they stay in the account's directory as detached data, no
        longer updated by the identity provider, and can be purged later.
      </>
    ),
    staging:
      'Sync to user management is off: what this connection synced was never published to the app, so its users and groups are deleted with it, without events.',
  };
}

function DeleteConnectionForm({ connection, counts, audience = 'dashboard', productName, onClose, onDeleted }: DeleteConnectionProps & { connection: Connection }) {
  const [remove, setRemove] = useState(true);
  // The server removes a staging connection's data whatever it is asked (docs/directory-api.md).
  const removes = remove || !connection.syncToUserManagement;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.delete(`${CONFIGURATIONS_PATH}/${seg(connection.id)}`, { removeUsersAndGroups: removes });
      onDeleted(connection, removes);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
    } finally {
      setBusy(false);
    }
  };

  const what = counts ? ` (${formatCount(counts.users)} ${counts.users === 1 ? 'user' : 'users'}, ${formatCount(counts.groups)} ${counts.groups === 1 ? 'group' : 'groups'})` : '';
  const provider = providerOf(connection.source).name;
  // "Custom SCIM 2.0" names no product a customer's admin would recognise.
  const idp = audience === 'portal' && connection.source === 'other' ? 'your identity provider' : provider;
  // Google Workspace is read by Rollcall: no token to stop, syncs instead.
  const words = wordingFor(audience, idp, productName ?? 'the application', connection.source === GOOGLE_WORKSPACE_ID);
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
        Delete <strong>{connection.connectionName}</strong> ({provider})? {words.consequence}
      </p>
      {connection.syncToUserManagement ? (
        <Checkbox label={`${words.checkboxLabel}${what}`} checked={remove} onChange={setRemove} description={words.choice} />
      ) : (
        <p className="hint" role="note">
          {words.staging}
        </p>
      )}
      <FormError error={error} />
    </Dialog>
  );
}
