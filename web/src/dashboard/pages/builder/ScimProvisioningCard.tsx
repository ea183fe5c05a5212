/** The builder switch "SCIM Provisioning": whether customers' admins may manage SCIM connections in the portal. */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { Toggle } from '../../../shared/ui/Field.js';
import { Card } from '../../../shared/ui/Layout.js';
import { FormError } from '../../../shared/ui/States.js';
import { useAction } from '../../../shared/use-api.js';
import type { BuilderSettings } from './types.js';

export function ScimProvisioningCard({ enabled, onChanged }: { enabled: boolean; onChanged: (settings: BuilderSettings) => void }) {
  const [notice, setNotice] = useState('');
  const save = useAction((scimProvisioning: boolean) => api.patch<BuilderSettings>('/api/v1/settings', { selfService: { scimProvisioning } }));
  return (
    <Card title="Self-service">
      <Toggle
        label="SCIM Provisioning"
        checked={enabled}
        disabled={save.busy}
        onChange={async (checked) => {
          setNotice('');
          const settings = await save.run(checked);
          if (settings) {
            onChanged(settings);
            setNotice(settings.selfService.scimProvisioning ? 'SCIM provisioning is on in the self-service portal.' : 'SCIM provisioning is off in the self-service portal.');
          }
        }}
        description={
          <>
            Lets your customers' admins connect their identity provider themselves: in the self-service portal they see their account's SCIM connections, add
            one (and get its provisioning URL and token) and delete one — each as far as their permissions allow (View provisioning, Add connections, Delete
            connections). While off, the portal shows that provisioning is not available and user tokens get a 403 from the configuration API. Connections you
            create here in the dashboard work either way.
          </>
        }
      />
      <p role="status" aria-live="polite" className={notice ? 'hint' : 'sr-only'}>
        {notice}
      </p>
      <FormError error={save.error} />
    </Card>
  );
}
