/** The SCIM request log as a table; each failed request expands to its explanation. */
import { Fragment } from 'react';
import { Badge } from '../../../shared/ui/Layout.js';
import type { LabelOf } from './connection-labels.js';
import { FailureDetails } from './FailureDetails.js';
import { formatTimeWithSeconds } from './time.js';
import type { LogEntry } from './types.js';
import './monitoring.css';
import { ExpandButton } from './ExpandButton.js';
import { useToggleSet } from '../../../shared/use-toggle-set.js';

function StatusBadge({ status }: { status: number }) {
  return <Badge tone={status >= 500 ? 'bad' : status >= 400 ? 'warn' : 'good'}>{status}</Badge>;
}

export function RequestLogTable({ entries, labelOf, busy }: { entries: LogEntry[]; labelOf: LabelOf; busy?: boolean }) {
  const [open, toggle] = useToggleSet<number>();

  return (
    <div className="table-wrap">
      <table className="log-table" aria-busy={busy || undefined}>
        <caption className="sr-only">SCIM requests, newest first</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">Details</span>
            </th>
            <th scope="col">Time</th>
            <th scope="col">Method</th>
            <th scope="col">Path</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col">Connection</th>
            <th scope="col">SCIM error</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const failed = entry.status >= 400;
            const expanded = open.has(entry.id);
            const detailsId = `log-details-${entry.id}`;
            return (
              <Fragment key={entry.id}>
                <tr>
                  <td>
                    {failed ? (
                      <ExpandButton
                        expanded={expanded}
                        controls={detailsId}
                        title="Show what went wrong"
                        label={`Details of ${entry.status} ${entry.method} ${entry.path}`}
                        onToggle={() => toggle(entry.id)}
                      />
                    ) : null}
                  </td>
                  <td>{formatTimeWithSeconds(entry.at)}</td>
                  <td className="nowrap">
                    <code>{entry.method}</code>
                  </td>
                  <td className="wrap">
                    <code>{entry.path}</code>
                  </td>
                  <td>
                    <StatusBadge status={entry.status} />
                  </td>
                  <td className="num nowrap">{entry.durationMs} ms</td>
                  <td className="wrap">{labelOf(entry.connectionId, entry.connectionName)}</td>
                  <td className="wrap">{entry.scimType ? <code>{entry.scimType}</code> : failed ? <span className="muted">—</span> : null}</td>
                </tr>
                {failed && expanded ? (
                  <tr className="log-details">
                    <td colSpan={8}>
                      <FailureDetails entry={entry} id={detailsId} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
