/** Turns a webhook on or off (PATCH enabled); turning an auto-disabled one on also sends its pending retries. */
import { useState } from 'react';
import { api, ApiError } from '../../../shared/api.js';
import { seg } from '../../../shared/router.js';
import { Toggle } from '../../../shared/ui/Field.js';
import type { Webhook } from './types.js';

export function WebhookEnabledToggle({ webhook, onChanged, describe }: { webhook: Webhook; onChanged: (webhook: Webhook) => void; describe?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const change = async (enabled: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await api.patch<Webhook>(`/api/v1/webhooks/${seg(webhook.id)}`, { enabled }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The change could not be saved. Try again.');
    } finally {
      setBusy(false);
    }
  };
  const description = describe
    ? webhook.enabled
      ? 'Rollcall sends matching events to this endpoint.'
      : 'Events are kept while the webhook is off; turning it on sends what it missed (within the event retention) and any pending retries.'
    : undefined;
  return (
    <div className="table-toggle">
      <Toggle label="Enabled" checked={webhook.enabled} disabled={busy} onChange={(checked) => void change(checked)} description={description} />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
