/**
 * Failed authentications counted per key, in fixed windows: after `limit` failures of a key within
 * its window, the key is over its limit until the window ends. A key is a client address, the target
 * a credential was tried against (a SCIM connection, a vendor clientId), or the two together; what
 * being over the limit means is decided by the hooks (./auth-throttle.ts). In-process, like the SCIM
 * rate limit.
 *
 * Also remembers which keys recently authenticated (an address and clientId that signed in together),
 * so that a vendor signing in from where it always does is not refused while its clientId is guessed at.
 */

interface Window {
  start: number;
  failures: number;
}

/** How long a successful sign-in is remembered: a day covers a backend that exchanges its credential hourly. */
export const GOOD_TTL_MS = 24 * 60 * 60_000;

export class FailureThrottle {
  private readonly windows = new Map<string, Window>();
  /** Keys that authenticated, and until when they count as good (ms). */
  private readonly good = new Map<string, number>();
  /** When the last failure of any key was recorded (ms). */
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

  /** Whether nothing failed within the last window: then no key is over its limit, and the hooks skip their work. */
  get idle(): boolean {
    if (this.windows.size === 0) return true;
    if (Date.now() - this.lastFailure < this.windowMs) return false;
    this.windows.clear();
    return true;
  }

  /** Seconds until `key` is under its limit again; 0 when it is now. */
  blockedFor(key: string, now = Date.now()): number {
    const window = this.window(key, now);
    if (!window || window.failures < this.limit) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
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

  /** Remembers that `key` just authenticated. */
  rememberGood(key: string, now = Date.now()): void {
    this.good.delete(key);
    if (this.good.size >= this.maxKeys) this.prune(this.good, (until) => until <= now);
    this.good.set(key, now + GOOD_TTL_MS);
  }

  /** Whether `key` authenticated within GOOD_TTL_MS. */
  isKnownGood(key: string, now = Date.now()): boolean {
    const until = this.good.get(key);
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
