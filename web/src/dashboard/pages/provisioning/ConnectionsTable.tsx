/** The account's connections (SCIM and Google Workspace) with counts and health. */
import type { ConnectionOverview } from '../../../shared/types.js';
import { ConnectionRow, type ConnectionActions } from './ConnectionRow.js';

export function ConnectionsTable({ connections, actions }: { connections: ConnectionOverview[]; actions: ConnectionActions }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Connections</caption>
        <thead>
          <tr>
            <th scope="col">Connection</th>
            <th scope="col">Created</th>
            <th scope="col">Last sync</th>
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
            <ConnectionRow key={connection.id} connection={connection} actions={actions} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
