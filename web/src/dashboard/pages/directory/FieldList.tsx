/** Label/value pairs of a detail page, as a description list. */
import type { ReactNode } from 'react';
import './directory.css';

export function FieldList({ items }: { items: [label: string, value: ReactNode][] }) {
  return (
    <dl className="field-list">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value ?? <span className="muted">—</span>}</dd>
        </div>
      ))}
    </dl>
  );
}
