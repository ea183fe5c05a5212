/** The provider choice of a new connection: a grid of toggle buttons (aria-pressed), one per provider, Google Workspace among them. */
import { useId } from 'react';
import { CONNECTION_CHOICES, GOOGLE_WORKSPACE_ID, type ProviderId } from './providers.js';
import { ProviderLogo } from './ProviderLogo.js';

export function ProviderPicker({ value, onChange, error }: { value: ProviderId | undefined; onChange: (id: ProviderId) => void; error?: string }) {
  const labelId = useId();
  return (
    <div className="field">
      <span id={labelId} className="field-label">
        <strong>Identity provider</strong>
      </span>
      <div className="provider-grid" role="group" aria-labelledby={labelId} aria-describedby={error ? `${labelId}-error` : undefined}>
        {CONNECTION_CHOICES.map((provider) => (
          <button key={provider.id} type="button" className="provider-option" aria-pressed={value === provider.id} onClick={() => onChange(provider.id)}>
            <ProviderLogo source={provider.id} />
            <span>{provider.name}</span>
          </button>
        ))}
      </div>
      {value === GOOGLE_WORKSPACE_ID ? (
        <span className="hint">
          Users and groups are read from Google Workspace directly, with no provisioning URL or token to paste: once the connection is created, a
          Workspace admin authorizes it.
        </span>
      ) : null}
      {error ? (
        <span id={`${labelId}-error`} className="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}
