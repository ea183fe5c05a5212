/** PLACEHOLDER — to be built. */
export function GroupsPage({ tenantId }: { tenantId: string }) {
  return <p>GroupsPage (not built yet)</p>;
}
