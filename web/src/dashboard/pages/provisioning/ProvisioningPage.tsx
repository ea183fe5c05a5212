/** PLACEHOLDER — to be built. */
export function ProvisioningPage({ tenantId }: { tenantId: string }) {
  return <p>ProvisioningPage (not built yet)</p>;
}
