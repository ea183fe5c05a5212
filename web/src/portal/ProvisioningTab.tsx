/**
 * The account's SCIM connections in the portal. What is offered follows the session's permissions
 * (add: write; delete: delete); the server checks them again and its 403s are shown as they come.
 */
import { useState } from 'react';
import { api } from '../shared/api.js';
import { ConnectionSetupDialog } from '../shared/connections/ConnectionSetupDialog.js';
import { CONFIGURATIONS_PATH, CreateConnectionDialog } from '../shared/connections/CreateConnectionDialog.js';
import { DeleteConnectionDialog } from '../shared/connections/DeleteConnectionDialog.js';
import { PERMISSIONS, type Connection, type PortalSession } from '../shared/types.js';
import { Button } from '../shared/ui/Button.js';
import { Card } from '../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../shared/ui/States.js';
import { useApi } from '../shared/use-api.js';
import { PortalConnectionsTable } from './PortalConnectionsTable.js';

export function ProvisioningTab({ session }: { session: PortalSession }) {
  const productName = session.theme?.productName ?? undefined;
  const canWrite = session.permissions.includes(PERMISSIONS.write);
  const canDelete = session.permissions.includes(PERMISSIONS.delete);
  const list = useApi(() => api.get<Connection[]>(CONFIGURATIONS_PATH), []);
  const [creating, setCreating] = useState(false);
  const [setup, setSetup] = useState<Connection | undefined>();
  const [deleting, setDeleting] = useState<Connection | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const addButton = canWrite ? (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Add connection
    </Button>
  ) : null;

  return (
    <>
      <h1>Directory provisioning</h1>
      <p className="muted">
        Connect your identity provider (Okta, Microsoft Entra ID, OneLogin, JumpCloud, Rippling, PingOne or any SCIM 2.0 client) so that the people
        and groups you assign there are created, updated and removed in {productName ?? 'the application'} automatically.
      </p>
      {notice ? (
        <p className="callout callout-info" role="status">
          {notice}
        </p>
      ) : null}
      <Card title="SCIM connections" actions={list.data && list.data.length > 0 ? addButton : null}>
        {list.error ? (
          <ErrorState
            error={list.error}
            retry={list.reload}
            title={list.error.status === 403 ? "You can't view the provisioning settings" : 'The connections could not be loaded'}
          />
        ) : !list.data ? (
          <Loading label="Loading connections…" />
        ) : list.data.length === 0 ? (
          <EmptyState title="No SCIM connections yet" action={addButton}>
            {canWrite
              ? 'Add a connection, then paste its provisioning URL and token into your identity provider.'
              : 'Nobody has connected an identity provider yet. Ask an administrator with the permission to add connections.'}
          </EmptyState>
        ) : (
          <PortalConnectionsTable connections={list.data} onSetup={setSetup} onDelete={
              canDelete
                ? (c) => {
                    setNotice(undefined);
                    setDeleting(c);
                  }
                : undefined
            } />
        )}
      </Card>
      {canWrite ? (
        <CreateConnectionDialog
          open={creating}
          context="portal"
          productName={productName}
          onCreated={() => {
            setNotice(undefined);
            list.reload();
          }}
          onClose={() => setCreating(false)}
        />
      ) : null}
      <ConnectionSetupDialog connection={setup} context="portal" productName={productName} onClose={() => setSetup(undefined)} />
      {canDelete ? (
        <DeleteConnectionDialog
          connection={deleting}
          onClose={() => setDeleting(undefined)}
          onDeleted={(connection, removed) => {
            setDeleting(undefined);
            setNotice(
              removed
                ? `${connection.connectionName} was deleted, with the users and groups it provisioned.`
                : `${connection.connectionName} was deleted. The users and groups it provisioned were kept.`,
            );
            list.reload();
          }}
        />
      ) : null}
    </>
  );
}
