/**
 * An account's Provisioning section: its SCIM connections (counts, last sync, health), creating one
 * (the token shown once), the provisioning URL and setup guide, the sync switch, token rotation and deletion.
 */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { ConnectionSetupDialog } from '../../../shared/connections/ConnectionSetupDialog.js';
import { CreateConnectionDialog } from '../../../shared/connections/CreateConnectionDialog.js';
import { DeleteConnectionDialog } from '../../../shared/connections/DeleteConnectionDialog.js';
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
  const [notice, setNotice] = useState<string | undefined>();

  const createButton = (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create connection
    </Button>
  );
  const items = overview.data?.items;

  return (
    <AccountLayout tenantId={tenantId} section="provisioning" actions={items && items.length > 0 ? createButton : undefined}>
      {() => (
        <>
          {notice ? (
            <p className="callout callout-info" role="status">
              {notice}
            </p>
          ) : null}
          <Card
            title="SCIM connections"
            actions={
              <Button variant="ghost" onClick={overview.reload} busy={overview.loading && Boolean(items)}>
                Refresh
              </Button>
            }
          >
            <p className="muted">
              Each connection lets one identity provider of this account push users and groups over SCIM 2.0, with its own provisioning URL and token.
            </p>
            {overview.error ? (
              <ErrorState error={overview.error} retry={overview.reload} title="The connections could not be loaded" />
            ) : !items ? (
              <Loading label="Loading connections…" />
            ) : items.length === 0 ? (
              <EmptyState title="No SCIM connections yet" action={createButton}>
                Create a connection, then paste its provisioning URL and token into the account's identity provider.
              </EmptyState>
            ) : (
              <ConnectionsTable
                connections={items}
                actions={{
                  onSetup: setSetup,
                  onTokens: setTokens,
                  onCompatibility: setCompatibility,
                  onAttributes: setAttributes,
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
            onClose={() => setCreating(false)}
          />
          <ConnectionSetupDialog connection={setup} context="dashboard" onClose={() => setSetup(undefined)} />
          <TokensDialog connection={tokens} onClose={() => setTokens(undefined)} />
          <CompatibilityDialog connection={compatibility} canEdit onClose={() => setCompatibility(undefined)} />
          <AttributeMappingsDialog connection={attributes} canEdit context="dashboard" searchUsers={searchConnectionUsers} onClose={() => setAttributes(undefined)} />
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
