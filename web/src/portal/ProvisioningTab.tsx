/**
 * The account's connections in the portal (SCIM and Google Workspace), with their user and group counts
 * and health. What is offered follows the session's permissions (add, new token, connecting Google and
 * syncing: write; delete: delete), and what is not offered is said in a note; the server checks them
 * again and its 403s are shown as they come.
 */
import { useState } from 'react';
import { api } from '../shared/api.js';
import { AttributeMappingsDialog } from '../shared/connections/AttributeMappingsDialog.js';
import { CompatibilityDialog } from '../shared/connections/CompatibilityDialog.js';
import { ConnectionSetupDialog } from '../shared/connections/ConnectionSetupDialog.js';
import { CreateConnectionDialog } from '../shared/connections/CreateConnectionDialog.js';
import { DeleteConnectionDialog } from '../shared/connections/DeleteConnectionDialog.js';
import { ReauthorizationNotices } from '../shared/connections/google/GoogleStatus.js';
import { GoogleWorkspaceDialog } from '../shared/connections/google/GoogleWorkspaceDialog.js';
import { useGoogleDialog } from '../shared/connections/google/use-google-dialog.js';
import { seg } from '../shared/router.js';
import { PERMISSIONS, type Connection, type ConnectionOverview, type ConnectionOverviewList, type PortalSession } from '../shared/types.js';
import { Button } from '../shared/ui/Button.js';
import { Card } from '../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../shared/ui/States.js';
import { useApi } from '../shared/use-api.js';
import { DeprovisioningDialog } from '../shared/connections/deprovisioning/DeprovisioningDialog.js';
import { HeldNotices } from '../shared/connections/deprovisioning/HeldNotice.js';
import { PERMISSION_NAMES, PermissionNote } from './PermissionNote.js';
import { PortalConnectionsTable } from './PortalConnectionsTable.js';
import { ReplaceTokenDialog } from './ReplaceTokenDialog.js';

