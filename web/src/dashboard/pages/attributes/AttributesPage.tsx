/**
 * The attribute catalogue (docs/attributes.md): the standard attributes, the predefined ones switched
 * on or off, the vendor's custom attributes and the URN of their SCIM extension. One save replaces
 * the catalogue; every connection's users are then re-evaluated in the background, shown here until done.
 */
import { useState } from 'react';
import { api, ApiError } from '../../../shared/api.js';
import { plural } from '../../../shared/format.js';
import { Button } from '../../../shared/ui/Button.js';
import { PageHeader } from '../../../shared/ui/Layout.js';
import { Progress } from '../../../shared/ui/Progress.js';
import { ErrorState, FormError, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';
import { usePoll } from '../../../shared/use-poll.js';
import { catalogueBody, catalogueChanged, catalogueDraft, fieldPlace, newCustomRow, type Catalogue, type CatalogueDraft, type CatalogueEvaluation, type CustomRow } from './catalogue-draft.js';
import { CustomAttributes } from './CustomAttributes.js';
import { CustomSchemaCard } from './CustomSchemaCard.js';
import { PredefinedAttributes } from './PredefinedAttributes.js';
import { StandardAttributes } from './StandardAttributes.js';
import './attributes.css';

const URL = '/api/v1/attributes';
/** How often running re-evaluations are polled. */
const POLL_MS = 2000;

export function AttributesPage() {
  const loaded = useApi(() => api.get<Catalogue>(URL), []);
  return (
    <>
      <PageHeader
        title="Attributes"
        subtitle="The user attributes Rollcall reads from every connection's SCIM users, besides the standard ones. The directory API, events and webhooks carry them in each user's attributes."
      />
      {loaded.error ? (
        <ErrorState error={loaded.error} retry={loaded.reload} title="The attributes could not be loaded" />
      ) : !loaded.data ? (
        <Loading label="Loading the attributes…" />
      ) : (
        <CatalogueForm initial={loaded.data} />
      )}
    </>
  );
}

function CatalogueForm({ initial }: { initial: Catalogue }) {
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState<CatalogueDraft>(() => catalogueDraft(initial));
  const [evaluation, setEvaluation] = useState<CatalogueEvaluation>(initial.evaluation);
  const [watching, setWatching] = useState(initial.evaluation.connections > 0);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState(false);
  const changed = catalogueChanged(draft, saved);

  // Only the progress is taken from a poll: the draft stays as typed.
  usePoll(async () => setEvaluation((await api.get<Catalogue>(URL)).evaluation), POLL_MS, evaluation.connections > 0);

  const edit = (next: (d: CatalogueDraft) => CatalogueDraft) => {
    setDone(false);
    setError(undefined);
    setDraft(next);
  };
  const setRow = (index: number, changes: Partial<CustomRow>) => edit((d) => ({ ...d, custom: d.custom.map((r, i) => (i === index ? { ...r, ...changes } : r)) }));

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      const next = await api.put<Catalogue>(URL, catalogueBody(draft, saved.predefined));
      setSaved(next);
      setDraft(catalogueDraft(next));
      setEvaluation(next.evaluation);
      setWatching(true);
      setDone(true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
    } finally {
      setSaving(false);
    }
  };

  const place = error ? fieldPlace(error.field) : undefined;
  const rowError = place && typeof place === 'object' && error && place.custom < draft.custom.length ? { index: place.custom, part: place.part, message: error.message } : undefined;
  const schemaError = place === 'customSchema' ? error?.message : undefined;
  const formError = error && !rowError && !schemaError ? error : undefined;

  return (
    <form
      aria-label="Attribute catalogue"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {evaluation.connections > 0 ? (
        <Progress
          label={`Re-evaluating the users of ${plural(evaluation.connections, 'connection')}…`}
          value={evaluation.processed}
          max={evaluation.total}
          detail="users"
        />
      ) : watching ? (
        <p className="callout callout-info" role="status">
          Every connection&apos;s users are up to date with these attributes.
        </p>
      ) : null}
      <StandardAttributes attributes={saved.standard} />
      <PredefinedAttributes
        attributes={saved.predefined}
        on={draft.predefined}
        onChange={(key, enabled) => edit((d) => ({ ...d, predefined: enabled ? [...d.predefined, key] : d.predefined.filter((k) => k !== key) }))}
      />
      <CustomAttributes
        rows={draft.custom}
        customSchema={draft.customSchema}
        error={rowError}
        onChange={setRow}
        onAdd={() => edit((d) => ({ ...d, custom: [...d.custom, newCustomRow()] }))}
        onRemove={(index) => edit((d) => ({ ...d, custom: d.custom.filter((_, i) => i !== index) }))}
      />
      <CustomSchemaCard value={draft.customSchema} error={schemaError} onChange={(customSchema) => edit((d) => ({ ...d, customSchema }))} />
      <div className="save-bar">
        <div className="save-bar-text">
          {rowError || schemaError ? (
            <p className="field-error" role="alert">
              Not saved: {rowError ? `custom attribute ${rowError.index + 1}` : 'the extension URN'} needs a change (see above).
            </p>
          ) : null}
          <FormError error={formError} />
          {done ? (
            <p className="hint" role="status">
              Saved. Each connection&apos;s users are re-evaluated in the background; those whose values change get a user.updated event.
            </p>
          ) : changed ? (
            <p className="hint">You have unsaved changes.</p>
          ) : null}
        </div>
        <div className="page-actions">
          {changed ? (
            <Button onClick={() => edit(() => catalogueDraft(saved))} disabled={saving}>
              Discard changes
            </Button>
          ) : null}
          <Button variant="primary" type="submit" busy={saving} disabled={!changed}>
            Save attributes
          </Button>
        </div>
      </div>
    </form>
  );
}
