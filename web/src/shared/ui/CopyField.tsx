/** A read-only value with a Copy button (provisioning URLs, tokens shown once). */
import { useId, useState } from 'react';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (insecure context, permissions): fall back to a selected textarea.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export function CopyField({ label, value, secret, testId }: { label: string; value: string; secret?: boolean; testId?: string }) {
  const id = useId();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} className={secret ? 'mono secret' : 'mono'} readOnly value={value} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          className="btn btn-secondary"
          aria-label={`Copy ${label}`}
          onClick={async () => {
            setState((await copyText(value)) ? 'copied' : 'failed');
            window.setTimeout(() => setState('idle'), 2000);
          }}
        >
          {state === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <span className="sr-only" role="status" aria-live="polite">
        {state === 'copied' ? `${label} copied to the clipboard` : state === 'failed' ? 'Copy failed: select the text and copy it by hand' : ''}
      </span>
    </div>
  );
}
