/** "Create account": a name and an optional tenant ID chosen by the vendor. */
import { useId, useState, type FormEvent } from 'react';
import { api } from '../../../shared/api.js';
import type { Tenant } from '../../../shared/types.js';
import { Button } from '../../../shared/ui/Button.js';
import { Dialog } from '../../../shared/ui/Dialog.js';
import { TextField } from '../../../shared/ui/Field.js';
import { FormError } from '../../../shared/ui/States.js';
import { useAction } from '../../../shared/use-api.js';

/** The tenant ID rule of the API (TENANT_ID_PATTERN in src/tenants/routes.ts). */
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const TENANT_ID_HINT = 'Optional. Up to 128 letters, digits and . _ : @ -, starting with a letter or digit (e.g. your own customer ID). Generated when left empty.';

const createTenant = (body: { name: string; tenantId?: string }) => api.post<Tenant>('/tenants/resources/tenants/v1', body);

export function CreateAccountDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (tenant: Tenant) => void }) {
  const [name, setName] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [checked, setChecked] = useState(false);
  const action = useAction(createTenant);
  const formId = useId();

  const nameError = checked && !name.trim() ? 'Enter a name for the account.' : undefined;
  const idInvalid = tenantId.trim() !== '' && !TENANT_ID.test(tenantId.trim());
  const idError = checked && idInvalid ? 'This tenant ID has characters that are not allowed (see the rule below).' : undefined;
  // A taken or refused tenant ID belongs next to its field; anything else under the form.
  const serverIdError = action.error && (action.error.status === 409 || action.error.field?.includes('tenantId')) ? action.error.message : undefined;
  const formError = action.error && !serverIdError ? action.error : undefined;

  const close = () => {
    setName('');
    setTenantId('');
    setChecked(false);
    action.clearError();
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!name.trim() || idInvalid) return;
    const created = await action.run({ name: name.trim(), ...(tenantId.trim() ? { tenantId: tenantId.trim() } : {}) });
    if (created) {
      close();
      onCreated(created);
    }
  };

  return (
    <Dialog
      title="Create account"
      open={open}
      onClose={close}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" form={formId} variant="primary" busy={action.busy}>
            Create account
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <TextField label="Name" required value={name} maxLength={200} error={nameError} onChange={(e) => setName(e.target.value)} />
        <TextField
          label="Tenant ID"
          className="mono"
          value={tenantId}
          maxLength={128}
          autoComplete="off"
          spellCheck={false}
          hint={TENANT_ID_HINT}
          error={idError ?? serverIdError}
          onChange={(e) => {
            setTenantId(e.target.value);
            if (serverIdError) action.clearError();
          }}
        />
        <FormError error={formError} />
      </form>
    </Dialog>
  );
}
