/** "Edit roles" of one SCIM group: role checkboxes → PUT …/groups/:groupId/roles {roleKeys}. */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { Link, seg } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { Dialog } from '../../../shared/ui/Dialog.js';
import { Checkbox } from '../../../shared/ui/Field.js';
import { FormError } from '../../../shared/ui/States.js';
import { useAction } from '../../../shared/use-api.js';
import { permissionLabel, type GroupRoles, type Role } from './types.js';
import './roles.css';

export function EditGroupRolesDialog({
  tenantId,
  group,
  current,
  roles,
  onClose,
  onSaved,
}: {
  tenantId: string;
  group: { id: string; displayName: string };
  current: string[];
  roles: Role[];
  onClose: () => void;
  onSaved: (mapping: GroupRoles) => void;
}) {
  const [keys, setKeys] = useState<string[]>(current);
  const save = useAction((roleKeys: string[]) => api.put<GroupRoles>(`/api/v1/tenants/${seg(tenantId)}/groups/${seg(group.id)}/roles`, { roleKeys }));
  const formId = `group-roles-${group.id}`;
  return (
    <Dialog
      title={`Roles of ${group.displayName}`}
      open
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} busy={save.busy} disabled={roles.length === 0}>
            Save roles
          </Button>
        </>
      }
    >
      <form
        id={formId}
        onSubmit={async (event) => {
          event.preventDefault();
          const saved = await save.run(keys);
          if (saved) onSaved(saved);
        }}
      >
        <p className="hint">Members of this group get the roles you tick, in addition to the default role. Untick every role to remove the mapping.</p>
        {roles.length === 0 ? (
          <p>
            This environment has no roles yet. <Link to="/dashboard/roles">Create one under Roles</Link> first.
          </p>
        ) : (
          <fieldset className="fieldset">
            <legend>Roles</legend>
            {roles.map((role) => (
              <Checkbox
                key={role.key}
                label={role.name}
                description={
                  <>
                    <code>{role.key}</code>
                    {role.isDefault ? ' · the default role: every user has it already' : ''}
                    {role.permissions.length > 0 ? ` · ${role.permissions.map(permissionLabel).join(', ')}` : ' · no permissions'}
                  </>
                }
                checked={keys.includes(role.key)}
                onChange={(checked) => setKeys(checked ? [...keys, role.key] : keys.filter((k) => k !== role.key))}
              />
            ))}
          </fieldset>
        )}
        <FormError error={save.error} />
      </form>
    </Dialog>
  );
}
