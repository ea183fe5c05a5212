/** The setup guide of a provider: where the URL and the token go in that IdP's console, what to check, how to test. */
import type { ComponentType } from 'react';
import { scimProviderOf } from '../providers.js';
import { CustomGuide } from './CustomGuide.js';
import { EntraGuide } from './EntraGuide.js';
import { JumpCloudGuide } from './JumpCloudGuide.js';
import { OktaGuide } from './OktaGuide.js';
import { OneLoginGuide } from './OneLoginGuide.js';
import type { GuideProps } from './parts.js';
import { PingOneGuide } from './PingOneGuide.js';
import { RipplingGuide } from './RipplingGuide.js';

const GUIDES: Record<string, ComponentType<GuideProps>> = {
  okta: OktaGuide,
  'azure-ad': EntraGuide,
  onelogin: OneLoginGuide,
  jumpcloud: JumpCloudGuide,
  rippling: RipplingGuide,
  pingone: PingOneGuide,
  other: CustomGuide,
};

export function SetupGuide({ source, ...props }: GuideProps & { source: string }) {
  const provider = scimProviderOf(source);
  const Guide = GUIDES[source] ?? CustomGuide;
  return (
    <section className="setup-guide" aria-label={`Set up ${provider.name}`} style={{ marginTop: 18 }}>
      <h3>Set up {provider.name}</h3>
      <p className="muted">
        You need two values of this connection: the <em>Provisioning URL</em> ({provider.urlLabel} in {provider.name}) and the <em>Token</em> (
        {provider.tokenLabel}).
      </p>
      <Guide {...props} />
    </section>
  );
}
