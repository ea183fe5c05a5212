/** Confirms deleting a role; the API's refusal, if any, is shown as it says it. */
import { api } from '../../../shared/api.js';
import { seg } from '../../../shared/router.js';
import { ConfirmDeleteDialog } from '../../../shared/ui/ConfirmDeleteDialog.js';
import type { Role } from './types.js';

export function DeleteRoleDialog({ role, onClose, onDeleted }: { role: Role | undefined; onClose: () => void; onDeleted: () => void }) {
  return (
    <ConfirmDeleteDialog
      title="Delete role?"
      confirmLabel="Delete role"
      open={role !== undefined}
      onDelete={() => api.delete(`/api/v1/roles/${seg(role!.key)}`)}
      onClose={onClose}
      onDeleted={onDeleted}
    >
      <p>
        <strong>{role?.name}</strong> (<code>{role?.key}</code>) and its group mappings in every account will be deleted. Members of those groups lose its
        permissions; user tokens already issued keep theirs until they expire.
      </p>
      {role?.isDefault ? (
        <div className="callout callout-warn" role="note">
          This is the default role: without it, provisioned users get no role unless a group gives them one.
        </div>
      ) : null}
    </ConfirmDeleteDialog>
  );
}
