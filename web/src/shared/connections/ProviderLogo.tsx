/**
 * A provider's mark (./provider-marks.tsx) on a white tile. Decorative: the provider's name is always
 * next to it, so the mark is hidden from assistive technology.
 */
import { MARKS } from './provider-marks.js';
import { providerOf } from './providers.js';

export function ProviderLogo({ source, size = 32 }: { source: string; size?: number }) {
  const provider = providerOf(source);
  return (
    <svg className="provider-logo" data-provider={provider.id} width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="0.5" y="0.5" width="31" height="31" rx="7" fill="#fff" stroke="#d5d9e3" />
      {MARKS[provider.id]}
    </svg>
  );
}

/** Logo and name on one line, for tables. */
export function ProviderName({ source }: { source: string }) {
  return (
    <span className="inline">
      <ProviderLogo source={source} size={24} />
      {providerOf(source).name}
    </span>
  );
}
