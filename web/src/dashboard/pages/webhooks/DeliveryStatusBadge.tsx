/** A delivery's state: pending (waiting or retrying), succeeded or failed (retries exhausted). */
import { Badge } from '../../../shared/ui/Layout.js';
import type { Delivery } from './types.js';

export function DeliveryStatusBadge({ delivery }: { delivery: Delivery }) {
  if (delivery.status === 'succeeded') return <Badge tone="good">Succeeded</Badge>;
  if (delivery.status === 'failed') return <Badge tone="bad">Failed</Badge>;
  return <Badge tone="warn">{delivery.attempts > 0 ? 'Retrying' : 'Pending'}</Badge>;
}
