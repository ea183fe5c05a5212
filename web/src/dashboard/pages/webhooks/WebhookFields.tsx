/** The fields of a webhook (URL, event types, account scope), shared by the add and edit dialogs. */
import { Checkbox, TextField } from '../../../shared/ui/Field.js';
import { EVENT_TYPES, type EventType } from '../../../shared/event-types.js';
import type { Webhook, WebhookInput } from './types.js';

export interface WebhookDraft {
  url: string;
  allEvents: boolean;
  events: EventType[];
  tenantId: string;
}

export const emptyDraft: WebhookDraft = { url: '', allEvents: true, events: [], tenantId: '' };

export function draftOf(webhook: Webhook): WebhookDraft {
  // The answer's schema types the subscribed events as strings: keep those this UI offers.
  const subscribed: readonly string[] = webhook.events ?? [];
  return { url: webhook.url, allEvents: webhook.events === null, events: EVENT_TYPES.filter((t) => subscribed.includes(t)), tenantId: webhook.tenantId ?? '' };
}

/** The request body of a draft, or a message saying what is missing. */
export function inputOf(draft: WebhookDraft): WebhookInput | string {
  if (!draft.url.trim()) return 'Enter the URL that should receive the events.';
  if (!draft.allEvents && draft.events.length === 0) return 'Choose at least one event type, or receive all events.';
  return {
    url: draft.url.trim(),
    // In the API's order, so the list reads the same everywhere.
    events: draft.allEvents ? null : EVENT_TYPES.filter((t) => draft.events.includes(t)),
    tenantId: draft.tenantId.trim() || null,
  };
}

const EVENT_GROUPS: { label: string; prefix: string }[] = [
  { label: 'Users', prefix: 'user.' },
  { label: 'Groups', prefix: 'group.' },
  { label: 'Connections', prefix: 'connection.' },
];

export function WebhookFields({ draft, onChange, fieldError }: { draft: WebhookDraft; onChange: (draft: WebhookDraft) => void; fieldError?: { field?: string; message: string } }) {
  const set = (changes: Partial<WebhookDraft>) => onChange({ ...draft, ...changes });
  return (
    <>
      <TextField
        label="Endpoint URL"
        type="url"
        required
        placeholder="https://app.example.com/rollcall/events"
        value={draft.url}
        onChange={(e) => set({ url: e.target.value })}
        hint="An absolute http(s) URL. Rollcall POSTs each event to it as signed JSON."
        error={fieldError?.field === 'url' ? fieldError.message : undefined}
      />
      <fieldset className="fieldset">
        <legend>Event types</legend>
        <div className="radio-row">
          <label>
            <input type="radio" name="event-scope" checked={draft.allEvents} onChange={() => set({ allEvents: true })} /> All events
          </label>
          <label>
            <input type="radio" name="event-scope" checked={!draft.allEvents} onChange={() => set({ allEvents: false })} /> Only the event types below
          </label>
        </div>
        {draft.allEvents ? null : (
          <div className="event-grid">
            {EVENT_GROUPS.map((group) => (
              <div key={group.prefix}>
                <h3 className="event-group">{group.label}</h3>
                {EVENT_TYPES.filter((t) => t.startsWith(group.prefix)).map((type) => (
                  <Checkbox
                    key={type}
                    label={type}
                    checked={draft.events.includes(type)}
                    onChange={(checked) => set({ events: checked ? [...draft.events, type] : draft.events.filter((e) => e !== type) })}
                  />
                ))}
              </div>
            ))}
          </div>
        )}
      </fieldset>
      <TextField
        label="Tenant ID (optional)"
        value={draft.tenantId}
        onChange={(e) => set({ tenantId: e.target.value })}
        hint="Only this account's events. Leave empty to receive events of every account."
        error={fieldError?.field === 'tenantId' ? fieldError.message : undefined}
        autoComplete="off"
      />
    </>
  );
}
