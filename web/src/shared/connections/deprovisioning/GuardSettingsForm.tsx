/**
 * A connection's deprovisioning mode and guard: Automatic (the guard holds a burst) or Review every
 * deprovisioning (append-only), the guard's limits with its rule in a sentence, and what it counts
 * now. Read-only without the write permission.
 */
import { useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { Radio, TextField, Toggle } from '../../ui/Field.js';
import { FormError } from '../../ui/States.js';
import { paths, type DeprovisioningChange, type DeprovisioningState, type Guard } from './types.js';
import { tripRule, windowNow } from './words.js';

/** What the form accepts for each limit (the server checks again). */
const LIMITS = { maxUsers: [0, 1_000_000], maxPercent: [0, 100], windowMinutes: [1, 10_080] } as const;
type Limit = keyof typeof LIMITS;

const parse = (text: string, [min, max]: readonly [number, number]) => (/^\d{1,7}$/.test(text) && Number(text) >= min && Number(text) <= max ? Number(text) : undefined);

export function GuardSettingsForm({ connectionId, current, canEdit, readOnlyNote, app, onSaved }: { connectionId: string; current: DeprovisioningState; canEdit: boolean; readOnlyNote?: string; app: string; onSaved: (state: DeprovisioningState) => void }) {
  const name = useId();
  const [mode, setMode] = useState(current.mode);
  const [enabled, setEnabled] = useState(current.guard.enabled);
  const [texts, setTexts] = useState<Record<Limit, string>>({ maxUsers: String(current.guard.maxUsers), maxPercent: String(current.guard.maxPercent), windowMinutes: String(current.guard.windowMinutes) });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const values = { maxUsers: parse(texts.maxUsers, LIMITS.maxUsers), maxPercent: parse(texts.maxPercent, LIMITS.maxPercent), windowMinutes: parse(texts.windowMinutes, LIMITS.windowMinutes) };
  const invalid = Object.values(values).some((v) => v === undefined);
  const disabled = !canEdit || saving;
  const edit = (key: Limit, text: string) => {
    setSaved(false);
    setTexts({ ...texts, [key]: text.trim() });
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    setSaving(true);
    setError(undefined);
    setSaved(false);
    try {
      const body: DeprovisioningChange = { mode, guard: { enabled, ...(values as Omit<Guard, 'enabled'>) } };
      onSaved(await api.put<DeprovisioningState>(paths.settings(connectionId), body));
      setSaved(true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
    } finally {
      setSaving(false);
    }
  };

  const number = (key: Limit, label: string, hint: string) => (
    <TextField
      label={label}
      inputMode="numeric"
      value={texts[key]}
      disabled={disabled || !enabled}
      hint={hint}
      error={values[key] === undefined ? `A whole number from ${LIMITS[key][0].toLocaleString()} to ${LIMITS[key][1].toLocaleString()}` : undefined}
      onChange={(e) => edit(key, e.target.value)}
    />
  );

  return (
    <form onSubmit={(e) => void save(e)} aria-label="Deprovisioning settings">
      {!canEdit && readOnlyNote ? (
        <p className="callout callout-info" role="note">
          {readOnlyNote}
        </p>
      ) : null}
      <fieldset className="fieldset">
        <legend>When the identity provider deprovisions a user</legend>
        <Radio
          name={name}
          label="Automatic"
          checked={mode === 'automatic'}
          disabled={disabled}
          onChange={() => {
            setSaved(false);
            setMode('automatic');
          }}
          description={`Deactivations, deletions and lost roles apply in ${app} at once, unless the guard below trips.`}
        />
        <Radio
          name={name}
          label="Review every deprovisioning"
          checked={mode === 'review'}
          disabled={disabled}
          onChange={() => {
            setSaved(false);
            setMode('review');
          }}
          description={`Append-only: ${app} gets new users and changes, but every deactivation, deletion and lost role waits for someone to release or discard it.`}
        />
      </fieldset>
      <Toggle
        label="Guard against mass deprovisioning"
        checked={enabled}
        disabled={disabled}
        onChange={(on) => {
          setSaved(false);
          setEnabled(on);
        }}
        description={mode === 'review' ? 'In review mode every change is held anyway; the guard applies again in automatic mode.' : 'Once it trips, every further deprovisioning change is held for review.'}
      />
      <div className="guard-numbers">
        {number('maxUsers', 'Max users', 'More than this many users…')}
        {number('maxPercent', 'Max percent of active users', '…and more than this share…')}
        {number('windowMinutes', 'Window in minutes', '…within this many minutes.')}
      </div>
      <div className="guard-rule">
        <p>{enabled && !invalid ? tripRule(values as Guard) : enabled ? 'Enter the three limits to see when the guard trips.' : 'The guard is off: deprovisioning applies however many users it touches.'}</p>
        <p className="hint" style={{ marginBottom: 0 }}>
          Counted now: {windowNow(current.window)}
        </p>
      </div>
      <FormError error={error} />
      {saved ? (
        <p className="hint" role="status">
          Saved.
        </p>
      ) : null}
      {canEdit ? (
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 12 }}>
          <Button variant="primary" type="submit" busy={saving} disabled={invalid}>
            Save settings
          </Button>
        </div>
      ) : null}
    </form>
  );
}
