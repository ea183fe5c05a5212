/**
 * Held (or discarded) deprovisioning changes as a table: the user, what changed, when, and the SCIM
 * request that asked for it (a link to it in the request log where the page has one). With
 * `selection`, each row has a checkbox and the header one selects every row shown.
 */
import { formatDateTime, formatRelative } from '../../format.js';
import { Link } from '../../router.js';
import type { HeldChange } from './types.js';
import { describeChange } from './words.js';

export interface Selection {
  selected: ReadonlySet<string>;
  toggle: (id: string) => void;
  setAll: (on: boolean) => void;
}

function Request({ requestId, href }: { requestId: string | null; href?: (requestId: string) => string }) {
  if (!requestId) return <span className="muted" title="No SCIM request: a sync from the directory">—</span>;
  return href ? (
    <Link to={href(requestId)} aria-label={`Request ${requestId} in the request log`}>
      <code>{requestId}</code>
    </Link>
  ) : (
    <code>{requestId}</code>
  );
}

export function HeldChangesTable({ items, caption, selection, requestHref }: { items: HeldChange[]; caption: string; selection?: Selection; requestHref?: (requestId: string) => string }) {
  const allSelected = selection !== undefined && items.length > 0 && items.every((item) => selection.selected.has(item.id));
  return (
    <div className="table-wrap">
      <table className="held-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {selection ? (
              <th scope="col" className="select">
                <input type="checkbox" aria-label="Select every change shown" checked={allSelected} onChange={(e) => selection.setAll(e.target.checked)} />
              </th>
            ) : null}
            <th scope="col">User</th>
            <th scope="col">Change</th>
            <th scope="col">When</th>
            <th scope="col">SCIM request</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => {
            const what = describeChange(item);
            return (
              <tr key={item.id}>
                {selection ? (
                  <td className="select">
                    <input type="checkbox" aria-label={`Select ${item.userName}: ${what}`} checked={selection.selected.has(item.id)} onChange={() => selection.toggle(item.id)} />
                  </td>
                ) : null}
                <td className="held-user">
                  {item.displayName ? (
                    <>
                      <strong>{item.displayName}</strong>
                      <br />
                      <span className="muted">{item.userName}</span>
                    </>
                  ) : (
                    <strong>{item.userName}</strong>
                  )}
                </td>
                <td>{what}</td>
                <td>
                  <time dateTime={item.at} title={formatDateTime(item.at)}>
                    {formatRelative(item.at)}
                  </time>
                </td>
                <td>
                  <Request requestId={item.requestId} href={requestHref} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
