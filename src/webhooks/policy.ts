/** The numbers of webhook delivery: timeout, claim lease, retry schedule, auto-disable rule. */

/** One delivery attempt (connect, send, read the status line and a little of the body) must end within this. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * How long a claimed delivery stays reserved for the process that claimed it. Longer than the timeout
 * plus the time to record the outcome, so a live process always finishes first; after a crash the lease
 * simply expires and another pass retries the delivery: it is late, never lost.
 */
export const CLAIM_LEASE_MS = 30_000;

/** Deliveries claimed (and sent concurrently) per pass of the delivery job. */
export const DELIVERY_BATCH = 20;

/** Events turned into deliveries per webhook per pass of the dispatch job. */
export const DISPATCH_BATCH = 200;

/** Webhooks visited per pass of the dispatch job. */
export const DISPATCH_WEBHOOKS_PER_PASS = 50;

const FIRST_RETRY_MS = 15_000;
const MAX_RETRY_MS = 2 * 3_600_000;
/** Each delay is its nominal value times a random factor in [1 - JITTER, 1 + JITTER]. */
const JITTER = 0.2;

/**
 * Attempts before a delivery is marked failed. With delays of 15 s, 30 s, 1 min … doubling up to a
 * 2 h cap, the 23 waits between 24 attempts add up to about 30 h, and never less than 24 h even when
 * jitter shortens every one (see `minimumRetrySpanMs`).
 */
export const MAX_ATTEMPTS = 24;

/** The nominal wait after the `failedAttempts`-th failed attempt (1-based), before jitter. */
export function nominalRetryDelayMs(failedAttempts: number): number {
  const exponent = Math.min(Math.max(failedAttempts, 1) - 1, 30);
  return Math.min(FIRST_RETRY_MS * 2 ** exponent, MAX_RETRY_MS);
}

/** The wait after the `failedAttempts`-th failed attempt: exponential, capped, with jitter so a recovering endpoint is not hit by every retry at once. */
export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const factor = 1 - JITTER + 2 * JITTER * random();
  return Math.round(nominalRetryDelayMs(failedAttempts) * factor);
}

/** The shortest possible time between the first and the last attempt: the "at least 24 h" guarantee. */
export function minimumRetrySpanMs(): number {
  let total = 0;
  for (let failed = 1; failed < MAX_ATTEMPTS; failed++) total += nominalRetryDelayMs(failed) * (1 - JITTER);
  return total;
}

/**
 * Auto-disable: a webhook is disabled when its endpoint has failed this many attempts in a row
 * (across all its deliveries) and the first of those failures is older than DISABLE_AFTER_MS.
 * Both must hold, so neither a burst of failures during a short outage nor one slow trickle of
 * retries disables an endpoint. Any 2xx resets the run.
 */
export const DISABLE_AFTER_FAILURES = 50;
export const DISABLE_AFTER_MS = 24 * 3_600_000;

/** Stored error messages are cut to this many characters. */
export const MAX_ERROR_LENGTH = 500;

/** Cuts a stored error message to MAX_ERROR_LENGTH characters. */
export function truncateError(message: string): string {
  return message.length <= MAX_ERROR_LENGTH ? message : `${message.slice(0, MAX_ERROR_LENGTH - 1)}…`;
}
