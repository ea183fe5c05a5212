/**
 * The rows of the mapping editor: each active attribute with its source path (the provider's
 * default shown and restorable), "map to nothing", the path's error in plain words, and the value
 * the preview gives for the user it read. Everything from the server or the provider is text.
 */
import { useId } from 'react';
import { Badge } from '../ui/Layout.js';
import { isDefaultSource, type MappedAttribute, type MappingDraft, type MappingPreview, type SourceDraft } from './attribute-mapping-draft.js';
import { attributeTypeLabel, attributeValueText } from './attribute-values.js';

export interface MappingTableProps {
  attributes: MappedAttribute[];
  draft: MappingDraft;
  defaults: Record<string, string | null>;
  canEdit: boolean;
  /** The latest preview (undefined while the first one loads or when it failed). */
  preview: MappingPreview | undefined;
  /** Errors by attribute key: the save's, else the preview's. */
  errors: Record<string, string>;
  onChange: (key: string, source: SourceDraft) => void;
}

export function MappingTable({ attributes, draft, defaults, canEdit, preview, errors, onChange }: MappingTableProps) {
  const user = preview?.user;
  return (
    <div className="table-wrap">
      <table className="mapping-table">
        <caption className="sr-only">Attribute mappings</caption>
        <thead>
          <tr>
            <th scope="col">Attribute</th>
            <th scope="col">Source (SCIM attribute path)</th>
            <th scope="col">{user ? <>Value for {user.userName}</> : 'Preview value'}</th>
          </tr>
        </thead>
        <tbody>
          {attributes.map((attribute) => (
            <MappingRow
              key={attribute.key}
              attribute={attribute}
              source={draft[attribute.key] ?? { text: '', nothing: false }}
              defaultPath={defaults[attribute.key]}
              canEdit={canEdit}
              preview={preview}
              error={errors[attribute.key]}
              onChange={(source) => onChange(attribute.key, source)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MappingRow({
  attribute,
  source,
  defaultPath,
  canEdit,
  preview,
  error,
  onChange,
}: {
  attribute: MappedAttribute;
  source: SourceDraft;
  defaultPath: string | null | undefined;
  canEdit: boolean;
  preview: MappingPreview | undefined;
  error: string | undefined;
  onChange: (source: SourceDraft) => void;
}) {
  const id = useId();
  const { key } = attribute;
  const isDefault = isDefaultSource(source, defaultPath);
  const describedBy = [error ? `${id}-error` : '', !isDefault && defaultPath ? `${id}-default` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <tr data-attribute={key}>
      <th scope="row" className="mapping-attribute">
        <code>{key}</code>
        <span className="mapping-meta">
          <span className="muted">
            {attributeTypeLabel(attribute.type)} · {attribute.kind}
          </span>
          {attribute.required ? <Badge tone="warn">Required</Badge> : null}
        </span>
        {attribute.description ? <span className="hint mapping-description">{attribute.description}</span> : null}
      </th>
      <td className="mapping-source">
        <input
          id={id}
          type="text"
          aria-label={`Source of ${key}`}
          value={source.text}
          // A long extension path does not fit the box: the whole of it shows on hover.
          title={source.text || undefined}
          placeholder={defaultPath ?? undefined}
          readOnly={!canEdit}
          disabled={source.nothing}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange({ ...source, text: e.target.value })}
        />
        <div className="mapping-controls">
          {source.nothing ? (
            <Badge>Mapped to nothing</Badge>
          ) : isDefault ? (
            <Badge>Default</Badge>
          ) : (
            <>
              {defaultPath ? (
                <span className="hint" id={`${id}-default`}>
                  Default: <code>{defaultPath}</code>
                </span>
              ) : null}
              {canEdit ? (
                <button type="button" className="link-button" onClick={() => onChange({ text: defaultPath ?? '', nothing: false })}>
                  Reset to default<span className="sr-only"> for {key}</span>
                </button>
              ) : null}
            </>
          )}
          <label className="inline-check">
            <input type="checkbox" checked={source.nothing} disabled={!canEdit} onChange={(e) => onChange({ ...source, nothing: e.target.checked })} />
            Map to nothing<span className="sr-only"> for {key}</span>
          </label>
        </div>
        {source.nothing && attribute.required ? <p className="hint warn-text">Required: the application expects a value for it.</p> : null}
        {error ? (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </td>
      <td className="mapping-value">
        <PreviewValue attribute={attribute} preview={preview} hasError={Boolean(error)} />
      </td>
    </tr>
  );
}

function PreviewValue({ attribute, preview, hasError }: { attribute: MappedAttribute; preview: MappingPreview | undefined; hasError: boolean }) {
  if (!preview?.user) return <span className="muted">—</span>;
  if (hasError || preview.errors[attribute.key]) return <span className="muted">No value: the source is not valid</span>;
  const problem = preview.problems.find((p) => p.key === attribute.key);
  if (problem)
    return (
      <span className="value-problem">
        <Badge tone="warn">Not converted</Badge> {problem.reason}
      </span>
    );
  const text = attributeValueText(preview.values[attribute.key], attribute.type);
  return text === undefined ? <span className="muted">No value</span> : <span className="mapping-value-text">{text}</span>;
}
