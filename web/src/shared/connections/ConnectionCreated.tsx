/** Step 2 of creating a connection: the provisioning URL, the token (shown this once) and the provider's setup guide. */
import { useEffect, useRef } from 'react';
import type { CreatedConnection } from '../types.js';
import { CopyField } from '../ui/CopyField.js';
import { SetupGuide } from './guides/SetupGuide.js';
import type { GuideContext } from './guides/parts.js';
import { providerOf } from './providers.js';

export function ConnectionCreated({ connection, context, productName }: { connection: CreatedConnection; context: GuideContext; productName?: string }) {
  const heading = useRef<HTMLParagraphElement>(null);
  // The form that had focus is gone: start reading at the news.
  useEffect(() => heading.current?.focus(), []);
  const provider = providerOf(connection.source);
  return (
    <>
      <p ref={heading} tabIndex={-1} className="callout callout-info">
        <strong>{connection.connectionName}</strong> is ready. Paste these two values into {provider.name} to start provisioning.
      </p>
      <CopyField label="Provisioning URL" value={connection.provisioningUrl} testId="provisioning-url" />
      <CopyField label="Token" value={connection.token} secret testId="connection-token" />
      <div className="callout callout-warn" role="note">
        <strong>Copy the token now: it will not be shown again.</strong> It is stored only as a hash.{' '}
        {context === 'dashboard'
          ? 'If it is lost, issue a new one with “Rotate token” on the connection.'
          : 'If it is lost, get a new one with “New token” on the connection.'}
      </div>
      <SetupGuide source={connection.source} context={context} productName={productName} url={connection.provisioningUrl} />
    </>
  );
}
