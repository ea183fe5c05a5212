/**
 * In-process token buckets, one per key (a SCIM connection). They limit a connection in one process
 * only: the SCIM rate limit uses them while the shared buckets in the database cannot be reached
 * (src/limits/shared-rate-limit.ts).
 */

/** The outcome of taking one token: allowed, or how long until the next token. */
export type Take = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
}

/** Buckets that refill at `ratePerSecond` up to `burst` tokens. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    /** Beyond this many keys, full (idle) buckets are forgotten: they would be full again anyway. */
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token from `key`'s bucket. */
  take(key: string, now = Date.now()): Take {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.forgetFull(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    // RFC 9110 §10.2.3: Retry-After in whole seconds; never 0, so a client does wait.
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond)) };
  }

  /** Drops buckets that have refilled completely; if none has, the oldest half. */
  private forgetFull(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond >= this.burst) this.buckets.delete(key);
    }
    if (this.buckets.size < this.maxKeys) return;
    let n = Math.floor(this.buckets.size / 2);
    for (const key of this.buckets.keys()) {
      if (n-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}
