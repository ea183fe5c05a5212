/** One group of the account with the roles mapped to it (its own GET) and an "Edit roles" button. */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { Link, seg } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { Badge } from '../../../shared/ui/Layout.js';
import { useApi } from '../../../shared/use-api.js';
import type { DirectoryGroup } from '../directory/types.js';
import { EditGroupRolesDialog } from './EditGroupRolesDialog.js';
import type { GroupRoles, Role } from './types.js';

/** The fields of a directory group the row shows. */
export type AccountGroup = Pick<DirectoryGroup, 'id' | 'displayName' | 'externalId' | 'connectionId' | 'detached'>;

export function GroupRolesRow({ tenantId, group, roles }: { tenantId: string; group: AccountGroup; roles: Role[] }) {
  const mapping = useApi(() => api.get<GroupRoles>(`/api/v1/tenants/${seg(tenantId)}/groups/${seg(group.id)}/roles`), [tenantId, group.id]);
  const [saved, setSaved] = useState<string[] | undefined>();
  const [editing, setEditing] = useState(false);
  const keys = saved ?? mapping.data?.roleKeys;
  const nameOf = (key: string) => roles.find((r) => r.key === key)?.name ?? key;

  let cell;
  if (mapping.error)
    cell = (
      <span className="field-error" role="alert">
        {mapping.error.message}{' '}
        <Button variant="ghost" onClick={mapping.reload}>
          Try again
        </Button>
      </span>
    );
  else if (!keys) cell = <span className="muted">Loading…</span>;
  else if (keys.length === 0) cell = <span className="muted">No roles mapped</span>;
  else
    cell = (
      <ul className="permission-list" aria-label={`Roles of ${group.displayName}`}>
        {keys.map((key) => (
          <li key={key}>
            <Badge tone="good">{nameOf(key)}</Badge>
          </li>
        ))}
      </ul>
    );

  return (
    <tr>
      <td>
        <Link to={`/dashboard/accounts/${seg(tenantId)}/groups/${seg(group.id)}`}>{group.displayName}</Link> {group.detached ? <Badge tone="warn">Detached</Badge> : null}
        {group.externalId ? <div className="hint mono">{group.externalId}</div> : null}
      </td>
      <td>{cell}</td>
      <td>
        <div className="row-actions">
          <Button onClick={() => setEditing(true)} disabled={!keys} aria-label={`Edit roles of ${group.displayName}`}>
            Edit roles
          </Button>
        </div>
        {editing && keys ? (
          <EditGroupRolesDialog
            tenantId={tenantId}
            group={group}
            current={keys}
            roles={roles}
            onClose={() => setEditing(false)}
            onSaved={(result) => {
              setSaved(result.roleKeys);
              setEditing(false);
            }}
          />
        ) : null}
      </td>
    </tr>
  );
}
