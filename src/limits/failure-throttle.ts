/**
 * Failed authentications per client address: after `limit` failures within a window, the address
 * gets 429 until the window ends. In-process, like the SCIM rate limit.
 *
 * Several customers' IdPs may share one egress address (Okta, Entra ID): one of them retrying with a
 * revoked token must not lock out the others. So a credential that authenticated recently from a
 * throttled address still passes; only unknown credentials are refused.
 */

interface Window {
  start: number;
  failures: number;
}

/** Credentials (their SHA-256) remembered as good this long. */
const GOOD_TTL_MS = 60 * 60_000;

export class FailureThrottle {
  private readonly windows = new Map<string, Window>();
  /** SHA-256 of credentials that authenticated, and until when they count as good. */
  private readonly good = new Map<string, number>();
  /** When the last failure of any address was recorded (ms). */
  private lastFailure = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  private window(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && now - window.start >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  /** Whether no address failed within the last window: then the hooks skip all per-request work. */
  get idle(): boolean {
    if (this.windows.size === 0) return true;
    if (Date.now() - this.lastFailure < this.windowMs) return false;
    this.windows.clear();
    return true;
  }

  /** Seconds until `key` may try again; 0 when it is not throttled. */
  blockedFor(key: string, now = Date.now()): number {
    const window = this.window(key, now);
    if (!window || window.failures < this.limit) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  /** Whether `key` failed at all in the current window. */
  hasFailures(key: string, now = Date.now()): boolean {
    return this.window(key, now) !== undefined;
  }

  recordFailure(key: string, now = Date.now()): void {
    this.lastFailure = Math.max(this.lastFailure, now);
    const window = this.window(key, now);
    if (window) {
      window.failures++;
      return;
    }
    if (this.windows.size >= this.maxKeys) this.prune(this.windows, (w) => now - w.start >= this.windowMs);
    this.windows.set(key, { start: now, failures: 1 });
  }

  /** Remembers a credential (its hash) that just authenticated. */
  rememberGood(credentialHash: string, now = Date.now()): void {
    this.good.delete(credentialHash);
    if (this.good.size >= this.maxKeys) this.prune(this.good, (until) => until <= now);
    this.good.set(credentialHash, now + GOOD_TTL_MS);
  }

  isKnownGood(credentialHash: string, now = Date.now()): boolean {
    const until = this.good.get(credentialHash);
    return until !== undefined && until > now;
  }

  /** Drops expired entries; if that is not enough, the oldest half (Maps iterate in insertion order). */
  private prune<V>(map: Map<string, V>, expired: (value: V) => boolean): void {
    for (const [key, value] of map) if (expired(value)) map.delete(key);
    if (map.size < this.maxKeys) return;
    let n = Math.floor(map.size / 2);
    for (const key of map.keys()) {
      if (n-- <= 0) break;
      map.delete(key);
    }
  }
}
