/**
 * The connection's users whose mapped values did not convert to their type (each such value is
 * empty): how many, and on request the list with the reasons, a page at a time.
 */
import { useId, useState } from 'react';
import { api, ApiError } from '../api.js';
import { plural } from '../format.js';
import { Button } from '../ui/Button.js';
import { FormError } from '../ui/States.js';
import type { AttributeProblemPage } from './attribute-mapping-draft.js';

const PAGE_SIZE = 20;

export function AttributeProblemUsers({ url, count, onPreview }: { url: string; count: number; onPreview: (userId: string) => void }) {
  const listId = useId();
  const [items, setItems] = useState<AttributeProblemPage['items'] | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const load = async (cursor?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await api.get<AttributeProblemPage>(url, { cursor, limit: PAGE_SIZE });
      setItems((current) => (cursor && current ? [...current, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'Something went wrong. Try again.'));
    } finally {
      setBusy(false);
    }
  };

  if (count === 0) return null;
  const open = items !== undefined;
  return (
    <div className="callout callout-warn problem-users">
      <div className="problem-users-header">
        <span>
          {plural(count, 'user has', 'users have')} a value that did not convert to its type; those values are empty until the source sends something that does.
        </span>
        <Button aria-expanded={open} aria-controls={listId} busy={busy && !open} onClick={() => (open ? setItems(undefined) : void load())}>
          {open ? 'Hide the users' : 'Show the users'}
        </Button>
      </div>
      <FormError error={error} />
      {open ? (
        <div id={listId}>
          <ul className="problem-user-list" aria-label="Users with values that did not convert">
            {items.map((item) => (
              <li key={item.userId}>
                <div className="problem-user-line">
                  <strong>{item.userName}</strong>
                  <Button variant="ghost" onClick={() => onPreview(item.userId)}>
                    Preview<span className="sr-only"> {item.userName}</span>
                  </Button>
                </div>
                <ul className="problem-reasons">
                  {item.problems.map((problem) => (
                    <li key={problem.key}>
                      <code>{problem.key}</code>: {problem.reason}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
          {next ? (
            <Button busy={busy} onClick={() => void load(next)}>
              Show more
            </Button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
