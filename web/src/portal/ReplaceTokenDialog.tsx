/**
 * Replacing a connection's token from the portal (a lost or leaked token): a new token, shown once;
 * the old one keeps working until the admin, having pasted the new one into the identity provider,
 * revokes it here. Needs the write permission; the server checks it and the tenant again.
 */
import { useState } from 'react';
import { api, ApiError } from '../shared/api.js';
import { providerOf } from '../shared/connections/providers.js';
import { seg } from '../shared/router.js';
import type { ApiBody, Connection } from '../shared/types.js';
import { Button } from '../shared/ui/Button.js';
import { CopyField } from '../shared/ui/CopyField.js';
import { Dialog } from '../shared/ui/Dialog.js';
import { FormError } from '../shared/ui/States.js';

type TokenList = ApiBody<'/api/v1/connections/{id}/tokens', 'get'>;
/** POST …/tokens: the token record with the token itself, shown once. */
type IssuedToken = ApiBody<'/api/v1/connections/{id}/tokens', 'post', 201>;

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));

export function ReplaceTokenDialog({ connection, onClose }: { connection: Connection | undefined; onClose: () => void }) {
  return connection ? <ReplaceToken key={connection.id} connection={connection} onClose={onClose} /> : null;
}

function ReplaceToken({ connection, onClose }: { connection: Connection; onClose: () => void }) {
  const base = `/api/v1/connections/${seg(connection.id)}/tokens`;
  const provider = providerOf(connection.source).name;
  const [issued, setIssued] = useState<IssuedToken | undefined>();
  const [step, setStep] = useState<'start' | 'issued' | 'revoked'>('start');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const issue = () =>
    run(async () => {
      setIssued(await api.post<IssuedToken>(base, {}));
      setStep('issued');
    });

  // Every token but the new one: after a lost token there may be more than one left behind.
  const revokeOld = (keep: string) =>
    run(async () => {
      const { items } = await api.get<TokenList>(base);
      for (const token of items.filter((t) => t.id !== keep)) await api.delete(`${base}/${seg(token.id)}`);
      setStep('revoked');
    });

  return (
    <Dialog
      title={`New token for ${connection.connectionName}`}
      open
      onClose={onClose}
      footer={
        <Button variant={step === 'start' ? 'secondary' : 'primary'} onClick={onClose} data-autofocus={step === 'start' ? true : undefined}>
          {step === 'start' ? 'Cancel' : 'Done'}
        </Button>
      }
    >
      {step === 'start' ? (
        <>
          <p>
            Lost the token, or think someone else has it? Create a new one for {provider}. The current token keeps working until you turn it off
            in the next step, so users keep being updated while you switch.
          </p>
          <Button variant="primary" onClick={issue} busy={busy}>
            Create new token
          </Button>
        </>
      ) : null}
      {issued && step !== 'start' ? (
        <>
          <CopyField label="New token" value={issued.token} secret testId="new-token" />
          {step === 'issued' ? (
            <>
              <div className="callout callout-warn" role="note">
                <strong>Copy the token now: it will not be shown again.</strong> Paste it into {provider} in place of the old one and save.
              </div>
              <p>When {provider} uses the new token, turn the old one off so that nobody else can use it.</p>
              <Button variant="danger" onClick={() => revokeOld(issued.id)} busy={busy}>
                Turn off the old token
              </Button>
            </>
          ) : (
            <p className="callout callout-info" role="status">
              The old token no longer works. {provider} must use the new one.
            </p>
          )}
        </>
      ) : null}
      <FormError error={error} />
    </Dialog>
  );
}
