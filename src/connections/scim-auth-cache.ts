/**
 * Resolved SCIM tokens, kept in the process: the token → connection lookup was one of a lookup's
 * four queries on PostgreSQL. Anything that changes what a token opens — a revocation, a connection
 * deleted or updated, an IP allowlist, a tenant deleted — empties the cache: in the process that made
 * the change at once, and in every other process before its next request, because the change moves a
 * version in the database that each process watches (migration 0014, src/db/scim-access-watch.ts).
 * While a process cannot watch (its PostgreSQL listening connection is down), it neither reads nor
 * fills the cache (src/connections/service.ts).
 */

/** An entry is looked up again after this long anyway: only a bound on what an idle token keeps in memory. */
export const SCIM_AUTH_TTL_MS = 60_000;
/** Entries kept at most; the oldest go first. */
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  tokenHash: string;
  /** The token's own expiry (ISO), or null. */
  expiresAt: string | null;
  /** When this entry stops being trusted (ms). */
  until: number;
}

/** Token resolutions of one process, keyed by connection and token hash. */
export class ScimAuthCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Bumped by every change: a lookup that began before one must not store what it read. */
  private generation = 0;

  constructor(private readonly ttlMs = SCIM_AUTH_TTL_MS) {}

  /** The current generation, to pass back to `set` after the database lookup. */
  begin(): number {
    return this.generation;
  }

  /** The cached resolution, if still fresh and the token not expired at `now` (ISO). */
  get(connectionId: string, tokenHash: string, nowMs: number, now: string): { value: T; tokenHash: string } | undefined {
    const key = `${connectionId}:${tokenHash}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= nowMs || (entry.expiresAt !== null && entry.expiresAt <= now)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Stores a resolution read from the database, unless something changed since `generation`. */
  set(generation: number, connectionId: string, tokenHash: string, expiresAt: string | null, value: T, nowMs: number): void {
    if (generation !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(`${connectionId}:${tokenHash}`, { value, tokenHash, expiresAt, until: nowMs + this.ttlMs });
  }

  /** Forgets every resolution: call after any change to connections, their tokens, allowlists or tenants. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
