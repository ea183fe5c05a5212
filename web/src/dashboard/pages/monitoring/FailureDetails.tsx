/** What went wrong with one failed SCIM request: the explanation and fix, the SCIM error, the redacted body. */
import { RawJson } from '../../../shared/ui/Layout.js';
import { explainFailure } from './explain.js';
import type { LogEntry } from './types.js';

export function FailureDetails({ entry, id }: { entry: LogEntry; id: string }) {
  const explained = explainFailure(entry);
  return (
    <section className="failure-explained" id={id} aria-label={`Details of the ${entry.status} response`}>
      <h3>{explained.title}</h3>
      <p>{explained.explanation}</p>
      <p className="callout callout-info">
        <strong>Suggested fix: </strong>
        {explained.fix}
      </p>
      <dl>
        <dt>SCIM error</dt>
        <dd>{entry.detail ?? <span className="muted">No detail was returned.</span>}</dd>
        <dt>scimType</dt>
        <dd>{entry.scimType ? <code>{entry.scimType}</code> : <span className="muted">—</span>}</dd>
        <dt>Request</dt>
        <dd>
          <code>
            {entry.method} {entry.path}
            {entry.query ? `?${entry.query}` : ''}
          </code>
        </dd>
        <dt>User agent</dt>
        <dd>{entry.userAgent ?? <span className="muted">—</span>}</dd>
      </dl>
      {entry.body === null || entry.body === undefined ? (
        <p className="muted">The request had no body.</p>
      ) : (
        <>
          <h4 className="sr-only">Request body</h4>
          <p className="hint">Request body, with secrets such as passwords redacted:</p>
          <RawJson value={entry.body} label="Request body (redacted)" />
        </>
      )}
    </section>
  );
}
