/**
 * SCIM_RATE_LIMIT for the whole deployment, however many processes serve a connection. Each
 * connection has one token bucket in the database (migration 0015), and each process takes tokens
 * from it in chunks — one statement per chunk, not per request — and admits requests from what it
 * holds (src/limits/rate-lease.ts sizes the chunks and says when to take more).
 *
 * Why leases rather than splitting the rate between live processes (each registered with a
 * heartbeat, allowed rate ÷ processes): a load balancer does not spread one connection's requests
 * evenly, and an IdP's requests may all reach one process, which a split would hold to a fraction
 * of the rate. Leases follow the traffic: a process takes what it uses, wherever requests land.
 *
 * A request that finds no token waits for the take it starts (or the one under way), once per chunk;
 * under steady traffic the next chunk is taken before the last runs out, and no request waits. If
 * the database fails a take, or does not answer within `takeTimeoutMs`, the process logs it once and
 * limits each connection in this process alone (src/limits/token-bucket.ts), as if it were the only
 * one, trying the shared bucket again every `retryMs` until a take succeeds.
 */
import type { Db } from '../db/open.js';
import type { BucketOwner, BucketShape, RateBuckets } from '../db/rate-buckets.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { RateLease } from './rate-lease.js';
import { TokenBuckets, type Take } from './token-bucket.js';

/** A per-connection request limit. */
export interface RateLimit {
  /** Admits one request of `owner`'s connection, or says how long to wait; a promise only when it must wait for the database. */
  take(owner: BucketOwner): Take | Promise<Take>;
}

/** Where the limit reports that the shared buckets failed, and that they work again. */
export interface RateLimitLog {
  warn(message: string): void;
  info(message: string): void;
}

/** What the limit needs. */
export interface SharedRateLimitOptions extends BucketShape {
  db: Pick<Db, 'kysely' | 'dialect'>;
  log?: RateLimitLog;
  /** How long a request waits for a take before this process limits alone (default 1 s). */
  takeTimeoutMs?: number;
  /** While limiting alone, how often the shared bucket is tried again (default 5 s). */
  retryMs?: number;
  /** Connections remembered at most; idle ones are forgotten first. */
  maxConnections?: number;
}

interface Entry {
  owner: BucketOwner;
  lease: RateLease;
  /** The take under way (its number), if any; one that did not answer in time no longer counts. */
  taking: number | undefined;
  /** Requests waiting for it, in arrival order. */
  waiting: Array<(take: Take) => void>;
}

const ALLOWED: Take = { ok: true };

export class SharedRateLimit implements RateLimit {
  private readonly entries = new Map<string, Entry>();
  /** Each connection's bucket in this process alone, while the shared buckets cannot be reached. */
  private readonly local: TokenBuckets;
  private readonly kysely: Kysely<Database>;
  private readonly buckets: RateBuckets;
  private readonly shape: BucketShape;
  private readonly log: RateLimitLog;
  private readonly takeTimeoutMs: number;
  private readonly retryMs: number;
  private readonly maxConnections: number;
  /** Set when a take failed; cleared by the next that succeeds in time. */
  private alone = false;
  /** While alone, when the shared bucket may be tried again. */
  private retryAt = 0;
  private takes = 0;
  private closed = false;

  constructor(options: SharedRateLimitOptions) {
    this.shape = { ratePerSecond: options.ratePerSecond, burst: options.burst };
    this.local = new TokenBuckets(options.ratePerSecond, options.burst);
    this.kysely = options.db.kysely;
    this.buckets = options.db.dialect.rateBuckets;
    this.log = options.log ?? { warn: () => {}, info: () => {} };
    this.takeTimeoutMs = options.takeTimeoutMs ?? 1000;
    this.retryMs = options.retryMs ?? 5000;
    this.maxConnections = options.maxConnections ?? 100_000;
  }

  /** True while the shared buckets failed and each connection is limited in this process alone. */
  get limitingAlone(): boolean {
    return this.alone;
  }

  take(owner: BucketOwner, now = Date.now()): Take | Promise<Take> {
    if (this.alone || this.closed) return this.takeAlone(owner, now);
    const entry = this.entry(owner, now);
    entry.lease.arrive(now);
    if (entry.lease.use()) {
      if (entry.taking === undefined && entry.lease.wantsMore(now)) this.takeShared(entry);
      return ALLOWED;
    }
    const wait = entry.lease.refusal(now);
    if (wait !== undefined) return { ok: false, retryAfterSeconds: wait };
    // More requests than the whole bucket holds cannot all be admitted by the next take.
    if (entry.waiting.length >= this.shape.burst) return { ok: false, retryAfterSeconds: 1 };
    const admitted = new Promise<Take>((resolve) => entry.waiting.push(resolve));
    if (entry.taking === undefined) this.takeShared(entry);
    return admitted;
  }

