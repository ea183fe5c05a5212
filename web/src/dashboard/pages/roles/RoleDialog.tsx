/** Create a role (key, name, description, permissions) or edit one (everything but its key). */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { seg } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { Dialog } from '../../../shared/ui/Dialog.js';
import { Checkbox, TextField } from '../../../shared/ui/Field.js';
import { FormError } from '../../../shared/ui/States.js';
import { useAction } from '../../../shared/use-api.js';
import { ROLE_KEY, isKnownPermission, permissionLabel, type Permission, type Role } from './types.js';
import './roles.css';

const PERMISSION_KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;

interface Draft {
  key: string;
  keyTouched: boolean;
  name: string;
  description: string;
  known: string[];
  /** The vendor's own permission keys, separated by commas, spaces or new lines. */
  other: string;
  isDefault: boolean;
}

function draftOf(role: Role | undefined): Draft {
  if (!role) return { key: '', keyTouched: false, name: '', description: '', known: [], other: '', isDefault: false };
  return {
    key: role.key,
    keyTouched: true,
    name: role.name,
    description: role.description ?? '',
    known: role.permissions.filter(isKnownPermission),
    other: role.permissions.filter((p) => !isKnownPermission(p)).join(', '),
    isDefault: role.isDefault,
  };
}

/** "Billing admin" → "billing-admin". */
const keyFromName = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
    .slice(0, 64);

export function RoleDialog({
  open,
  role,
  permissions,
  currentDefault,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** The role to edit; undefined to create one. */
  role?: Role;
  permissions: Permission[];
  currentDefault: Role | undefined;
  onClose: () => void;
  onSaved: (role: Role) => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(role));
  const [problem, setProblem] = useState<{ field: string; message: string } | undefined>();
  const save = useAction((body: Record<string, unknown>) =>
    role ? api.patch<Role>(`/api/v1/roles/${seg(role.key)}`, body) : api.post<Role>('/api/v1/roles', body),
  );
  const set = (changes: Partial<Draft>) => setDraft((d) => ({ ...d, ...changes }));
  const close = () => {
    setDraft(draftOf(role));
    setProblem(undefined);
    save.clearError();
    onClose();
  };

  const submit = async () => {
    const other = draft.other.split(/[\s,]+/).filter(Boolean);
    const key = draft.key.trim();
    if (!role && !ROLE_KEY.test(key)) return setProblem({ field: 'key', message: 'Use 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit.' });
    if (!draft.name.trim()) return setProblem({ field: 'name', message: 'Give the role a name.' });
    const bad = other.find((p) => !PERMISSION_KEY.test(p));
    if (bad) return setProblem({ field: 'other', message: `“${bad}” is not a valid permission key: use letters, digits and . _ : -` });
    setProblem(undefined);
    const body: Record<string, unknown> = {
      name: draft.name.trim(),
      description: draft.description.trim() || null,
      permissions: [...new Set([...permissions.map((p) => p.key).filter((k) => draft.known.includes(k)), ...other])],
      isDefault: draft.isDefault,
    };
    if (!role) body.key = key;
    const saved = await save.run(body);
    if (saved) {
      onSaved(saved);
      close();
    }
  };

  const apiField = save.error?.field;
  const fieldMessage = (field: string) => (problem?.field === field ? problem.message : apiField === field ? save.error?.message : undefined);
  const shownInField = apiField === 'key' || apiField === 'name';
  const formId = role ? `edit-role-${role.key}` : 'create-role';
  const takesDefault = draft.isDefault && currentDefault && currentDefault.key !== role?.key;

  return (
    <Dialog
      title={role ? `Edit role ${role.name}` : 'Create role'}
      open={open}
      onClose={close}
      wide
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} busy={save.busy}>
            {role ? 'Save changes' : 'Create role'}
          </Button>
        </>
      }
    >
      <form
        id={formId}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <TextField
          label="Name"
          value={draft.name}
          maxLength={200}
          onChange={(e) => set({ name: e.target.value, ...(draft.keyTouched ? {} : { key: keyFromName(e.target.value) }) })}
          error={fieldMessage('name')}
        />
        {role ? (
          <p className="hint">
            Key <code>{role.key}</code> (a role's key cannot change)
          </p>
        ) : (
          <TextField
            label="Key"
            className="mono"
            value={draft.key}
            maxLength={64}
            onChange={(e) => set({ key: e.target.value, keyTouched: true })}
            hint="What your backend passes in roles when it mints user tokens, and what the API returns. It cannot change later."
            error={fieldMessage('key')}
            autoComplete="off"
          />
        )}
        <TextField label="Description (optional)" value={draft.description} maxLength={1000} onChange={(e) => set({ description: e.target.value })} />
        <fieldset className="fieldset">
          <legend>Permissions</legend>
          {permissions.map((permission) => (
            <Checkbox
              key={permission.key}
              label={permissionLabel(permission.key)}
              description={
                <>
                  {permission.description} · <code>{permission.key}</code>
                </>
              }
              checked={draft.known.includes(permission.key)}
              onChange={(checked) => set({ known: checked ? [...draft.known, permission.key] : draft.known.filter((k) => k !== permission.key) })}
            />
          ))}
          <TextField
            label="Your app's permissions (optional)"
            className="mono"
            value={draft.other}
            onChange={(e) => set({ other: e.target.value })}
            hint="Other permission keys, separated by commas. Rollcall carries them in user tokens; your app checks them."
            error={fieldMessage('other')}
            autoComplete="off"
          />
        </fieldset>
        <Checkbox
          label="Default role"
          description={
            takesDefault
              ? `Every provisioned user gets this role. It stops being the default for “${currentDefault.name}”.`
              : 'Every provisioned user gets the default role, whatever their groups. At most one role is the default.'
          }
          checked={draft.isDefault}
          onChange={(checked) => set({ isDefault: checked })}
        />
        <FormError error={shownInField ? undefined : save.error} />
      </form>
    </Dialog>
  );
}
