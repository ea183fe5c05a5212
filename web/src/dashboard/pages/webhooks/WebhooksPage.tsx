/** PLACEHOLDER — to be built. */
export function WebhooksPage() {
  return <p>WebhooksPage (not built yet)</p>;
}
