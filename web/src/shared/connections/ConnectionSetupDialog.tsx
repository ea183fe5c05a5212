/** An existing connection's provisioning URL and setup guide (the token is never shown again). */
import type { Connection } from '../types.js';
import { Button } from '../ui/Button.js';
import { CopyField } from '../ui/CopyField.js';
import { Dialog } from '../ui/Dialog.js';
import { SetupGuide } from './guides/SetupGuide.js';
import type { GuideContext } from './guides/parts.js';

export function ConnectionSetupDialog({
  connection,
  onClose,
  context,
  productName,
}: {
  connection: Connection | undefined;
  onClose: () => void;
  context: GuideContext;
  productName?: string;
}) {
  if (!connection) return null;
  return (
    <Dialog
      title={`Set up ${connection.connectionName}`}
      open
      wide
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          Close
        </Button>
      }
    >
      <CopyField label="Provisioning URL" value={connection.provisioningUrl} testId="provisioning-url" />
      <p className="hint">
        The token was shown once, when the connection was created.{' '}
        {context === 'dashboard'
          ? 'If it was lost, issue a new one with “Rotate token”.'
          : 'If it was lost, delete the connection and create a new one.'}
      </p>
      <SetupGuide source={connection.source} context={context} productName={productName} url={connection.provisioningUrl} />
    </Dialog>
  );
}
