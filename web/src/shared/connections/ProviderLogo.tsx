/** A provider's tile: its initials on its brand colour (decorative; the name is always next to it). */
import { providerOf } from './providers.js';

export function ProviderLogo({ source, size = 32 }: { source: string; size?: number }) {
  const provider = providerOf(source);
  return (
    <span className="provider-logo" aria-hidden="true" style={{ background: provider.color, width: size, height: size, fontSize: Math.round(size * 0.4) }}>
      {provider.initials}
    </span>
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
