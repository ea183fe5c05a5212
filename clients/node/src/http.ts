/**
 * Sends one logical request: each attempt with its own timeout, retried on 429, 503 and network failures
 * when the request is safe to repeat, and a non-2xx answer turned into a typed error.
 */
import { RollcallConnectionError, errorFromAnswer, type RollcallError } from './errors.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter, sleep, type RetryPolicy } from './retry.js';

/** One request as the transport sends it. */
export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A JSON value, sent with content-type application/json. */
  body?: unknown;
  /** Whether a failed attempt may be sent again (see isRetryable). */
  retryable: boolean;
  signal?: AbortSignal;
}

/** How the transport behaves. */
export interface HttpOptions {
  fetch: typeof fetch;
  retry: RetryPolicy;
  /** Time allowed for one attempt, answer body included. */
  timeoutMs: number;
}

/** The outcome of one attempt: a parsed 2xx body, or the error and how long the server asked to wait. */
type Attempt = { ok: true; body: unknown } | { ok: false; error: RollcallError; retry: boolean; retryAfterMs?: number };

/** Sends requests through `fetch` with the retry policy. */
export class Http {
  constructor(private readonly options: HttpOptions) {}

  /** The parsed JSON body of the 2xx answer (undefined when empty); throws a RollcallError otherwise. */
  async send(request: HttpRequest): Promise<unknown> {
    const { retry } = this.options;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(request);
      if (outcome.ok) return outcome.body;
      if (!request.retryable || !outcome.retry || attempt >= retry.maxRetries) throw outcome.error;
      const wait = outcome.retryAfterMs === undefined ? backoffDelay(attempt, retry) : Math.min(outcome.retryAfterMs, retry.maxDelayMs);
      await sleep(wait, request.signal);
    }
  }

  private async attempt(request: HttpRequest): Promise<Attempt> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    let text: string;
    try {
      response = await this.options.fetch(request.url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      // The caller's abort is not a failure to retry or to wrap: it ends the call as the caller asked.
      if (request.signal?.aborted) throw request.signal.reason;
      const reason = timeout.aborted ? `timed out after ${this.options.timeoutMs} ms` : networkReason(error);
      return { ok: false, error: new RollcallConnectionError(`${request.method} ${new URL(request.url).pathname} got no answer: ${reason}`, error), retry: true };
    }
    const body = parseBody(text);
    if (response.ok) return { ok: true, body };
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const requestId = response.headers.get('x-request-id') ?? undefined;
    return { ok: false, error: errorFromAnswer(response.status, body, requestId, retryAfterMs), retry: isRetryableStatus(response.status), retryAfterMs };
  }
}

/** JSON when the text is JSON, the text itself otherwise (an error page), undefined when empty. */
function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A network error's message with its cause's code (`ECONNREFUSED`, `ECONNRESET`…) when fetch gives one. */
function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
  return code ? `${error.message} (${code})` : error.message;
}
