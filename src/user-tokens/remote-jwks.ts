/**
 * The vendor's keys from a JWKS served over HTTP(S) (VENDOR_JWT_JWKS_URL), as identity providers publish
 * them (Auth0, Clerk, Cognito: `…/.well-known/jwks.json`). jose's createRemoteJWKSet fetches and caches
 * the set: on first use, again once it is older than CACHE_MAX_AGE_MS, and again when a token names a
 * key the set lacks — at most once per COOLDOWN_MS, so tokens with made-up `kid`s cannot make Rollcall
 * hammer the provider. Rollcall picks the key itself (keys.ts `jwkKey`): each JWK verifies the one
 * algorithm it states, or the one its kty/crv allow, never one the token asks for; symmetric (`oct`)
 * keys, which anyone who can read the set could sign with, are never used. A fetch is bounded in time
 * (FETCH_TIMEOUT_MS, the body included) and size (MAX_JWKS_BYTES): past either it has failed.
 */
import { createRemoteJWKSet, customFetch } from 'jose';
import { fetchWithBodyLimit } from './bounded-fetch.js';
import { keysFor, type VerificationKey } from './jwt.js';
import { usableJwksKeys } from './keys.js';

/** How long one fetch of the set may take, from the request to the body's last byte. */
export const FETCH_TIMEOUT_MS = 5_000;
/** The largest JWKS body read; a provider's set of a few keys is a few KiB. */
export const MAX_JWKS_BYTES = 256 * 1024;
/** After a successful fetch, a token naming a key the set lacks triggers no new fetch for this long. */
export const COOLDOWN_MS = 30_000;
/** A set older than this is fetched again before its keys are used. */
export const CACHE_MAX_AGE_MS = 600_000;
/** After a failed fetch, tokens that need the set are refused without fetching for this long. */
export const RETRY_AFTER_FAILURE_MS = 5_000;

/** The set could not be fetched or read: tokens that need it are refused (401), never answered with a 500. */
export class JwksUnavailable extends Error {
  override name = 'JwksUnavailable';
}

/** The error of a failed fetch in one line: fetch's own message hides the reason in `cause`. */
function describe(error: unknown): string {
  const { message, cause } = error as { message?: string; cause?: { code?: string; message?: string } };
  const why = cause?.code ?? cause?.message;
  return why ? `${message ?? String(error)} (${why})` : (message ?? String(error));
}

/** A remote JWKS and the keys Rollcall uses from it. */
export class RemoteJwks {
  /** Scheme, host and path of the URL, for messages (a query may carry a secret). */
  readonly where: string;
  private readonly set: ReturnType<typeof createRemoteJWKSet>;
  private keys: readonly VerificationKey[] = [];
  private failedAt = -Infinity;
  private failing = false;
  private warn: (message: string) => void = () => {};

  /** `limits` default to FETCH_TIMEOUT_MS and MAX_JWKS_BYTES. */
  constructor(url: string, limits: { timeoutMs?: number; maxBytes?: number } = {}) {
    const parsed = new URL(url);
    this.where = `${parsed.origin}${parsed.pathname}`;
    const maxBytes = limits.maxBytes ?? MAX_JWKS_BYTES;
    this.set = createRemoteJWKSet(parsed, {
      timeoutDuration: limits.timeoutMs ?? FETCH_TIMEOUT_MS,
      cooldownDuration: COOLDOWN_MS,
      cacheMaxAge: CACHE_MAX_AGE_MS,
      [customFetch]: (href, init) => fetchWithBodyLimit(href, init, maxBytes),
    });
  }

  /** Where to report that the set cannot be fetched (a warning, once per episode) and that it can again. */
  reportTo(warn: (message: string) => void): void {
    this.warn = warn;
  }

  /**
   * The keys to try for a token with this header: those of the set for its `alg` and `kid`, the set
   * fetched first when it is missing or stale, and again when none matches and the cooldown allows.
   * Throws JwksUnavailable when a fetch that was needed fails.
   */
  async keysFor(header: Record<string, unknown>): Promise<VerificationKey[]> {
    if (!this.set.fresh) await this.load();
    const keys = keysFor(header, this.keys);
    if (keys.length > 0 || this.set.coolingDown) return keys;
    await this.load();
    return keysFor(header, this.keys);
  }

  private async load(): Promise<void> {
    if (Date.now() < this.failedAt + RETRY_AFTER_FAILURE_MS) throw new JwksUnavailable(`the vendor's JWKS (${this.where}) could not be fetched a moment ago`);
    try {
      // Concurrent callers share one fetch (jose).
      await this.set.reload();
    } catch (error) {
      this.failedAt = Date.now();
      const message = `the vendor's JWKS (${this.where}) could not be fetched: ${describe(error)}`;
      if (!this.failing) this.warn(`${message}; vendor-signed user tokens are refused until it can`);
      this.failing = true;
      throw new JwksUnavailable(message);
    }
    this.keys = usableJwksKeys(this.set.jwks());
    if (this.failing) this.warn(`the vendor's JWKS (${this.where}) was fetched again`);
    this.failing = false;
    if (this.keys.length === 0) this.warn(`the vendor's JWKS (${this.where}) has no key Rollcall can use (RSA of 2048 bits or more, or EC P-256, for signing)`);
  }
}
