/**
 * The mapping editor's form: the saved mappings, the draft being typed, its live preview, saving it
 * (errors shown at the attribute they concern), and what follows a save: the re-evaluation of the
 * connection's users, watched until it ends, and the users whose values did not convert.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { Button } from '../ui/Button.js';
import { FormError } from '../ui/States.js';
import { usePoll } from '../use-poll.js';
import { draftChanged, draftOf, mappingField, mappingsBody, type AttributeMappings, type MappingDraft, type SourceDraft } from './attribute-mapping-draft.js';
import { AttributeProblemUsers } from './AttributeProblemUsers.js';
import { MappingEvaluation } from './MappingEvaluation.js';
import { MappingTable } from './MappingTable.js';
import { PreviewUserPicker, type SearchUsers } from './PreviewUserPicker.js';
import { useMappingPreview } from './use-mapping-preview.js';

/** How often a running re-evaluation is polled. */
const POLL_MS = 1500;

export function MappingEditor({
  url,
  problemsUrl,
  initial,
  canEdit,
  readOnlyNote,
  searchUsers,
  onClose,
}: {
  url: string;
  problemsUrl: string;
  initial: AttributeMappings;
  canEdit: boolean;
  readOnlyNote?: string;
  searchUsers?: SearchUsers;
  onClose: () => void;
}) {
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState<MappingDraft>(() => draftOf(initial));
  const [userId, setUserId] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState(false);
  // The outcome of a re-evaluation is told once one was seen running or started here.
  const [watching, setWatching] = useState(initial.evaluation.state === 'running');

  const body = mappingsBody(draft, saved.defaults);
  const preview = useMappingPreview(`${url}/preview`, body, userId);
  const changed = draftChanged(draft, saved);

  usePoll(
    async () => {
      const next = await api.get<AttributeMappings>(url);
      // The draft stays as typed: only what the server moves on its own is taken.
      setSaved((current) => ({ ...current, evaluation: next.evaluation, problemUsers: next.problemUsers, missingRequired: next.missingRequired }));
    },
    POLL_MS,
    saved.evaluation.state === 'running',
  );

  const change = (key: string, source: SourceDraft) => {
    setDone(false);
    setError(undefined);
    setDraft((d) => ({ ...d, [key]: source }));
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      const next = await api.put<AttributeMappings>(url, { mappings: body });
      setSaved(next);
      setDraft(draftOf(next));
      setDone(true);
      setWatching(true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
    } finally {
      setSaving(false);
    }
  };

  // A save's error names its attribute where it can (`mappings.<key>`); the preview's path errors fill the rest.
  const fieldKey = mappingField(error?.field);
  const errorKey = fieldKey && saved.attributes.some((a) => a.key === fieldKey) ? fieldKey : undefined;
  const errors: Record<string, string> = { ...(preview.data?.errors ?? {}) };
  if (errorKey && error) errors[errorKey] = error.message;

  return (
    <>
      {!canEdit && readOnlyNote ? (
        <p className="callout callout-info" role="note">
          {readOnlyNote}
        </p>
      ) : null}
      {saved.missingRequired.length > 0 ? (
        <p className="callout callout-warn" role="note">
          Required {saved.missingRequired.length === 1 ? 'attribute' : 'attributes'} mapped to nothing: {saved.missingRequired.join(', ')}. The application expects a
          value for {saved.missingRequired.length === 1 ? 'it' : 'each'}: map {saved.missingRequired.length === 1 ? 'it' : 'them'} to an attribute your identity provider sends.
        </p>
      ) : null}
      <AttributeProblemUsers key={saved.problemUsers} url={problemsUrl} count={saved.problemUsers} onPreview={setUserId} />
      <section className="mapping-preview" aria-label="Preview">
        <PreviewUserPicker user={preview.data?.user} chosenId={userId} loading={preview.loading} onChoose={setUserId} searchUsers={searchUsers} />
        {preview.error ? (
          <p className="form-error" role="alert">
            The preview failed: {preview.error.message}
          </p>
        ) : null}
      </section>
      <form onSubmit={save} aria-label="Attribute mappings">
        <MappingTable attributes={saved.attributes} draft={draft} defaults={saved.defaults} canEdit={canEdit} preview={preview.data} errors={errors} onChange={change} />
        {errorKey ? null : <FormError error={error} />}
        <MappingEvaluation evaluation={saved.evaluation} showOutcome={watching} />
        {done ? (
          <p className="hint" role="status">
            Saved. Users provisioned from now on get these values; the connection&apos;s current users are updated in the background.
          </p>
        ) : null}
        <div className="dialog-actions">
          {canEdit ? (
            <Button variant="primary" type="submit" busy={saving} disabled={!changed}>
              Save
            </Button>
          ) : null}
          <Button type="button" onClick={onClose}>
            Close
          </Button>
        </div>
      </form>
    </>
  );
}
