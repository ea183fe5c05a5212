/** The account's connections as the portal lists them: provider, name, created, last sync, and the actions allowed. */
import { ProviderName } from '../shared/connections/ProviderLogo.js';
import { formatDateTime, formatRelative } from '../shared/format.js';
import type { Connection } from '../shared/types.js';
import { Button } from '../shared/ui/Button.js';

function When({ at, none }: { at: string | null; none: string }) {
  if (!at) return <span className="muted">{none}</span>;
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      {formatRelative(at)}
    </time>
  );
}

export function PortalConnectionsTable({
  connections,
  onSetup,
  onDelete,
}: {
  connections: Connection[];
  onSetup: (connection: Connection) => void;
  /** Absent without the delete permission: no Delete buttons. */
  onDelete?: (connection: Connection) => void;
}) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">SCIM connections</caption>
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Name</th>
            <th scope="col">Created</th>
            <th scope="col">Last sync</th>
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
              <td>
                <When at={connection.createdAt} none="—" />
              </td>
              <td>
                <When at={connection.lastSync} none="Never" />
              </td>
              <td>
                <span className="inline">
                  <Button onClick={() => onSetup(connection)} aria-label={`Setup guide for ${connection.connectionName}`}>
                    Setup guide
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