  /** Stops taking from the shared buckets (the database is about to close); requests are limited in this process. */
  close(): void {
    this.closed = true;
  }

  /** Limits in this process alone; now and then, tries the shared bucket again with this connection's take. */
  private takeAlone(owner: BucketOwner, now: number): Take {
    if (!this.closed && now >= this.retryAt) {
      this.retryAt = now + this.retryMs;
      const entry = this.entry(owner, now);
      entry.lease.arrive(now);
      if (entry.taking === undefined) this.takeShared(entry);
    }
    return this.local.take(owner.connectionId, now);
  }

  /** Takes a chunk for `entry` (and the requests waiting on it) from its shared bucket. */
  private takeShared(entry: Entry): void {
    const want = entry.lease.want(entry.waiting.length);
    const id = ++this.takes;
    entry.taking = id;
    const timer = setTimeout(() => {
      entry.taking = undefined;
      this.failed(`no answer within ${this.takeTimeoutMs} ms`);
      this.admitAlone(entry);
    }, this.takeTimeoutMs);
    timer.unref();
    this.buckets.take(this.kysely, entry.owner, want, this.shape).then(
      (taken) => {
        clearTimeout(timer);
        const late = entry.taking !== id;
        if (!late) entry.taking = undefined;
        // An answer that came too late for its requests (they were answered alone) still brings tokens:
        // the process keeps a chunk of them, as it would have after serving those requests.
        if (taken !== undefined) entry.lease.took(want, taken, Date.now(), late ? entry.lease.chunk() : Infinity);
        if (late) return;
        if (this.alone) this.recovered();
        // The connection is gone (its requests are refused from now on): nothing shared to limit by.
        if (taken === undefined) this.admitAlone(entry);
        else this.admitWaiting(entry);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (entry.taking !== id) return;
        entry.taking = undefined;
        this.failed((error as Error | undefined)?.message ?? String(error));
        this.admitAlone(entry);
      },
    );
  }

  /** After a take: admits the waiting requests the lease covers; refuses the rest if the bucket was empty, else takes again. */
  private admitWaiting(entry: Entry): void {
    while (entry.waiting.length > 0 && entry.lease.use()) entry.waiting.shift()!(ALLOWED);
    if (entry.waiting.length === 0) return;
    const wait = entry.lease.refusal(Date.now());
    if (wait !== undefined) {
      for (const resolve of entry.waiting.splice(0)) resolve({ ok: false, retryAfterSeconds: wait });
      return;
    }
    // They arrived while the take was under way, after it had asked for its number.
    if (this.alone || this.closed) this.admitAlone(entry);
    else this.takeShared(entry);
  }

  /** Answers the waiting requests from this process's own bucket of the connection. */
  private admitAlone(entry: Entry): void {
    for (const resolve of entry.waiting.splice(0)) resolve(this.local.take(entry.owner.connectionId));
  }

  private failed(reason: string): void {
    this.retryAt = Date.now() + this.retryMs;
    if (this.alone || this.closed) return;
    this.alone = true;
    this.log.warn(`SCIM rate limit: the shared buckets in the database failed (${reason}); until they answer, each process limits every connection to SCIM_RATE_LIMIT by itself`);
  }

  private recovered(): void {
    this.alone = false;
    this.log.info('SCIM rate limit: the shared buckets in the database answer again; SCIM_RATE_LIMIT holds across processes');
  }

  /** `owner`'s entry, made on first use; past maxConnections, idle entries are forgotten first. */
  private entry(owner: BucketOwner, now: number): Entry {
    let entry = this.entries.get(owner.connectionId);
    if (entry === undefined) {
      if (this.entries.size >= this.maxConnections) this.forget(now);
      entry = { owner: { tenantId: owner.tenantId, connectionId: owner.connectionId }, lease: new RateLease(this.shape), taking: undefined, waiting: [] };
      this.entries.set(owner.connectionId, entry);
    } else if (entry.owner.tenantId !== owner.tenantId) {
      entry.owner = { tenantId: owner.tenantId, connectionId: owner.connectionId };
    }
    return entry;
  }

  /** Drops idle entries; if none is idle, the older half of those with no take under way. */
  private forget(now: number): void {
    const quiet = [...this.entries].filter(([, entry]) => entry.taking === undefined && entry.waiting.length === 0);
    for (const [key, entry] of quiet) if (entry.lease.idle(now)) this.entries.delete(key);
    if (this.entries.size < this.maxConnections) return;
    for (const [key] of quiet.slice(0, Math.ceil(quiet.length / 2))) this.entries.delete(key);
  }
}
