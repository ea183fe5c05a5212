/** "Add webhook": the URL, the event types and an optional account; then the signing secret, once. */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { Button } from '../../../shared/ui/Button.js';
import { Dialog } from '../../../shared/ui/Dialog.js';
import { FormError } from '../../../shared/ui/States.js';
import { useAction } from '../../../shared/use-api.js';
import { SigningSecretNotice } from './SigningSecretNotice.js';
import type { CreatedWebhook, WebhookInput } from './types.js';
import { WebhookFields, emptyDraft, inputOf } from './WebhookFields.js';
import './webhooks.css';

export function AddWebhookDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const [draft, setDraft] = useState(emptyDraft);
  const [created, setCreated] = useState<CreatedWebhook | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const create = useAction((input: WebhookInput) => api.post<CreatedWebhook>('/api/v1/webhooks', input));

  const close = () => {
    setDraft(emptyDraft);
    setCreated(undefined);
    setProblem(undefined);
    create.clearError();
    onClose();
  };

  const submit = async () => {
    const input = inputOf(draft);
    if (typeof input === 'string') {
      setProblem(input);
      return;
    }
    setProblem(undefined);
    const webhook = await create.run(input);
    if (webhook) {
      setCreated(webhook);
      onCreated();
    }
  };

  const error = create.error;
  const fieldError = error?.field === 'url' || error?.field === 'tenantId' ? error : undefined;

  if (created)
    return (
      <Dialog
        key="created"
        title="Webhook added"
        open={open}
        onClose={close}
        wide
        footer={
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        }
      >
        <SigningSecretNotice secret={created.secret} url={created.url} />
      </Dialog>
    );

  return (
    <Dialog
      key="form"
      title="Add webhook"
      open={open}
      onClose={close}
      wide
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button variant="primary" type="submit" form="add-webhook" busy={create.busy}>
            Add webhook
          </Button>
        </>
      }
    >
      <form
        id="add-webhook"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        noValidate
      >
        <WebhookFields draft={draft} onChange={setDraft} fieldError={fieldError} />
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
