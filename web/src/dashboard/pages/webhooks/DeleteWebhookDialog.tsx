/** Confirms deleting a webhook and its delivery history. */
import { api } from '../../../shared/api.js';
import { seg } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { Dialog } from '../../../shared/ui/Dialog.js';
import { FormError } from '../../../shared/ui/States.js';
import { useAction } from '../../../shared/use-api.js';
import type { Webhook } from './types.js';

export function DeleteWebhookDialog({ webhook, onClose, onDeleted }: { webhook: Webhook | undefined; onClose: () => void; onDeleted: () => void }) {
  const remove = useAction((id: string) => api.delete(`/api/v1/webhooks/${seg(id)}`).then(() => true));
  const close = () => {
    remove.clearError();
    onClose();
  };
  return (
    <Dialog
      title="Delete webhook?"
      open={webhook !== undefined}
      onClose={close}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button
            variant="danger"
            busy={remove.busy}
            onClick={async () => {
              if (webhook && (await remove.run(webhook.id))) onDeleted();
            }}
          >
            Delete webhook
          </Button>
        </>
      }
    >
      <p>
        <code className="url-cell">{webhook?.url}</code> will stop receiving events, and its delivery history is deleted. Deliveries in progress are not
        retried.
      </p>
      <p className="muted">This cannot be undone. To pause deliveries instead, turn the webhook off.</p>
      <FormError error={remove.error} />
    </Dialog>
  );
}
