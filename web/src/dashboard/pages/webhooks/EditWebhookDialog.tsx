/** Changes a webhook's URL, event types or account (PATCH); the signing secret stays the same. */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { seg } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { Dialog } from '../../../shared/ui/Dialog.js';
import { FormError } from '../../../shared/ui/States.js';
import { useAction } from '../../../shared/use-api.js';
import type { Webhook, WebhookInput } from './types.js';
import { WebhookFields, draftOf, inputOf } from './WebhookFields.js';
import './webhooks.css';

export function EditWebhookDialog({ webhook, open, onClose, onSaved }: { webhook: Webhook; open: boolean; onClose: () => void; onSaved: (webhook: Webhook) => void }) {
  const [draft, setDraft] = useState(() => draftOf(webhook));
  const [problem, setProblem] = useState<string | undefined>();
  const save = useAction((input: WebhookInput) => api.patch<Webhook>(`/api/v1/webhooks/${seg(webhook.id)}`, input));
  const close = () => {
    setDraft(draftOf(webhook));
    setProblem(undefined);
    save.clearError();
    onClose();
  };
  const error = save.error;
  const fieldError = error?.field === 'url' || error?.field === 'tenantId' ? error : undefined;
  return (
    <Dialog
      title="Edit webhook"
      open={open}
      onClose={close}
      wide
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button variant="primary" type="submit" form="edit-webhook" busy={save.busy}>
            Save changes
          </Button>
        </>
      }
    >
      <form
        id="edit-webhook"
        noValidate
        onSubmit={async (event) => {
          event.preventDefault();
          const input = inputOf(draft);
          if (typeof input === 'string') return setProblem(input);
          setProblem(undefined);
          const saved = await save.run(input);
          if (saved) {
            onSaved(saved);
            onClose();
          }
        }}
      >
        <WebhookFields draft={draft} onChange={setDraft} fieldError={fieldError} />
        <p className="hint">The signing secret stays the same.</p>
        {problem ? (
          <p className="form-error" role="alert">
            {problem}
          </p>
        ) : null}
        <FormError error={fieldError ? undefined : error} />
      </form>
    </Dialog>
  );
}
