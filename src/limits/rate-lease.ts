/**
 * What one process holds of one SCIM connection's shared token bucket (src/db/rate-buckets.ts), and
 * when it takes more: the arithmetic of src/limits/shared-rate-limit.ts, with the clock passed in
 * and no database, so that it can be tested alone.
 *
 * A process takes tokens in chunks sized to the requests it has seen lately, about HORIZON_MS of
 * them, and never more than HORIZON_MS of the connection's rate: a connection whose traffic all
 * lands on one process is served from one chunk after another, and gets the full rate; when its
 * traffic is spread, each process takes a share the size of its own traffic. What a process holds
 * and has not used is what the deployment may admit beyond one bucket's rate — at most HORIZON_MS of
 * the rate per process — and it is dropped when the connection sends the process nothing for LEASE_TTL_MS.
 *
 * A take that gets less than it asked for found the bucket empty. The process then refuses the
 * connection's requests without asking the database again until a chunk could have refilled (never
 * longer than the bucket takes to fill half way, so that no refill is lost to a full bucket): at
 * saturation each process takes what accrued about every HORIZON_MS, which adds up to the rate.
 */
import type { BucketShape, BucketTake } from '../db/rate-buckets.js';

/** How far ahead of its requests a process takes tokens, and the most of the rate one chunk holds. */
export const HORIZON_MS = 500;
/** Tokens are dropped when no request of the connection reached the process for this long. */
export const LEASE_TTL_MS = 2000;
/** The smallest chunk when the rate allows it, so that a quiet connection does not cost a take per request. */
export const MIN_CHUNK = 4;
/** Over how long the rate of requests arriving is averaged (exponentially). */
const DEMAND_WINDOW_MS = 1000;

/** One process's lease on one connection's shared bucket. */
export class RateLease {
  /** Whole tokens taken and not yet used. */
  private tokens = 0;
  /** Requests per second arriving at this process, averaged over about DEMAND_WINDOW_MS. */
  private demand = 0;
  private seenAt: number | undefined;
  /** Before this time the bucket is known to hold less than a chunk: nothing is asked of it, requests are refused. */
  private emptyUntil = 0;
  /** The most one chunk holds: HORIZON_MS of the rate, within the burst. */
  private readonly maxChunk: number;

  constructor(private readonly shape: BucketShape) {
    this.maxChunk = Math.max(1, Math.min(shape.burst, Math.ceil((shape.ratePerSecond * HORIZON_MS) / 1000)));
  }

  /** Notes a request arriving at `now`; after LEASE_TTL_MS without one, what was held is dropped first. */
  arrive(now: number): void {
    const elapsed = this.seenAt === undefined ? Infinity : Math.max(0, now - this.seenAt);
    if (elapsed > LEASE_TTL_MS) this.tokens = 0;
    this.demand = this.demand * Math.exp(-elapsed / DEMAND_WINDOW_MS) + 1000 / DEMAND_WINDOW_MS;
    this.seenAt = now;
  }

  /** Uses one held token, if there is one. */
  use(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** While the bucket is known to be empty: the seconds a refused request should wait (RFC 9110 §10.2.3, never 0). */
  refusal(now: number): number | undefined {
    if (now >= this.emptyUntil) return undefined;
    return Math.max(1, Math.ceil((this.emptyUntil - now) / 1000));
  }

  /** Whether to take more before this process runs out: below half a chunk, unless the bucket is known to be empty. */
  wantsMore(now: number): boolean {
    return this.tokens < this.chunk() / 2 && now >= this.emptyUntil;
  }

  /** How many tokens to ask for with `waiting` requests queued for them: those, and the chunk to hold. */
  want(waiting: number): number {
    return Math.max(1, waiting + this.chunk() - this.tokens);
  }

  /** Adds what a take of `want` got, answered at `now`, keeping no more than `keep` tokens. */
  took(want: number, take: BucketTake, now: number, keep = Infinity): void {
    this.tokens = Math.min(keep, this.tokens + take.granted);
    if (take.granted >= want) {
      this.emptyUntil = 0;
      return;
    }
    // Short: the bucket holds `remaining` < 1. Ask again once `need` tokens could have accrued.
    const need = Math.max(1, Math.min(this.chunk(), Math.floor(this.shape.burst / 2)));
    this.emptyUntil = now + (Math.max(0, need - take.remaining) / this.shape.ratePerSecond) * 1000;
  }

  /** Tokens one take asks for beyond the requests waiting: the recent rate over HORIZON_MS, within [MIN_CHUNK, maxChunk]. */
  chunk(): number {
    const wanted = Math.ceil((this.demand * HORIZON_MS) / 1000);
    return Math.min(this.maxChunk, Math.max(MIN_CHUNK, wanted));
  }

  /** True when nothing arrived for LEASE_TTL_MS: what it holds would be dropped, and it may be forgotten. */
  idle(now: number): boolean {
    return this.seenAt === undefined || now - this.seenAt > LEASE_TTL_MS;
  }

  /** Whole tokens held, for tests and diagnostics. */
  get held(): number {
    return this.tokens;
  }
}
