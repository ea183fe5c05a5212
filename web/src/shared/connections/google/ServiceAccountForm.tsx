/**
 * Authorizing with a service account: its JSON key (pasted, or read from the downloaded file) and the
 * admin it acts as. Rollcall checks both against Google before it keeps them; Google's reason for a
 * refusal is shown under the form. The key never leaves this form but to the API, and is cleared once sent.
 */
import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { api, ApiError } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { TextAreaField, TextField } from '../../ui/Field.js';
import { FormError } from '../../ui/States.js';
import { googlePath, type GoogleState } from './types.js';

/** The most a key file may weigh here (the API takes 20,000 characters; Google's are about 2,400). */
const MAX_KEY_CHARS = 20_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The key as JSON, or what is wrong with the text. */
function parseKey(text: string): { key: Record<string, unknown> } | { problem: string } {
  const trimmed = text.trim();
  if (!trimmed) return { problem: 'Paste the key file’s contents, or choose the file.' };
  if (trimmed.length > MAX_KEY_CHARS) return { problem: 'This is longer than a service account key. Paste the JSON key file only.' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { problem: 'This is not JSON. Paste the whole key file, from { to }.' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { problem: 'The key file is a JSON object, from { to }.' };
  return { key: value as Record<string, unknown> };
}

export function ServiceAccountForm({ connectionId, initialAdminEmail, onAuthorized }: { connectionId: string; initialAdminEmail?: string | null; onAuthorized: (state: GoogleState) => void }) {
  const formId = useId();
  const [keyText, setKeyText] = useState('');
  const [fileName, setFileName] = useState<string | undefined>();
  const [adminEmail, setAdminEmail] = useState(initialAdminEmail ?? '');
  const [invalid, setInvalid] = useState<{ key?: string; adminEmail?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > MAX_KEY_CHARS) {
      setInvalid((v) => ({ ...v, key: `${file.name} is larger than a service account key.` }));
      return;
    }
    setKeyText(await file.text());
    setFileName(file.name);
    setInvalid((v) => ({ ...v, key: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseKey(keyText);
    const email = adminEmail.trim();
    const problems = {
      key: 'problem' in parsed ? parsed.problem : undefined,
      adminEmail: email ? (EMAIL.test(email) ? undefined : 'Enter an e-mail address, such as admin@example.com.') : 'Enter the e-mail of a Workspace admin.',
    };
    setInvalid(problems);
    if (problems.key || problems.adminEmail || 'problem' in parsed) return;
    setBusy(true);
    setError(undefined);
    try {
      const state = await api.put<GoogleState>(googlePath(connectionId, '/service-account'), { key: parsed.key, adminEmail: email });
      setKeyText('');
      setFileName(undefined);
      onAuthorized(state);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form id={formId} onSubmit={submit} noValidate aria-label="Service account">
      <TextAreaField
        label="Service account key (JSON)"
        value={keyText}
        rows={5}
        spellCheck={false}
        autoComplete="off"
        className="mono google-key"
        placeholder='{ "type": "service_account", "client_email": "…", "private_key": "…" }'
        hint={fileName ? `Read from ${fileName}. It is sent to the server once, kept encrypted and never shown again.` : 'Kept encrypted on the server and never shown again.'}
        error={invalid.key}
        onChange={(e) => {
          setKeyText(e.target.value);
          setFileName(undefined);
          setInvalid((v) => ({ ...v, key: undefined }));
        }}
      />
      <div className="field">
        <label htmlFor={`${formId}-file`}>Or choose the key file</label>
        <input id={`${formId}-file`} type="file" accept=".json,application/json" onChange={(e) => void readFile(e)} />
      </div>
      <TextField
        label="Admin e-mail"
        type="email"
        autoComplete="off"
        value={adminEmail}
        placeholder="admin@example.com"
        hint="A Workspace admin the service account acts as to read users and groups."
        error={invalid.adminEmail}
        onChange={(e) => {
          setAdminEmail(e.target.value);
          setInvalid((v) => ({ ...v, adminEmail: undefined }));
        }}
      />
      {/* A 400 is Google's (or the key's) refusal, in its words. */}
      <FormError error={error && error.status === 400 ? new ApiError(400, `Not connected: ${error.message}`) : error} />
      <Button variant="primary" type="submit" busy={busy}>
        Connect with the service account
      </Button>
    </form>
  );
}
