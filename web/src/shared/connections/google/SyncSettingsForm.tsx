/**
 * What a Google Workspace connection syncs (the whole domain, or chosen groups with their members) and
 * how often. Saving a new selection syncs at once; users and groups it no longer covers are deleted by
 * that sync, which the form says before it is saved. Without the write permission it is shown, not changed.
 */
import { useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { Radio, TextField } from '../../ui/Field.js';
import { FormError } from '../../ui/States.js';
import { GroupPicker } from './GroupPicker.js';
import { googlePath, INTERVAL_LIMITS, type GoogleState, type Selection } from './types.js';

const sameSelection = (a: Selection, b: Selection) =>
  a.mode === b.mode && (a.mode === 'domain' || (a.groups.length === b.groups.length && a.groups.every((g) => b.groups.some((h) => h.toLowerCase() === g.toLowerCase()))));

export function SyncSettingsForm({
  connectionId,
  state,
  canEdit,
  onSaved,
}: {
  connectionId: string;
  state: GoogleState;
  canEdit: boolean;
  /** The saved state; `resyncs` when the new selection starts a sync. */
  onSaved: (state: GoogleState, resyncs: boolean) => void;
}) {
  const name = useId();
  const [mode, setMode] = useState(state.selection.mode);
  const [groups, setGroups] = useState(state.selection.groups);
  const [intervalText, setIntervalText] = useState(String(state.intervalMinutes));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [groupsProblem, setGroupsProblem] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const minutes = Number(intervalText);
  const intervalInvalid = !/^\d{1,4}$/.test(intervalText) || minutes < INTERVAL_LIMITS.min || minutes > INTERVAL_LIMITS.max;
  const selection: Selection = { mode, groups: mode === 'groups' ? groups : [] };
  const changed = !sameSelection(selection, state.selection);
  const disabled = !canEdit || saving;
  const edited = () => {
    setDone(false);
    setGroupsProblem(undefined);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (intervalInvalid) return;
    if (mode === 'groups' && groups.length === 0) {
      setGroupsProblem('Choose at least one group, or sync the whole domain.');
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      const saved = await api.put<GoogleState>(googlePath(connectionId), { selection, intervalMinutes: minutes });
      setMode(saved.selection.mode);
      setGroups(saved.selection.groups);
      setIntervalText(String(saved.intervalMinutes));
      setDone(true);
      onSaved(saved, changed && saved.status === 'active');
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={save} noValidate aria-label="What it syncs">
      <fieldset className="fieldset">
        <legend>Users and groups to sync</legend>
        <Radio
          name={name}
          label="The whole domain"
          description="Every user and every group of the Workspace domain."
          checked={mode === 'domain'}
          disabled={disabled}
          onChange={() => {
            edited();
            setMode('domain');
          }}
        />
        <Radio
          name={name}
          label="Only chosen groups"
          description="The chosen groups and their members, including the members of groups nested in them."
          checked={mode === 'groups'}
          disabled={disabled}
          onChange={() => {
            edited();
            setMode('groups');
          }}
        />
        {mode === 'groups' ? (
          state.status === 'active' ? (
            <GroupPicker
              connectionId={connectionId}
              chosen={groups}
              disabled={disabled}
              onChange={(next) => {
                edited();
                setGroups(next);
              }}
            />
          ) : (
            <p className="hint">
              {groups.length > 0 ? `Chosen: ${groups.join(', ')}. ` : ''}The groups can be chosen from Google&apos;s list once the connection is authorized.
            </p>
          )
        ) : null}
        {groupsProblem ? (
          <p className="field-error" role="alert">
            {groupsProblem}
          </p>
        ) : null}
      </fieldset>
      <TextField
        label="Sync every (minutes)"
        type="number"
        inputMode="numeric"
        min={INTERVAL_LIMITS.min}
        max={INTERVAL_LIMITS.max}
        value={intervalText}
        disabled={disabled}
        error={intervalInvalid ? `A whole number of minutes from ${INTERVAL_LIMITS.min} to ${INTERVAL_LIMITS.max} (a day)` : undefined}
        hint="Changes in Google Workspace arrive at the next sync; “Sync now” fetches them at once."
        onChange={(e) => {
          setDone(false);
          setIntervalText(e.target.value.trim());
        }}
      />
      {canEdit && changed && state.status === 'active' ? (
        <p className="callout callout-warn" role="note">
          Saving syncs at once with the new selection: users and groups it no longer covers are deleted.
        </p>
      ) : null}
      <FormError error={error} />
      {done ? (
        <p className="hint" role="status">
          Saved.
        </p>
      ) : null}
      {canEdit ? (
        <Button variant="primary" type="submit" busy={saving} disabled={intervalInvalid}>
          Save
        </Button>
      ) : null}
    </form>
  );
}
