/** PLACEHOLDER — to be built. */
export function AccountRolesPage({ tenantId }: { tenantId: string }) {
  return <p>AccountRolesPage (not built yet)</p>;
}
