/** One webhook: its settings (edit, on/off, delete) and its delivery history with redelivery. */
import { useState } from 'react';
import { api } from '../../../shared/api.js';
import { formatCount, formatDateTime } from '../../../shared/format.js';
import { Link, navigate, seg } from '../../../shared/router.js';
import { Button } from '../../../shared/ui/Button.js';
import { Card, PageHeader } from '../../../shared/ui/Layout.js';
import { ErrorState, Loading } from '../../../shared/ui/States.js';
import { useApi } from '../../../shared/use-api.js';
import { DeleteWebhookDialog } from './DeleteWebhookDialog.js';
import { DeliveriesCard } from './DeliveriesCard.js';
import { EditWebhookDialog } from './EditWebhookDialog.js';
import { describeEvents, type Webhook } from './types.js';
import { WebhookEnabledToggle } from './WebhookEnabledToggle.js';
import { WebhookStatusBadge } from './WebhookStatusBadge.js';
import './webhooks.css';

const back = { to: '/dashboard/webhooks', label: 'Webhooks' };

export function WebhookDetailPage({ webhookId }: { webhookId: string }) {
  const loaded = useApi(() => api.get<Webhook>(`/api/v1/webhooks/${seg(webhookId)}`), [webhookId]);
  const [updated, setUpdated] = useState<Webhook | undefined>();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  if (loaded.error)
    return (
      <>
        <PageHeader title="Webhook" back={back} />
        <ErrorState error={loaded.error} retry={loaded.reload} title="This webhook could not be loaded" />
      </>
    );
  if (!loaded.data) return <Loading label="Loading the webhook…" />;
  const webhook = updated?.id === loaded.data.id ? updated : loaded.data;

  return (
    <>
      <PageHeader
        title="Webhook"
        subtitle={<span className="mono url-cell">{webhook.url}</span>}
        back={back}
        actions={
          <>
            <Button onClick={() => setEditing(true)}>Edit</Button>
            <Button variant="danger" onClick={() => setDeleting(true)}>
              Delete
            </Button>
          </>
        }
      />
      <Card title="Settings">
        <dl className="details">
          <dt>Endpoint URL</dt>
          <dd className="mono">{webhook.url}</dd>
          <dt>Event types</dt>
          <dd>{describeEvents(webhook.events)}</dd>
          <dt>Account</dt>
          <dd>{webhook.tenantId ? <Link to={`/dashboard/accounts/${seg(webhook.tenantId)}`}>{webhook.tenantId}</Link> : 'All accounts'}</dd>
          <dt>Status</dt>
          <dd>
            <WebhookStatusBadge webhook={webhook} />
          </dd>
          <dt>Failed attempts in a row</dt>
          <dd>
            {formatCount(webhook.consecutiveFailures)}
            {webhook.failingSince ? <span className="muted"> (failing since {formatDateTime(webhook.failingSince)})</span> : null}
          </dd>
          <dt>Created</dt>
          <dd>{formatDateTime(webhook.createdAt)}</dd>
          <dt>Updated</dt>
          <dd>{formatDateTime(webhook.updatedAt)}</dd>
          <dt>Webhook ID</dt>
          <dd className="mono">{webhook.id}</dd>
        </dl>
        {webhook.disabledReason ? (
          <div className="callout callout-bad" role="note">
            <strong>Turned off by Rollcall.</strong> {webhook.disabledReason}
            <br />
            Fix the endpoint, then turn the webhook on: its pending retries go out at once and it catches up on the events it missed.
          </div>
        ) : null}
        <WebhookEnabledToggle webhook={webhook} onChanged={setUpdated} describe />
      </Card>
      <DeliveriesCard webhookId={webhook.id} />
      <EditWebhookDialog key={webhook.updatedAt} webhook={webhook} open={editing} onClose={() => setEditing(false)} onSaved={setUpdated} />
      <DeleteWebhookDialog webhook={deleting ? webhook : undefined} onClose={() => setDeleting(false)} onDeleted={() => navigate('/dashboard/webhooks')} />
    </>
  );
}
