/** PLACEHOLDER — to be built. */
export function UserDetailPage({ tenantId, userId }: { tenantId: string; userId: string }) {
  return <p>UserDetailPage (not built yet)</p>;
}
