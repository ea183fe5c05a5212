/** A labelled progress bar with its count in words, announced politely as it moves. */
import { formatCount } from '../format.js';

export function Progress({ label, value, max, detail }: { label: string; value: number; max: number; detail?: string }) {
  const known = max > 0;
  return (
    <div className="progress" role="status" aria-live="polite">
      <div className="progress-text">
        <span className="spinner" aria-hidden="true" /> {label}
        {known ? (
          <span className="muted">
            {' '}
            {formatCount(Math.min(value, max))} of {formatCount(max)}
            {detail ? ` ${detail}` : ''}
          </span>
        ) : null}
      </div>
      {/* Without a total the bar is indeterminate (no value attribute). */}
      <progress aria-label={label} max={known ? max : undefined} value={known ? Math.min(value, max) : undefined} />
    </div>
  );
}
