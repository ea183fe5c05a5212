/** Confirms deleting a role; the API's refusal, if any, is shown as it says it. */
import { api } from '../../../shared/api.js';
import { seg } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { Dialog } from '../../../shared/ui/Dialog.js';
import { FormError } from '../../../shared/ui/States.js';
import { useAction } from '../../../shared/use-api.js';
import type { Role } from './types.js';

export function DeleteRoleDialog({ role, onClose, onDeleted }: { role: Role | undefined; onClose: () => void; onDeleted: () => void }) {
  const remove = useAction((key: string) => api.delete(`/api/v1/roles/${seg(key)}`).then(() => true));
  const close = () => {
    remove.clearError();
    onClose();
  };
  return (
    <Dialog
      title="Delete role?"
      open={role !== undefined}
      onClose={close}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button
            variant="danger"
            busy={remove.busy}
            onClick={async () => {
              if (role && (await remove.run(role.key))) onDeleted();
            }}
          >
            Delete role
          </Button>
        </>
      }
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
      <FormError error={remove.error} />
    </Dialog>
  );
}
