/** A webhook's delivery history (newest first, cursor-paged), with "Redeliver" per delivery. */
import { useState } from 'react';
import { api, ApiError } from '../../../shared/api.js';
import { formatDateTime, formatRelative } from '../../../shared/format.js';
import { seg } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { SelectField } from '../../../shared/ui/Field.js';
import { Card, CursorPager } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi, useCursorPager } from '../../../shared/use-api.js';
import { DeliveryStatusBadge } from './DeliveryStatusBadge.js';
import { DELIVERY_STATUSES, type Delivery, type DeliveryPage, type DeliveryStatus } from './types.js';

const PAGE_SIZE = 25;
type Feedback = { tone: 'good' | 'bad'; text: string };

export function DeliveriesCard({ webhookId }: { webhookId: string }) {
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const pager = useCursorPager(status);
  const page = useApi(
    () => api.get<DeliveryPage>(`/api/v1/webhooks/${seg(webhookId)}/deliveries`, { limit: PAGE_SIZE, cursor: pager.cursor, status }),
    [webhookId, status, pager.cursor],
  );
  const [changed, setChanged] = useState<Record<string, Delivery>>({});
  const [sending, setSending] = useState<string | undefined>();
  const [feedback, setFeedback] = useState<Feedback | undefined>();

  const reload = () => {
    setChanged({});
    setFeedback(undefined);
    page.reload();
  };

  const redeliver = async (delivery: Delivery) => {
    setSending(delivery.id);
    setFeedback(undefined);
    try {
      const scheduled = await api.post<Delivery>(`/api/v1/webhooks/${seg(webhookId)}/deliveries/${seg(delivery.id)}/redeliver`);
      setChanged((c) => ({ ...c, [scheduled.id]: scheduled }));
      setFeedback({ tone: 'good', text: `The ${delivery.eventType} delivery is scheduled again and goes out within seconds. Refresh to see the result.` });
    } catch (e) {
      setFeedback({ tone: 'bad', text: e instanceof ApiError ? e.message : 'The delivery could not be scheduled. Try again.' });
    } finally {
      setSending(undefined);
    }
  };

  const items = (page.data?.items ?? []).map((d) => changed[d.id] ?? d);
  let body;
  if (page.error) body = <ErrorState error={page.error} retry={page.reload} title="Deliveries could not be loaded" />;
  else if (!page.data) body = <Loading label="Loading deliveries…" />;
  else if (items.length === 0)
    body = (
      <EmptyState title={status ? `No ${status} deliveries` : 'No deliveries yet'}>
        {status ? 'Try another status.' : 'A delivery appears here once an event this webhook receives happens (it gets the events after its creation).'}
      </EmptyState>
    );
  else
    body = (
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col">Last response</th>
              <th scope="col">Last attempt</th>
              <th scope="col">Next attempt</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((delivery) => (
              <tr key={delivery.id}>
                <td>
                  <code>{delivery.eventType}</code>
                  <div className="hint mono" title="Event ID">
                    {delivery.eventId}
                  </div>
                </td>
                <td>
                  <DeliveryStatusBadge delivery={delivery} />
                </td>
                <td className="num">{delivery.attempts}</td>
                <td>
                  {delivery.lastStatusCode !== null ? <span className="mono">HTTP {delivery.lastStatusCode}</span> : delivery.lastError ? null : <span className="muted">—</span>}
                  {delivery.lastError ? <div className="hint">{delivery.lastError}</div> : null}
                </td>
                <td title={formatDateTime(delivery.lastAttemptAt)}>{formatRelative(delivery.lastAttemptAt)}</td>
                <td title={formatDateTime(delivery.nextAttemptAt)}>{delivery.nextAttemptAt ? formatRelative(delivery.nextAttemptAt) : '—'}</td>
                <td>
                  <Button busy={sending === delivery.id} disabled={sending !== undefined} onClick={() => void redeliver(delivery)} aria-label={`Redeliver ${delivery.eventType} ${delivery.eventId}`}>
                    Redeliver
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <Card
      title="Deliveries"
      actions={
        <div className="toolbar">
          <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | '')}>
            <option value="">Any</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s[0].toUpperCase() + s.slice(1)}
              </option>
            ))}
          </SelectField>
          <Button onClick={reload}>Refresh</Button>
        </div>
      }
    >
      <p role="status" aria-live="polite" className={feedback ? `callout ${feedback.tone === 'good' ? 'callout-info' : 'callout-bad'}` : 'sr-only'}>
        {feedback?.text}
      </p>
      {body}
      <CursorPager pager={pager} nextCursor={page.data?.nextCursor} />
    </Card>
  );
}
