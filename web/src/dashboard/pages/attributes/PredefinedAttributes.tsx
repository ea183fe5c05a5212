/**
 * The predefined attributes, each with its switch, its type and its default source: the path most
 * providers send it under, and on request the path for each provider (src/attributes/predefined.ts).
 */
import { Fragment } from 'react';
import { attributeTypeLabel } from '../../../shared/connections/attribute-values.js';
import { PROVIDERS } from '../../../shared/connections/providers.js';
import { Button } from '../../../shared/ui/Button.js';
import { Toggle } from '../../../shared/ui/Field.js';
import { Card } from '../../../shared/ui/Layout.js';
import { useToggleSet } from '../../../shared/use-toggle-set.js';
import type { PredefinedAttribute } from './catalogue-draft.js';

export function PredefinedAttributes({ attributes, on, onChange }: { attributes: PredefinedAttribute[]; on: readonly string[]; onChange: (key: string, enabled: boolean) => void }) {
  const [open, toggle] = useToggleSet<string>();
  return (
    <Card title="Predefined attributes">
      <p className="muted">
        Common attributes with a default source for each identity provider. Switch on the ones your application reads; each connection can map them
        elsewhere in its attribute mappings.
      </p>
      <div className="table-wrap">
        <table className="predefined-table">
          <caption className="sr-only">Predefined attributes</caption>
          <thead>
            <tr>
              <th scope="col">Attribute</th>
              <th scope="col">Type</th>
              <th scope="col">Default source</th>
            </tr>
          </thead>
          <tbody>
            {attributes.map((a) => {
              const expanded = open.has(a.key);
              const detailsId = `predefined-sources-${a.key}`;
              return (
                <Fragment key={a.key}>
                  <tr>
                    <td>
                      <Toggle label={a.key} description={a.description} checked={on.includes(a.key)} onChange={(checked) => onChange(a.key, checked)} />
                    </td>
                    <td>{attributeTypeLabel(a.type)}</td>
                    <td>
                      <code className="source-path">{a.defaults.other}</code>
                      <div>
                        <Button variant="ghost" className="compact" aria-expanded={expanded} aria-controls={detailsId} onClick={() => toggle(a.key)}>
                          {expanded ? 'Hide sources by provider' : 'Sources by provider'}
                          <span className="sr-only"> of {a.key}</span>
                        </Button>
                      </div>
                    </td>
                  </tr>
                  {expanded ? (
                    <tr id={detailsId} className="details-row">
                      <td colSpan={3}>
                        <dl className="provider-sources" aria-label={`Default sources of ${a.key} by provider`}>
                          {PROVIDERS.map((p) => {
                            const path = a.defaults[p.id] ?? a.defaults.other;
                            return (
                              <div key={p.id}>
                                <dt>{p.name}</dt>
                                <dd>
                                  <code className={path === a.defaults.other ? 'source-path' : 'source-path differs'}>{path}</code>
                                </dd>
                              </div>
                            );
                          })}
                        </dl>
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
