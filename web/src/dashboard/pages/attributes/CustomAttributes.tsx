/**
 * The vendor's own attributes: a row each (key, type, description, required), added and removed
 * here, with a save's error shown at the control it names. Their default source in every
 * connection is `<extension URN>:<key>`, which the identity provider learns from /Schemas.
 */
import { Button } from '../../../shared/ui/Button.js';
import { Card } from '../../../shared/ui/Layout.js';
import { CUSTOM_TYPES, type CustomRow, type CustomType } from './catalogue-draft.js';

export interface RowError {
  index: number;
  part: 'key' | 'type' | 'description' | 'required';
  message: string;
}

export function CustomAttributes({
  rows,
  customSchema,
  error,
  onChange,
  onAdd,
  onRemove,
}: {
  rows: CustomRow[];
  customSchema: string;
  error: RowError | undefined;
  onChange: (index: number, changes: Partial<CustomRow>) => void;
  onAdd: () => void;
  onRemove: (index: number) => void;
}) {
  return (
    <Card
      title="Custom attributes"
      actions={
        <Button onClick={onAdd} data-testid="add-custom-attribute">
          Add attribute
        </Button>
      }
    >
      <p className="muted">
        Attributes your application defines. Identity providers send them under the SCIM extension below, so each one&apos;s default source is{' '}
        <code className="source-path">
          {customSchema.trim() || '…'}:<em>key</em>
        </code>
        . A required one is flagged on every connection that maps it to nothing.
      </p>
      {rows.length === 0 ? (
        <p className="muted">No custom attributes yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="custom-table">
            <caption className="sr-only">Custom attributes</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Type</th>
                <th scope="col">Description</th>
                <th scope="col">Required</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const n = index + 1;
                const rowError = error?.index === index ? error : undefined;
                const errorId = `custom-${row.row}-error`;
                const invalid = (part: RowError['part']) => (rowError?.part === part ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {});
                return (
                  <tr key={row.row}>
                    <td>
                      <input
                        aria-label={`Key of custom attribute ${n}`}
                        className="mono"
                        value={row.key}
                        maxLength={64}
                        spellCheck={false}
                        autoComplete="off"
                        placeholder="costCenterCode"
                        {...invalid('key')}
                        onChange={(e) => onChange(index, { key: e.target.value })}
                      />
                      {rowError ? (
                        <span className="field-error" id={errorId}>
                          {rowError.message}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <select aria-label={`Type of custom attribute ${n}`} value={row.type} {...invalid('type')} onChange={(e) => onChange(index, { type: e.target.value as CustomType })}>
                        {CUSTOM_TYPES.map((t) => (
                          <option key={t.type} value={t.type}>
                            {t.label}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input
                        aria-label={`Description of custom attribute ${n}`}
                        value={row.description}
                        maxLength={500}
                        {...invalid('description')}
                        onChange={(e) => onChange(index, { description: e.target.value })}
                      />
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        className="row-check"
                        aria-label={`Custom attribute ${n} is required`}
                        checked={row.required}
                        onChange={(e) => onChange(index, { required: e.target.checked })}
                      />
                    </td>
                    <td>
                      <Button variant="ghost" onClick={() => onRemove(index)}>
                        Remove<span className="sr-only"> custom attribute {n}</span>
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
