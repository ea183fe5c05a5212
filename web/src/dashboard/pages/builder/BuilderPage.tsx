/** The builder: what the self-service portal offers (SCIM provisioning on/off), how it looks, and how to embed it. */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { PageHeader } from '../../../shared/ui/Layout.js';
import { ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';
import { EmbedGuide } from './EmbedGuide.js';
import { PortalThemeCard } from './PortalThemeCard.js';
import { ScimProvisioningCard } from './ScimProvisioningCard.js';
import type { BuilderSettings } from './types.js';
import './builder.css';

export function BuilderPage() {
  const loaded = useApi(() => api.get<BuilderSettings>('/api/v1/settings'), []);
  const [changed, setChanged] = useState<BuilderSettings | undefined>();
  const settings = changed ?? loaded.data;

  let body;
  if (loaded.error) body = <ErrorState error={loaded.error} retry={loaded.reload} title="The builder settings could not be loaded" />;
  else if (!settings) body = <Loading label="Loading the builder settings…" />;
  else {
    const portal = settings.portal ?? { brandColor: null, logoUrl: null, productName: null };
    body = (
      <>
        <ScimProvisioningCard enabled={settings.selfService.scimProvisioning} onChanged={setChanged} />
        <PortalThemeCard saved={portal} scimProvisioning={settings.selfService.scimProvisioning} onSaved={setChanged} />
        <EmbedGuide />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Builder" subtitle="The self-service portal your customers' admins use to connect their identity provider: what it offers and how it looks." />
      {body}
    </>
  );
}
