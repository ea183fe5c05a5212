/**
 * A connection's compatibility switches (docs/scim.md): how its SCIM requests are answered where
 * RFC 7644 allows more than one way. Shared by the dashboard and the portal; without the write
 * permission the switches are shown, not changed.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { seg } from '../router.js';
import type { ApiBody, Connection } from '../types.js';
import { Button } from '../ui/Button.js';
import { Dialog } from '../ui/Dialog.js';
import { Checkbox, SelectField, TextField } from '../ui/Field.js';
import { ErrorState, FormError, Loading } from '../ui/States.js';
import { useApi } from '../use-api.js';

type Compatibility = ApiBody<'/api/v1/connections/{id}/compatibility', 'get'>;
type Switches = Omit<Compatibility, 'defaults'>;

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));

/** " (default)" after the option the connection's identity provider starts with. */
const marked = (label: string, isDefault: boolean) => (isDefault ? `${label} (default)` : label);

export function CompatibilityDialog({ connection, canEdit, readOnlyNote, onClose }: { connection: Connection | undefined; canEdit: boolean; readOnlyNote?: string; onClose: () => void }) {
  return connection ? <CompatibilityContent key={connection.id} connection={connection} canEdit={canEdit} readOnlyNote={readOnlyNote} onClose={onClose} /> : null;
}

function CompatibilityContent({ connection, canEdit, readOnlyNote, onClose }: { connection: Connection; canEdit: boolean; readOnlyNote?: string; onClose: () => void }) {
  const url = `/api/v1/connections/${seg(connection.id)}/compatibility`;
  const loaded = useApi(() => api.get<Compatibility>(url), [url]);
  return (
    <Dialog title={`Compatibility of ${connection.connectionName}`} open wide onClose={onClose}>
      <p>
        Rollcall answers identity providers the strict SCIM way. Where the standard allows another answer and this provider expects it, change it here. Each
        change applies to the provider&apos;s next request and is recorded in the audit log.
      </p>
      {loaded.error ? (
        <ErrorState error={loaded.error} retry={loaded.reload} title="The settings could not be loaded" />
      ) : !loaded.data ? (
        <Loading />
      ) : (
        <CompatibilityForm url={url} current={loaded.data} canEdit={canEdit} readOnlyNote={readOnlyNote} onSaved={loaded.reload} onClose={onClose} />
      )}
    </Dialog>
  );
}

function CompatibilityForm({
  url,
  current,
  canEdit,
  readOnlyNote,
  onSaved,
  onClose,
}: {
  url: string;
  current: Compatibility;
  canEdit: boolean;
  readOnlyNote?: string;
  onSaved: () => void;
  onClose: () => void;
}) {
  const { defaults, ...saved } = current;
  const [draft, setDraft] = useState<Switches>(saved);
  const [maxText, setMaxText] = useState(String(saved.groupPatchMaxMembers));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState(false);
  const set = <K extends keyof Switches>(key: K, value: Switches[K]) => {
    setDone(false);
    setDraft({ ...draft, [key]: value });
  };
  const max = Number(maxText);
  const maxInvalid = !/^\d{1,5}$/.test(maxText) || max > 10_000;

  const send = async (body: Record<string, unknown>) => {
    setSaving(true);
    setError(undefined);
    // "Saved." speaks of this request's answer, not of an earlier one.
    setDone(false);
    try {
      const next = await api.put<Compatibility>(url, body);
      const { defaults: _defaults, ...switches } = next;
      setDraft(switches);
      setMaxText(String(switches.groupPatchMaxMembers));
      setDone(true);
      onSaved();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setSaving(false);
    }
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (maxInvalid) return;
    void send({ ...draft, groupPatchMaxMembers: max });
  };
  const reset = () => void send({ groupPatchResponse: null, groupPatchMaxMembers: null, unquotedFilterValues: null, unknownMembers: null, removedActive: null });
  const disabled = !canEdit || saving;

  return (
    <form onSubmit={save} aria-label="Compatibility switches">
      {!canEdit && readOnlyNote ? (
        <div className="callout" role="note">
          {readOnlyNote}
        </div>
      ) : null}
      <SelectField
        label="Answer to a group change (PATCH)"
        value={draft.groupPatchResponse}
        disabled={disabled}
        onChange={(e) => set('groupPatchResponse', e.target.value as Switches['groupPatchResponse'])}
      >
        <option value="204">{marked('204 No Content', defaults.groupPatchResponse === '204')}</option>
        <option value="200">{marked('200 with the group', defaults.groupPatchResponse === '200')}</option>
      </SelectField>
      {draft.groupPatchResponse === '200' ? (
        <TextField
          label="Leave members out above this many"
          inputMode="numeric"
          value={maxText}
          disabled={disabled}
          error={maxInvalid ? 'A whole number from 0 to 10,000' : undefined}
          hint="A large group is answered without its member list."
          onChange={(e) => {
            setDone(false);
            setMaxText(e.target.value.trim());
          }}
        />
      ) : null}
      <SelectField
        label="Members the connection does not know"
        value={draft.unknownMembers}
        disabled={disabled}
        onChange={(e) => set('unknownMembers', e.target.value as Switches['unknownMembers'])}
      >
        <option value="reject">{marked('Refuse the change', defaults.unknownMembers === 'reject')}</option>
        <option value="ignore">{marked('Leave them out and go ahead', defaults.unknownMembers === 'ignore')}</option>
      </SelectField>
      <SelectField
        label="When the provider removes “active” from a user"
        value={draft.removedActive}
        disabled={disabled}
        onChange={(e) => set('removedActive', e.target.value as Switches['removedActive'])}
      >
        <option value="inactive">{marked('Deactivate the user', defaults.removedActive === 'inactive')}</option>
        <option value="active">{marked('Keep the user active', defaults.removedActive === 'active')}</option>
      </SelectField>
      <Checkbox
        label={marked('Accept search values without quotes', defaults.unquotedFilterValues)}
        description="For providers that search with userName eq jdoe@acme.com instead of userName eq &quot;jdoe@acme.com&quot;."
        checked={draft.unquotedFilterValues}
        disabled={disabled}
        onChange={(checked) => set('unquotedFilterValues', checked)}
      />
      <FormError error={error} />
      {done ? (
        <p className="hint" role="status">
          Saved.
        </p>
      ) : null}
      <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end', marginTop: 16 }}>
        {canEdit ? (
          <>
            <Button type="button" onClick={reset} disabled={saving}>
              Reset to defaults
            </Button>
            <Button variant="primary" type="submit" busy={saving} disabled={maxInvalid}>
              Save
            </Button>
          </>
        ) : null}
        <Button type="button" onClick={onClose}>
          Close
        </Button>
      </div>
    </form>
  );
}
