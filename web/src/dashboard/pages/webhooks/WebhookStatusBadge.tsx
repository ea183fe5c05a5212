/** Enabled, disabled by hand, or disabled by Rollcall after failing for too long. */
import { Badge } from '../../../shared/ui/Layout.js';
import type { Webhook } from './types.js';

export function WebhookStatusBadge({ webhook }: { webhook: Webhook }) {
  if (!webhook.enabled) return webhook.disabledReason ? <Badge tone="bad">Auto-disabled</Badge> : <Badge>Disabled</Badge>;
  if (webhook.consecutiveFailures > 0) return <Badge tone="warn">Failing</Badge>;
  return <Badge tone="good">Active</Badge>;
}
