/**
 * Creating a connection, in one dialog: step 1 picks the provider and names the connection. For a SCIM
 * provider, step 2 shows the provisioning URL and the token once, with the setup guide; it does not close
 * until the person confirms they copied the token, and the page warns before unloading until then. For
 * Google Workspace, step 2 connects it to Google instead (./google/GoogleConnectionCreated.tsx).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { seg } from '../router.js';
import type { Connection, CreatedConnection } from '../types.js';
import { Button } from '../ui/Button.js';
import { Dialog } from '../ui/Dialog.js';
import { Checkbox, TextField } from '../ui/Field.js';
import { FormError } from '../ui/States.js';
import { ConnectionCreated } from './ConnectionCreated.js';
import { GoogleConnectionCreated } from './google/GoogleConnectionCreated.js';
import type { CreatedGoogleConnection } from './google/types.js';
import type { GuideContext } from './guides/parts.js';
import { ProviderPicker } from './ProviderPicker.js';
import { GOOGLE_WORKSPACE_ID, type ProviderId } from './providers.js';

export const CONFIGURATIONS_PATH = '/directory/resources/v1/configurations/scim2';
export const MAX_CONNECTION_NAME = 120;

export interface CreateConnectionProps {
  open: boolean;
  onClose: () => void;
  /** Called as soon as the connection exists (the list behind can reload); the dialog stays on step 2. */
  onCreated: (connection: Connection) => void;
  /** The account the connection is for (in the portal the session's own: the server checks they agree). */
  tenantId: string;
  /** Offer the "Sync to user management" choice (dashboard). */
  syncOption?: boolean;
  context: GuideContext;
  productName?: string;
}

export function CreateConnectionDialog(props: CreateConnectionProps) {
  // Mounted only while open, so every opening starts from an empty step 1.
  return props.open ? <CreateConnectionFlow {...props} /> : null;
}

function CreateConnectionFlow({ onClose, onCreated, tenantId, syncOption, context, productName }: CreateConnectionProps) {
  const formId = useId();
  const [source, setSource] = useState<ProviderId | undefined>();
  const [name, setName] = useState('');
  const [sync, setSync] = useState(true);
  const [invalid, setInvalid] = useState<{ source?: string; name?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [created, setCreated] = useState<CreatedConnection | undefined>();
  const [createdGoogle, setCreatedGoogle] = useState<CreatedGoogleConnection | undefined>();
  const [copied, setCopied] = useState(false);
  const [mustConfirm, setMustConfirm] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);

  // Leaving the page with the token unsaved loses it for good: let the browser ask.
  useEffect(() => {
    if (!created || copied) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [created, copied]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    const problems = {
      source: source ? undefined : 'Choose the identity provider.',
      name: trimmed ? (trimmed.length > MAX_CONNECTION_NAME ? `At most ${MAX_CONNECTION_NAME} characters.` : undefined) : 'Name the connection.',
    };
    setInvalid(problems);
    if (problems.source || problems.name) return;
    setBusy(true);
    setError(undefined);
    try {
      const syncChoice = syncOption ? { syncToUserManagement: sync } : {};
      if (source === GOOGLE_WORKSPACE_ID) {
        // Google Workspace has no SCIM configuration: the account's connections route creates it.
        const connection = await api.post<CreatedGoogleConnection>(`/api/v1/tenants/${seg(tenantId)}/connections`, { type: GOOGLE_WORKSPACE_ID, connectionName: trimmed, ...syncChoice });
        setCreatedGoogle(connection);
        onCreated(connection);
      } else {
        const connection = await api.post<CreatedConnection>(CONFIGURATIONS_PATH, { source, connectionName: trimmed, ...syncChoice }, { 'frontegg-tenant-id': tenantId });
        setCreated(connection);
        onCreated(connection);
      }
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
    } finally {
      setBusy(false);
    }
  };

  const requestClose = () => {
    if (created && !copied) {
      setMustConfirm(true);
      confirmRef.current?.querySelector('input')?.focus();
      return;
    }
    onClose();
  };

  if (createdGoogle) {
    const { googleWorkspace, ...connection } = createdGoogle;
    return (
      <Dialog
        title="Connection created"
        open
        wide
        onClose={onClose}
        footer={
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        }
      >
        <GoogleConnectionCreated connection={connection} initial={googleWorkspace} />
      </Dialog>
    );
  }

  if (created) {
    return (
      <Dialog
        title="Connection created"
        open
        wide
        onClose={requestClose}
        footer={
          <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'flex-end', gap: 8, width: '100%' }}>
            {mustConfirm ? (
              <p className="callout callout-bad" role="alert" style={{ flexBasis: '100%', margin: 0 }}>
                The token will not be shown again. Copy it, then check “I have copied the token” to close this dialog.
              </p>
            ) : null}
            <div ref={confirmRef} style={{ marginRight: 'auto' }}>
              <Checkbox
                label="I have copied the token"
                checked={copied}
                onChange={(checked) => {
                  setCopied(checked);
                  if (checked) setMustConfirm(false);
                }}
              />
            </div>
            <Button variant="primary" onClick={requestClose}>
              Done
            </Button>
          </div>
        }
      >
        <ConnectionCreated connection={created} context={context} productName={productName} />
      </Dialog>
    );
  }

  return (
    <Dialog
      // Named for what is being created; "SCIM" until Google Workspace is chosen.
      title={source === GOOGLE_WORKSPACE_ID ? 'Create Google Workspace connection' : 'Create SCIM connection'}
      open
      wide
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} busy={busy}>
            Create connection
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <ProviderPicker
          value={source}
          onChange={(id) => {
            setSource(id);
            setInvalid((v) => ({ ...v, source: undefined }));
          }}
          error={invalid.source}
        />
        <TextField
          label="Connection name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setInvalid((v) => ({ ...v, name: undefined }));
          }}
          maxLength={MAX_CONNECTION_NAME}
          required
          placeholder={source === GOOGLE_WORKSPACE_ID ? 'e.g. Acme Google Workspace' : 'e.g. Okta production'}
          hint={`Helps you tell connections apart. Up to ${MAX_CONNECTION_NAME} characters.`}
          error={invalid.name}
        />
        {syncOption ? (
          <Checkbox
            label="Sync to user management"
            checked={sync}
            onChange={setSync}
            description="Users and groups this connection provisions also become users of the product (not only SCIM directory entries)."
          />
        ) : null}
        <FormError error={error} />
      </form>
    </Dialog>
  );
}
