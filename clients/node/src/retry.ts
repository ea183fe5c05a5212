/**
 * When to send a request again, and how long to wait first: exponential backoff with full jitter
 * (each wait is random between 0 and the exponential step), or the server's Retry-After when it sent one.
 */

/** Retry options of the client (`new Rollcall({ retry })`). */
export interface RetryOptions {
  /** Further attempts after the first one (default 4; 0 turns retries off). */
  maxRetries?: number;
  /** The first backoff step in milliseconds (default 250); each next step doubles it. */
  baseDelayMs?: number;
  /** The longest wait in milliseconds, for a backoff step and for a Retry-After (default 30 000). */
  maxDelayMs?: number;
}

/** Retry options with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** The policy for the options a caller gave. */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy = { maxRetries: 4, baseDelayMs: 250, maxDelayMs: 30_000, ...options };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`retry.${name} must be a number ≥ 0`);
  }
  return policy;
}

/**
 * Whether a request may be sent twice: a repeated GET, PUT or DELETE changes nothing more than the first,
 * and the token exchange only mints another token. Any other POST or PATCH could act twice.
 */
export function isRetryable(method: string, path: string): boolean {
  const m = method.toUpperCase();
  return m === 'GET' || m === 'HEAD' || m === 'PUT' || m === 'DELETE' || (m === 'POST' && path === '/auth/vendor');
}

/** Statuses that mean "try again later": rate limited, or unavailable for a moment. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** The wait before retry number `attempt` (0 for the first retry), without a Retry-After. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * step);
}

/**
 * A Retry-After header in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3), undefined when
 * absent or unreadable. A date in the past is 0.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
