/** PLACEHOLDER — to be built. */
export function RolesPage() {
  return <p>RolesPage (not built yet)</p>;
}
