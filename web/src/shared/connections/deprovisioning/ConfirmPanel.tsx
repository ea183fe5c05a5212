/**
 * An inline confirmation inside a dialog (a second modal on top would hide what it confirms): the
 * question, what it does, Cancel (focused first, the safe choice) and the action.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { ApiError } from '../../api.js';
import { Button } from '../../ui/Button.js';
import { FormError } from '../../ui/States.js';

export function ConfirmPanel({ question, children, confirmLabel, danger, busy, error, onConfirm, onCancel }: {
  question: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy: boolean;
  error?: ApiError;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="held-confirm" role="group" aria-label={question}>
      <p>
        <strong>{question}</strong>
      </p>
      <p style={{ margin: 0 }}>{children}</p>
      <FormError error={error} />
      <div className="buttons">
        <button ref={cancel} type="button" className="btn btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <Button variant={danger ? 'danger' : 'primary'} busy={busy} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </div>
  );
}
