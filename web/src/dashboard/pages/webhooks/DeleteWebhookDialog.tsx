/** Confirms deleting a webhook and its delivery history. */
import { api } from '../../../shared/api.js';
import { seg } from '../../../shared/router.js';
import { ConfirmDeleteDialog } from '../../../shared/ui/ConfirmDeleteDialog.js';
import type { Webhook } from './types.js';

export function DeleteWebhookDialog({ webhook, onClose, onDeleted }: { webhook: Webhook | undefined; onClose: () => void; onDeleted: () => void }) {
  return (
    <ConfirmDeleteDialog
      title="Delete webhook?"
      confirmLabel="Delete webhook"
      open={webhook !== undefined}
      onDelete={() => api.delete(`/api/v1/webhooks/${seg(webhook!.id)}`)}
      onClose={onClose}
      onDeleted={onDeleted}
    >
      <p>
        <code className="url-cell">{webhook?.url}</code> will stop receiving events, and its delivery history is deleted. Deliveries in progress are not
        retried.
      </p>
      <p className="muted">This cannot be undone. To pause deliveries instead, turn the webhook off.</p>
    </ConfirmDeleteDialog>
  );
}