export function ProvisioningTab({ session }: { session: PortalSession }) {
  const productName = session.theme?.productName ?? undefined;
  const product = productName ?? 'the application';
  const canWrite = session.permissions.includes(PERMISSIONS.write);
  const canDelete = session.permissions.includes(PERMISSIONS.delete);
  // The dashboard's overview (counts and health), which the read permission opens for the session's own tenant.
  const list = useApi(() => api.get<ConnectionOverviewList>(`/api/v1/tenants/${seg(session.tenantId)}/connections`), [session.tenantId]);
  const items = list.data?.items;
  const google = useGoogleDialog(items);
  const askWriter = `Ask an admin with the ${PERMISSION_NAMES.write} permission to change these settings.`;
  const [creating, setCreating] = useState(false);
  const [setup, setSetup] = useState<Connection | undefined>();
  const [replacing, setReplacing] = useState<Connection | undefined>();
  const [compatibility, setCompatibility] = useState<Connection | undefined>();
  const [attributes, setAttributes] = useState<Connection | undefined>();
  const [deleting, setDeleting] = useState<ConnectionOverview | undefined>();
  const [deprovisioning, setDeprovisioning] = useState<Connection | undefined>();
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
        Connect your identity provider (Okta, Microsoft Entra ID, OneLogin, JumpCloud, Rippling, PingOne or any SCIM 2.0 client) or your Google
        Workspace so that the people and groups you assign there are created, updated and removed in {product} automatically.
      </p>
      {notice ? (
        <p className="callout callout-info" role="status">
          {notice}
        </p>
      ) : null}
      {google.orphanOutcome ? (
        <p className={google.orphanOutcome.connected ? 'callout callout-info' : 'callout callout-bad'} role="status">
          {google.orphanOutcome.connected ? 'Google Workspace is connected.' : `Google Workspace was not connected: ${google.orphanOutcome.reason}`}
        </p>
      ) : null}
      <Card
        title="Connections"
        actions={
          <span className="inline">
            {items && items.length > 0 ? addButton : null}
            <Button variant="ghost" onClick={list.reload} busy={list.loading && Boolean(items)}>
              Refresh
            </Button>
          </span>
        }
      >
        {list.error ? (
          <ErrorState
            error={list.error}
            retry={list.reload}
            title={list.error.status === 403 ? "You can't view the provisioning settings" : 'The connections could not be loaded'}
          />
        ) : !items ? (
          <Loading label="Loading connections…" />
        ) : items.length === 0 ? (
          <EmptyState title="No SCIM connections yet" action={addButton}>
            {canWrite
              ? 'Add a connection, then paste its provisioning URL and token into your identity provider.'
              : `Nobody has connected an identity provider yet. Ask an admin with the ${PERMISSION_NAMES.write} permission to add a connection.`}
          </EmptyState>
        ) : (
          <>
            <ReauthorizationNotices connections={items} onAuthorize={canWrite ? google.open : undefined} readOnlyNote={canWrite ? undefined : `Ask an admin with the ${PERMISSION_NAMES.write} permission to authorize it again.`} />
            <HeldNotices connections={items} app={product} onReview={setDeprovisioning} />
            <PermissionNote canWrite={canWrite} canDelete={canDelete} />
            <PortalConnectionsTable
              connections={items}
              onSetup={setSetup}
              onReplaceToken={canWrite ? setReplacing : undefined}
              onCompatibility={setCompatibility}
              onAttributes={setAttributes}
              onGoogle={google.open}
              onDeprovisioning={setDeprovisioning}
              onDelete={
                canDelete
                  ? (c) => {
                      setNotice(undefined);
                      setDeleting(c);
                    }
                  : undefined
              }
            />
          </>
        )}
      </Card>
      {canWrite ? (
        <CreateConnectionDialog
          open={creating}
          tenantId={session.tenantId}
          context="portal"
          productName={productName}
          onCreated={() => {
            setNotice(undefined);
            list.reload();
          }}
          onClose={() => {
            setCreating(false);
            // A Google Workspace connection may have been authorized and synced meanwhile.
            list.reload();
          }}
        />
      ) : null}
      <ConnectionSetupDialog connection={setup} context="portal" productName={productName} onClose={() => setSetup(undefined)} />
      {canWrite ? <ReplaceTokenDialog connection={replacing} onClose={() => setReplacing(undefined)} /> : null}
      <CompatibilityDialog
        connection={compatibility}
        canEdit={canWrite}
        readOnlyNote={askWriter}
        onClose={() => setCompatibility(undefined)}
      />
      <GoogleWorkspaceDialog
        connection={google.connection}
        canEdit={canWrite}
        readOnlyNote={askWriter}
        consent={google.consent}
        onClose={() => {
          google.close();
          list.reload();
        }}
      />
      <AttributeMappingsDialog
        connection={attributes}
        canEdit={canWrite}
        context="portal"
        productName={productName}
        readOnlyNote={`You can see and preview these mappings. Ask an admin with the ${PERMISSION_NAMES.write} permission to change them.`}
        onClose={() => setAttributes(undefined)}
      />
      <DeprovisioningDialog
        connection={deprovisioning}
        canEdit={canWrite}
        readOnlyNote={`You can see what is held. Ask an admin with the ${PERMISSION_NAMES.write} permission to release or discard changes or to change these settings.`}
        app={product}
        onChanged={list.reload}
        onClose={() => setDeprovisioning(undefined)}
      />
      {canDelete ? (
        <DeleteConnectionDialog
          connection={deleting}
          counts={deleting ? { users: deleting.users, groups: deleting.groups } : undefined}
          audience="portal"
          productName={productName}
          onClose={() => setDeleting(undefined)}
          onDeleted={(connection, removed) => {
            setDeleting(undefined);
            setNotice(
              removed
                ? `${connection.connectionName} was deleted, and the users and groups it added were removed from ${product}.`
                : `${connection.connectionName} was deleted. The users and groups it added stay in ${product}, no longer updated by your identity provider.`,
            );
            list.reload();
          }}
        />
      ) : null}
    </>
  );
}
