/** One HTTP attempt of a webhook delivery: a signed POST with a hard timeout. */
import { rollcallSignatureHeader } from './verify.js';

/** What is sent. `body` is the exact JSON text that is signed. */
export interface OutgoingDelivery {
  url: string;
  secret: string;
  body: string;
  eventId: string;
  eventType: string;
  deliveryId: string;
  attempt: number;
}

/** How the attempt went: `ok` for a 2xx; otherwise the status (if any) and a short description. */
export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

/** How much of a response body is read: enough for an error message, never a whole download. */
const ERROR_SNIPPET_BYTES = 300;
const DRAIN_BYTES = 64 * 1024;

/** Reads at most `max` bytes of a response body, then lets the rest go. */
async function readPrefix(body: ReadableStream<Uint8Array> | null, max: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(parts).subarray(0, max).toString('utf8');
}

/** A network failure in a few words: the system error code when there is one (ECONNREFUSED, ECONNRESET…). */
function describeFailure(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `Timed out after ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause === 'object') {
    const parts = [cause.code, cause.message].filter((p): p is string => typeof p === 'string' && p !== '');
    if (parts.length > 0) return `Network error: ${[...new Set(parts)].join(': ')}`;
  }
  return `Network error: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * POSTs the event. Redirects are not followed (a 3xx is a failure, like any non-2xx): the signed
 * body goes only to the configured URL. The timeout covers connecting, the response and reading
 * what is read of its body.
 */
export async function sendDelivery(delivery: OutgoingDelivery, timeoutMs: number): Promise<SendResult> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(delivery.url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Rollcall-Webhooks/1',
        'rollcall-signature': rollcallSignatureHeader(delivery.secret, timestamp, delivery.body),
        'rollcall-event-id': delivery.eventId,
        'rollcall-event-type': delivery.eventType,
        'rollcall-delivery-id': delivery.deliveryId,
        'rollcall-delivery-attempt': String(delivery.attempt),
      },
      body: delivery.body,
    });
  } catch (error) {
    return { ok: false, statusCode: null, error: describeFailure(error, timeoutMs) };
  }
  const statusCode = response.status;
  if (statusCode >= 200 && statusCode < 300) {
    // The status is the answer; draining a little lets the connection be reused.
    await readPrefix(response.body, DRAIN_BYTES).catch(() => undefined);
    return { ok: true, statusCode, error: null };
  }
  const snippet = await readPrefix(response.body, ERROR_SNIPPET_BYTES).catch(() => '');
  const note = statusCode >= 300 && statusCode < 400 ? ' (redirects are not followed)' : '';
  // U+0000 (a binary answer) as U+FFFD: PostgreSQL text cannot hold it, and the attempt would not be recorded.
  const text = snippet.replace(/\s+/g, ' ').trim().replaceAll('\u0000', '\uFFFD');
  return { ok: false, statusCode, error: `HTTP ${statusCode}${note}${text ? `: ${text}` : ''}` };
}
