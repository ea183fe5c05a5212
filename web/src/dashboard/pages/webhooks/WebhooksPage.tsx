/** Webhooks: the endpoints that receive events, with add, enable/disable and delete. */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { formatDateTime } from '../../../shared/format.js';
import { Link, seg } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { Card, PageHeader, Pager } from '../../../shared/ui/Layout.js';
import { EmptyState, ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';
import { AddWebhookDialog } from './AddWebhookDialog.js';
import { DeleteWebhookDialog } from './DeleteWebhookDialog.js';
import { describeEvents, type Webhook, type WebhookList } from './types.js';
import { WebhookEnabledToggle } from './WebhookEnabledToggle.js';
import { WebhookStatusBadge } from './WebhookStatusBadge.js';
import './webhooks.css';

const PAGE_SIZE = 25;

export function WebhooksPage() {
  const [offset, setOffset] = useState(0);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Webhook | undefined>();
  const list = useApi(() => api.get<WebhookList>('/api/v1/webhooks', { _limit: PAGE_SIZE, _offset: offset }), [offset]);
  // Toggles update their row in place, without reloading the page.
  const [changed, setChanged] = useState<Record<string, Webhook>>({});
  const items = (list.data?.items ?? []).map((w) => changed[w.id] ?? w);
  const total = list.data?._metadata.totalItems ?? 0;

  let body;
  if (list.error) body = <ErrorState error={list.error} retry={list.reload} title="Webhooks could not be loaded" />;
  else if (!list.data) body = <Loading label="Loading webhooks…" />;
  else if (items.length === 0)
    body = (
      <EmptyState title="No webhooks yet">
        A webhook receives provisioning events (users and groups created, changed or removed) as signed POST requests, with retries. Use “Add
        webhook” to create one.
      </EmptyState>
    );
  else
    body = (
      <>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Events</th>
                <th scope="col">Account</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">On/off</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((webhook) => (
                <tr key={webhook.id}>
                  <td className="url-cell">
                    <Link to={`/dashboard/webhooks/${seg(webhook.id)}`} className="mono">
                      {webhook.url}
                    </Link>
                  </td>
                  <td>{describeEvents(webhook.events)}</td>
                  <td>{webhook.tenantId ? <Link to={`/dashboard/accounts/${seg(webhook.tenantId)}`}>{webhook.tenantId}</Link> : <span className="muted">All accounts</span>}</td>
                  <td>
                    <WebhookStatusBadge webhook={webhook} />
                    {webhook.disabledReason ? <p className="hint">{webhook.disabledReason}</p> : null}
                  </td>
                  <td>{formatDateTime(webhook.createdAt)}</td>
                  <td>
                    <WebhookEnabledToggle webhook={webhook} onChanged={(w) => setChanged((c) => ({ ...c, [w.id]: w }))} />
                  </td>
                  <td>
                    <Button variant="ghost" onClick={() => setDeleting(webhook)} aria-label={`Delete webhook ${webhook.url}`}>
                      Delete
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager
          hasPrevious={offset > 0}
          hasNext={offset + PAGE_SIZE < total}
          onPrevious={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
          onNext={() => setOffset(offset + PAGE_SIZE)}
          label={total > PAGE_SIZE ? `${offset + 1}–${Math.min(offset + PAGE_SIZE, total)} of ${total}` : undefined}
        />
      </>
    );

  return (
    <>
      <PageHeader
        title="Webhooks"
        subtitle="Endpoints of your app that receive provisioning events as signed POST requests."
        actions={
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add webhook
          </Button>
        }
      />
      <Card>{body}</Card>
      <AddWebhookDialog
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={() => {
          setChanged({});
          list.reload();
        }}
      />
      <DeleteWebhookDialog
        webhook={deleting}
        onClose={() => setDeleting(undefined)}
        onDeleted={() => {
          setDeleting(undefined);
          setChanged({});
          list.reload();
        }}
      />
    </>
  );
}
