/**
 * The account's connections as the portal lists them: provider, name, users, groups, health (a Google
 * Workspace connection's status and last sync), and the actions allowed. A Google Workspace connection
 * has no setup guide, token or compatibility switches: its own dialog instead.
 */
import { HeldBadge } from '../shared/connections/deprovisioning/HeldNotice.js';
import { ProviderName } from '../shared/connections/ProviderLogo.js';
import { formatCount } from '../shared/format.js';
import type { Connection, ConnectionOverview } from '../shared/types.js';
import { Button } from '../shared/ui/Button.js';
import { PortalHealth } from './PortalHealth.js';

export function PortalConnectionsTable({
  connections,
  onSetup,
  onReplaceToken,
  onCompatibility,
  onAttributes,
  onGoogle,
  onDeprovisioning,
  onDelete,
}: {
  connections: ConnectionOverview[];
  onSetup: (connection: Connection) => void;
  /** Absent without the write permission: no New token buttons. */
  onReplaceToken?: (connection: Connection) => void;
  /** The connection's compatibility switches: changed with the write permission, shown with the read permission. */
  onCompatibility: (connection: Connection) => void;
  /** The connection's attribute mappings: changed with the write permission, shown and previewed with the read permission. */
  onAttributes: (connection: Connection) => void;
  /** A Google Workspace connection's dialog: changed with the write permission, shown with the read permission. */
  onGoogle: (connection: Connection) => void;
  /** Its held deprovisioning changes and guard: reviewed and changed with the write permission, shown with the read permission. */
  onDeprovisioning: (connection: Connection) => void;
  /** Absent without the delete permission: no Delete buttons. */
  onDelete?: (connection: ConnectionOverview) => void;
}) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Connections</caption>
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Name</th>
            <th scope="col" className="num">
              Users
            </th>
            <th scope="col" className="num">
              Groups
            </th>
            <th scope="col">Health</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {connections.map((connection) => (
            <tr key={connection.id}>
              <td>
                <ProviderName source={connection.source} />
              </td>
              <td>
                <strong>{connection.connectionName}</strong>
              </td>
              <td className="num">
                {formatCount(connection.users)}
              </td>
              <td className="num">
                {formatCount(connection.groups)}
              </td>
              <td style={{ minWidth: 180 }}>
                <PortalHealth connection={connection} />
                <HeldBadge connection={connection} />
              </td>
              <td style={{ whiteSpace: 'nowrap' }}>
                <span className="inline">
                  {connection.googleWorkspace ? (
                    <Button onClick={() => onGoogle(connection)} aria-label={`Google Workspace sync of ${connection.connectionName}`}>
                      Google Workspace
                    </Button>
                  ) : (
                    <>
                      <Button onClick={() => onSetup(connection)} aria-label={`Setup guide for ${connection.connectionName}`}>
                        Setup guide
                      </Button>
                      {onReplaceToken ? (
                        <Button onClick={() => onReplaceToken(connection)} aria-label={`New token for ${connection.connectionName}`}>
                          New token
                        </Button>
                      ) : null}
                      <Button onClick={() => onCompatibility(connection)} aria-label={`Compatibility of ${connection.connectionName}`}>
                        Compatibility
                      </Button>
                    </>
                  )}
                  <Button onClick={() => onAttributes(connection)} aria-label={`Attributes of ${connection.connectionName}`}>
                    Attributes
                  </Button>
                  <Button onClick={() => onDeprovisioning(connection)} aria-label={`Deprovisioning of ${connection.connectionName}`}>
                    Deprovisioning
                  </Button>
                  {onDelete ? (
                    <Button variant="danger" onClick={() => onDelete(connection)} aria-label={`Delete ${connection.connectionName}`}>
                      Delete
                    </Button>
                  ) : null}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
