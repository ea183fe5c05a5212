/** Labelled form controls. */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

export function TextField({ label, hint, error, ...rest }: { label: string; hint?: ReactNode; error?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} aria-invalid={error ? true : undefined} {...rest} />
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
      {error ? <span className="field-error">{error}</span> : null}
    </div>
  );
}

export function SelectField({ label, children, ...rest }: { label: string; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} {...rest}>
        {children}
      </select>
    </div>
  );
}

/** A checkbox with its label and an optional explanation below. */
export function Checkbox({ label, description, checked, onChange, disabled }: { label: string; description?: ReactNode; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="checkbox">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={description ? `${id}-desc` : undefined} />
      <div>
        <label htmlFor={id}>{label}</label>
        {description ? (
          <p id={`${id}-desc`} className="hint">
            {description}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** An on/off switch (a checkbox with role="switch"). */
export function Toggle({ label, checked, onChange, disabled, description }: { label: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean; description?: ReactNode }) {
  const id = useId();
  return (
    <div className="toggle">
      <input id={id} type="checkbox" role="switch" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={description ? `${id}-desc` : undefined} />
      <div>
        <label htmlFor={id}>{label}</label>
        {description ? (
          <p id={`${id}-desc`} className="hint">
            {description}
          </p>
        ) : null}
      </div>
    </div>
  );
}
