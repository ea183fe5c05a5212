/** Loading, empty and error states, so every list and page says what is going on. */
import type { ReactNode } from 'react';
import type { ApiError } from '../api.js';
import { Button } from './Button.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="state state-empty">
      <h3>{title}</h3>
      {children ? <p>{children}</p> : null}
      {action}
    </div>
  );
}

/** An error from the API in plain words, with a retry when the caller can retry. */
export function ErrorState({ error, retry, title = 'Something went wrong' }: { error: ApiError; retry?: () => void; title?: string }) {
  const hint =
    error.status === 403
      ? 'You do not have permission for this. Ask an administrator.'
      : error.status === 404
        ? 'It may have been deleted.'
        : error.status === 0 || error.status >= 500
          ? 'This is probably temporary. Try again in a moment.'
          : undefined;
  return (
    <div className="state state-error" role="alert">
      <h3>{title}</h3>
      <p>{error.message}</p>
      {hint ? <p className="muted">{hint}</p> : null}
      {retry ? <Button onClick={retry}>Try again</Button> : null}
    </div>
  );
}

/** An inline error under a form. */
export function FormError({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {error.message}
    </p>
  );
}
