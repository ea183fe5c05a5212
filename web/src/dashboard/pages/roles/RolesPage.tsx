/** Roles of the environment: bundles of permissions that user tokens and mapped SCIM groups carry. */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { Button } from '../../../shared/ui/Button.js';
import { Badge, Card, PageHeader } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';
import { DeleteRoleDialog } from './DeleteRoleDialog.js';
import { PermissionList } from './PermissionList.js';
import { RoleDialog } from './RoleDialog.js';
import type { Permissions, Role, RoleList } from './types.js';
import './roles.css';

export function RolesPage() {
  const loaded = useApi(
    () => Promise.all([api.get<RoleList>('/api/v1/roles'), api.get<Permissions>('/api/v1/permissions')]).then(([roles, permissions]) => ({ roles: roles.items, permissions: permissions.items })),
    [],
  );
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Role | undefined>();
  const [deleting, setDeleting] = useState<Role | undefined>();
  const [notice, setNotice] = useState('');

  const roles = loaded.data?.roles ?? [];
  const permissions = loaded.data?.permissions ?? [];
  const currentDefault = roles.find((r) => r.isDefault);
  const saved = (message: string) => {
    setNotice(message);
    loaded.reload();
  };

  let body;
  if (loaded.error) body = <ErrorState error={loaded.error} retry={loaded.reload} title="Roles could not be loaded" />;
  else if (!loaded.data) body = <Loading label="Loading roles…" />;
  else if (roles.length === 0)
    body = (
      <EmptyState title="No roles">
        Without roles, user tokens carry only the permissions your backend names when it mints them. Use “Create role” to bundle permissions.
      </EmptyState>
    );
  else
    body = (
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Key</th>
              <th scope="col">Permissions</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {roles.map((role) => (
              <tr key={role.key}>
                <td>
                  <span className="role-name">{role.name}</span> {role.isDefault ? <Badge tone="good">Default</Badge> : null}
                  {role.description ? <p className="hint">{role.description}</p> : null}
                </td>
                <td>
                  <code className="role-key">{role.key}</code>
                </td>
                <td>
                  <PermissionList permissions={role.permissions} />
                </td>
                <td>
                  <div className="row-actions">
                    <Button onClick={() => setEditing(role)} aria-label={`Edit role ${role.name}`}>
                      Edit
                    </Button>
                    <Button variant="ghost" onClick={() => setDeleting(role)} aria-label={`Delete role ${role.name}`}>
                      Delete
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <>
      <PageHeader
        title="Roles"
        subtitle="Bundles of permissions for the self-service portal, named in user tokens and mapped to SCIM groups."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)} disabled={!loaded.data}>
            Create role
          </Button>
        }
      />
      <p role="status" aria-live="polite" className={notice ? 'callout callout-info' : 'sr-only'}>
        {notice}
      </p>
      <Card>{body}</Card>
      <Card title="How roles are used">
        <ul className="steps">
          <li>
            <strong>View provisioning</strong> lets a customer's admin see the Provisioning tab of the self-service portal; <strong>Add connections</strong> and{' '}
            <strong>Delete connections</strong> let them create and remove SCIM connections there.
          </li>
          <li>A provisioned user's effective roles are the default role plus the roles mapped to their groups (an account's Roles tab).</li>
          <li>User tokens keep the permissions they were minted with: a change here applies to tokens minted afterwards.</li>
        </ul>
      </Card>
      {creating ? (
        <RoleDialog open permissions={permissions} currentDefault={currentDefault} onClose={() => setCreating(false)} onSaved={(role) => saved(`Role “${role.name}” created.`)} />
      ) : null}
      {editing ? (
        <RoleDialog
          key={editing.key}
          open
          role={editing}
          permissions={permissions}
          currentDefault={currentDefault}
          onClose={() => setEditing(undefined)}
          onSaved={(role) => saved(`Role “${role.name}” saved.`)}
        />
      ) : null}
      <DeleteRoleDialog
        role={deleting}
        onClose={() => setDeleting(undefined)}
        onDeleted={() => {
          const name = deleting?.name ?? '';
          setDeleting(undefined);
          saved(`Role “${name}” deleted.`);
        }}
      />
    </>
  );
}
