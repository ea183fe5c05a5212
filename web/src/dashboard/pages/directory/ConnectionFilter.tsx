/** The "Connection" select of the users and groups lists, with the hint about what the unfiltered list shows. */
import type { Connection } from '../../../shared/types.js';
import { SelectField } from '../../../shared/ui/Field.js';

export function ConnectionFilter({ connections, value, onChange, failed }: { connections: Connection[]; value: string; onChange: (id: string) => void; failed?: boolean }) {
  const known = connections.some((c) => c.id === value);
  return (
    <SelectField label="Connection" value={value} onChange={(e) => onChange(e.target.value)} disabled={failed && !value}>
      <option value="">All synced connections</option>
      {connections.map((c) => (
        <option key={c.id} value={c.id}>
          {c.connectionName}
          {c.syncToUserManagement ? '' : ' (not synced)'}
        </option>
      ))}
      {value && !known ? <option value={value}>{value}</option> : null}
    </SelectField>
  );
}

/** Says why a user or group may be missing from the unfiltered list. */
export function ConnectionHint({ kind, filtered }: { kind: 'users' | 'groups'; filtered: boolean }) {
  return (
    <p className="hint">
      {filtered
        ? `Every ${kind === 'users' ? 'user' : 'group'} this connection provisioned, whether or not it syncs to user management.`
        : `Shows the ${kind} of connections with “Sync to user management” on, and detached ${kind} left by deleted connections. Choose a connection to see all of its ${kind}, also one that does not sync.`}
    </p>
  );
}

/** The connection of a user or group: its name, or its ID when it no longer exists. */
export function ConnectionName({ id, byId, detached }: { id: string; byId: Map<string, Connection>; detached?: boolean }) {
  const connection = byId.get(id);
  if (connection) return <>{connection.connectionName}</>;
  return (
    <span className="muted" title={detached ? 'The connection that provisioned this was deleted' : undefined}>
      <code>{id}</code>
      {detached ? ' (deleted)' : ''}
    </span>
  );
}
