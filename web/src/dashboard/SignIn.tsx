/** Sign-in with a vendor credential (clientId + secret). */
import { useState, type FormEvent } from 'react';
import type { DashboardSession } from '../shared/types.js';
import { Button } from '../shared/ui/Button.js';
import { TextField } from '../shared/ui/Field.js';
import { FormError } from '../shared/ui/States.js';
import { useAction } from '../shared/use-api.js';
import { signIn } from './session.js';

export function SignIn({ onSignedIn, expired }: { onSignedIn: (session: DashboardSession) => void; expired?: boolean }) {
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const action = useAction(signIn);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const session = await action.run(clientId.trim(), secret);
    if (session) onSignedIn(session);
  };
  return (
    <main className="signin">
      <form className="card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Rollcall</h1>
        <p className="muted">Sign in with a vendor credential of this environment.</p>
        {expired ? <p className="callout callout-info">Your session ended. Sign in again to continue.</p> : null}
        <TextField label="Client ID" name="clientId" autoComplete="username" required value={clientId} onChange={(e) => setClientId(e.target.value)} />
        <TextField label="Secret" name="secret" type="password" autoComplete="current-password" required value={secret} onChange={(e) => setSecret(e.target.value)} />
        <FormError error={action.error?.status === 401 ? { ...action.error, message: 'That client ID and secret do not match a credential of this environment.' } : action.error} />
        <Button type="submit" variant="primary" busy={action.busy}>
          Sign in
        </Button>
        <p className="hint" style={{ marginTop: 14 }}>
          The first start of Rollcall prints a credential once; <code>rollcall credentials create</code> makes another.
        </p>
      </form>
    </main>
  );
}
