/** Asks before deleting something; runs the delete and shows the API's refusal, if any, as it says it. */
import type { ReactNode } from 'react';
import { Button } from './Button.js';
import { Dialog } from './Dialog.js';
import { FormError } from './States.js';
import { useAction } from '../use-api.js';

export function ConfirmDeleteDialog({ open, title, confirmLabel, onDelete, onClose, onDeleted, children }: {
  open: boolean;
  title: string;
  confirmLabel: string;
  /** The delete itself; resolves when it succeeded. */
  onDelete: () => Promise<unknown>;
  onClose: () => void;
  onDeleted: () => void;
  children: ReactNode;
}) {
  const remove = useAction(() => onDelete().then(() => true));
  const close = () => {
    remove.clearError();
    onClose();
  };
  return (
    <Dialog
      title={title}
      open={open}
      onClose={close}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button
            variant="danger"
            busy={remove.busy}
            onClick={async () => {
              if (await remove.run()) onDeleted();
            }}
          >
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
      <FormError error={remove.error} />
    </Dialog>
  );
}
