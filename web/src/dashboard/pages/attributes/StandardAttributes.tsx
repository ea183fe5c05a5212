/** The attributes every directory user shows whatever the catalogue says: listed, not changed. */
import { attributeTypeLabel } from '../../../shared/connections/attribute-values.js';
import { Card } from '../../../shared/ui/Layout.js';
import type { Catalogue } from './catalogue-draft.js';

export function StandardAttributes({ attributes }: { attributes: Catalogue['standard'] }) {
  return (
    <Card title="Standard attributes">
      <p className="muted">Every user has these, read from the standard SCIM fields whatever the provider; they are always on.</p>
      <ul className="standard-list" aria-label="Standard attributes">
        {attributes.map((a) => (
          <li key={a.key}>
            <code>{a.key}</code> <span className="muted">{attributeTypeLabel(a.type)}</span>
            <span className="hint">{a.description}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
