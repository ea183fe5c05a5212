/**
 * The signed-in portal: its tabs, as the session allows. Provisioning needs the vendor's builder switch
 * and the read permission; without any tab, the page says why.
 */
import { Tabs } from '../shared/ui/Layout.js';
import { EmptyState } from '../shared/ui/States.js';
import { PERMISSIONS, type PortalSession } from '../shared/types.js';
import { useLocation } from '../shared/router.js';
import { ProvisioningTab } from './ProvisioningTab.js';

export function PortalHome({ session }: { session: PortalSession }) {
  const { path } = useLocation();
  const productName = session.theme?.productName ?? undefined;
  const canRead = session.permissions.includes(PERMISSIONS.read);
  const tabs = session.scimProvisioning && canRead ? [{ id: 'provisioning', label: 'Provisioning', to: '/portal/provisioning' }] : [];

  if (tabs.length === 0) {
    return !session.scimProvisioning ? (
      <EmptyState title="Provisioning is not available for your account">
        Contact {productName ?? 'your provider'} support to turn on user provisioning (SCIM) for your organization.
      </EmptyState>
    ) : (
      <EmptyState title="You don't have permission to view provisioning settings">
        Ask an administrator of your organization in {productName ?? 'the application'} to give you access to the provisioning settings.
      </EmptyState>
    );
  }
  const current = tabs.find((t) => path === t.to)?.id ?? tabs[0].id;
  return (
    <>
      <Tabs label="Settings" current={current} items={tabs} />
      {current === 'provisioning' ? <ProvisioningTab session={session} /> : null}
    </>
  );
}
