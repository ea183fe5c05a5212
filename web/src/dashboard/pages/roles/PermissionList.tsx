/** A role's permissions as badges: Rollcall's by name, the vendor's own keys as code. */
import { Badge } from '../../../shared/ui/Layout.js';
import { isKnownPermission, permissionLabel } from './types.js';

export function PermissionList({ permissions }: { permissions: string[] }) {
  if (permissions.length === 0) return <span className="muted">No permissions</span>;
  return (
    <ul className="permission-list" aria-label="Permissions">
      {permissions.map((key) => (
        <li key={key} title={key}>
          {isKnownPermission(key) ? <Badge tone="good">{permissionLabel(key)}</Badge> : <Badge><code>{key}</code></Badge>}
        </li>
      ))}
    </ul>
  );
}
