/** PLACEHOLDER — to be built. */
export function UsersPage({ tenantId }: { tenantId: string }) {
  return <p>UsersPage (not built yet)</p>;
}
