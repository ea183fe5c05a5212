/** PLACEHOLDER — to be built. */
export function AccountsPage() {
  return <p>AccountsPage (not built yet)</p>;
}
