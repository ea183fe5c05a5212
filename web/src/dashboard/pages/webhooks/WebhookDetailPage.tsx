/** PLACEHOLDER — to be built. */
export function WebhookDetailPage({ webhookId }: { webhookId: string }) {
  return <p>WebhookDetailPage (not built yet)</p>;
}
