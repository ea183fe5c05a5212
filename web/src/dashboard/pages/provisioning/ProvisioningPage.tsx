/**
 * An account's Provisioning section: its connections (counts, last sync, health), creating one (a SCIM
 * connection's token shown once; a Google Workspace one connected to Google), the provisioning URL and
 * setup guide, the sync switch, token rotation, a Google Workspace connection's dialog, and deletion.
 */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { ConnectionSetupDialog } from '../../../shared/connections/ConnectionSetupDialog.js';
import { CreateConnectionDialog } from '../../../shared/connections/CreateConnectionDialog.js';
import { DeleteConnectionDialog } from '../../../shared/connections/DeleteConnectionDialog.js';
import { ReauthorizationNotices } from '../../../shared/connections/google/GoogleStatus.js';
import { GoogleWorkspaceDialog } from '../../../shared/connections/google/GoogleWorkspaceDialog.js';
import { useGoogleDialog } from '../../../shared/connections/google/use-google-dialog.js';
import { seg } from '../../../shared/router.js';
import type { Connection, ConnectionOverview, ConnectionOverviewList } from '../../../shared/types.js';
import { Button } from '../../../shared/ui/Button.js';
import { Card } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';
import { AccountLayout } from '../accounts/AccountLayout.js';
import { ConnectionsTable } from './ConnectionsTable.js';
import { TokensDialog } from './TokensDialog.js';
import { CompatibilityDialog } from '../../../shared/connections/CompatibilityDialog.js';
import { AttributeMappingsDialog } from '../../../shared/connections/AttributeMappingsDialog.js';
import type { UserPage } from '../directory/types.js';
import { DeprovisioningDialog } from '../../../shared/connections/deprovisioning/DeprovisioningDialog.js';
import { GoLivePreviewDialog } from '../../../shared/connections/deprovisioning/GoLivePreviewDialog.js';
import { HeldNotices } from '../../../shared/connections/deprovisioning/HeldNotice.js';
import { plural } from '../../../shared/format.js';
import { requestLink, useReviewParam } from './review-link.js';

/** The connection's users matching `q`, for the mapping preview's user picker. */
const searchConnectionUsers = (connectionId: string, q: string) =>
  api
    .get<UserPage>(`/api/v1/connections/${seg(connectionId)}/users`, { q, limit: 8 })
    .then((page) => page.items.map((u) => ({ id: u.id, userName: u.userName, displayName: u.displayName })));

export function ProvisioningPage({ tenantId }: { tenantId: string }) {
  const overview = useApi(() => api.get<ConnectionOverviewList>(`/api/v1/tenants/${seg(tenantId)}/connections`), [tenantId]);
  const [creating, setCreating] = useState(false);
  const [setup, setSetup] = useState<Connection | undefined>();
  const [tokens, setTokens] = useState<Connection | undefined>();
  const [compatibility, setCompatibility] = useState<Connection | undefined>();
  const [attributes, setAttributes] = useState<Connection | undefined>();
  const [deleting, setDeleting] = useState<ConnectionOverview | undefined>();
  const [deprovisioning, setDeprovisioning] = useState<Connection | undefined>();
  const [goLive, setGoLive] = useState<Connection | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const createButton = (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create connection
    </Button>
  );
  const items = overview.data?.items;
  const google = useGoogleDialog(items);
  useReviewParam(items, setDeprovisioning);

  return (
    <AccountLayout tenantId={tenantId} section="provisioning" actions={items && items.length > 0 ? createButton : undefined}>
      {() => (
        <>
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
              <Button variant="ghost" onClick={overview.reload} busy={overview.loading && Boolean(items)}>
                Refresh
              </Button>
            }
          >
            <p className="muted">
              Each connection brings this account&apos;s users and groups from one identity provider: pushed over SCIM 2.0, with its own provisioning URL
              and token, or read by Rollcall from Google Workspace.
            </p>
            {items ? <ReauthorizationNotices connections={items} onAuthorize={google.open} /> : null}
            {items ? <HeldNotices connections={items} app="the app" onReview={setDeprovisioning} /> : null}
            {overview.error ? (
              <ErrorState error={overview.error} retry={overview.reload} title="The connections could not be loaded" />
            ) : !items ? (
              <Loading label="Loading connections…" />
            ) : items.length === 0 ? (
              <EmptyState title="No SCIM connections yet" action={createButton}>
                Create a connection, then paste its provisioning URL and token into the account's identity provider, or connect its Google Workspace.
              </EmptyState>
            ) : (
              <ConnectionsTable
                connections={items}
                actions={{
                  onSetup: setSetup,
                  onTokens: setTokens,
                  onCompatibility: setCompatibility,
                  onAttributes: setAttributes,
                  onGoogle: google.open,
                  onDeprovisioning: setDeprovisioning,
                  onGoLive: setGoLive,
                  onDelete: (c) => {
                    setNotice(undefined);
                    setDeleting(c);
                  },
                }}
              />
            )}
          </Card>
          <CreateConnectionDialog
            open={creating}
            tenantId={tenantId}
            syncOption
            context="dashboard"
            onCreated={() => {
              setNotice(undefined);
              overview.reload();
            }}
            onClose={() => {
            setCreating(false);
            // A Google Workspace connection may have been authorized and synced meanwhile.
            overview.reload();
          }}
          />
          <ConnectionSetupDialog connection={setup} context="dashboard" onClose={() => setSetup(undefined)} />
          <TokensDialog connection={tokens} onClose={() => setTokens(undefined)} />
          <CompatibilityDialog connection={compatibility} canEdit onClose={() => setCompatibility(undefined)} />
          <GoogleWorkspaceDialog
            connection={google.connection}
            canEdit
            consent={google.consent}
            onClose={() => {
              google.close();
              overview.reload();
            }}
          />
          <AttributeMappingsDialog connection={attributes} canEdit context="dashboard" searchUsers={searchConnectionUsers} onClose={() => setAttributes(undefined)} />
          <DeprovisioningDialog
            connection={deprovisioning}
            canEdit
            app="the app"
            requestHref={requestLink}
            onChanged={overview.reload}
            onClose={() => setDeprovisioning(undefined)}
          />
          <GoLivePreviewDialog
            connection={goLive}
            userHref={(tenant, userId) => `/dashboard/accounts/${seg(tenant)}/users/${seg(userId)}`}
            onClose={() => setGoLive(undefined)}
            onLive={(connection, preview) => {
              setGoLive(undefined);
              setNotice(`${connection.connectionName} is live: its ${plural(preview.users.total, 'user')} and ${plural(preview.groups.total, 'group')} are now in the product.`);
              overview.reload();
            }}
          />
          <DeleteConnectionDialog
            connection={deleting}
            counts={deleting ? { users: deleting.users, groups: deleting.groups } : undefined}
            onClose={() => setDeleting(undefined)}
            onDeleted={(connection, removed) => {
              setDeleting(undefined);
              setNotice(
                removed
                  ? `${connection.connectionName} was deleted with its users and groups.`
                  : `${connection.connectionName} was deleted. Its users and groups stay in the directory, detached.`,
              );
              overview.reload();
            }}
          />
        </>
      )}
    </AccountLayout>
  );
}
