/** PLACEHOLDER — to be built. */
export function GroupDetailPage({ tenantId, groupId }: { tenantId: string; groupId: string }) {
  return <p>GroupDetailPage (not built yet)</p>;
}
