/** Labelled form controls. */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

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

/** A multi-line text box (pasted files, long values), with the same hint and error as TextField. */
export function TextAreaField({ label, hint, error, ...rest }: { label: string; hint?: ReactNode; error?: string } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-describedby={described || undefined} aria-invalid={error ? true : undefined} {...rest} />
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      ) : null}
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
/** The label of a checkbox, switch or radio, and its description (which the input names with aria-describedby). */
function LabelAndHint({ id, label, description }: { id: string; label: string; description?: ReactNode }) {
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      {description ? (
        <p id={`${id}-desc`} className="hint">
          {description}
        </p>
      ) : null}
    </div>
  );
}

export function Checkbox({ label, description, checked, onChange, disabled }: { label: string; description?: ReactNode; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="checkbox">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={description ? `${id}-desc` : undefined} />
      <LabelAndHint id={id} label={label} description={description} />
    </div>
  );
}

/** An on/off switch (a checkbox with role="switch"). */
export function Toggle({ label, checked, onChange, disabled, description }: { label: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean; description?: ReactNode }) {
  const id = useId();
  return (
    <div className="toggle">
      <input id={id} type="checkbox" role="switch" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={description ? `${id}-desc` : undefined} />
      <LabelAndHint id={id} label={label} description={description} />
    </div>
  );
}

/** One option of a radio group (the group is a fieldset with a legend), laid out as Checkbox. */
export function Radio({ name, label, description, checked, onChange, disabled }: { name: string; label: string; description?: ReactNode; checked: boolean; onChange: () => void; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="checkbox">
      <input id={id} type="radio" name={name} checked={checked} disabled={disabled} onChange={onChange} aria-describedby={description ? `${id}-desc` : undefined} />
      <LabelAndHint id={id} label={label} description={description} />
    </div>
  );
}
