/**
 * What a SCIM request must pass once its token is known: the connection's IP allowlist (403),
 * the connection's rate limit (429 with Retry-After), and then the token's last use is noted.
 */
import type { FastifyRequest } from 'fastify';
import { ScimError, forbidden } from '../scim/errors.js';
import { allowedBy } from './ip-allowlist.js';
import type { TokenBuckets } from './token-bucket.js';

/** What the guard needs. */
export interface ScimGuardOptions {
  /** Per-connection buckets; undefined when SCIM_RATE_LIMIT is 0. */
  rate?: TokenBuckets;
  /** Records that a token was used (cheaply: see ConnectionTokenService.touch). */
  touch(tokenId: string): void;
}

/** The onRequest hook the SCIM plugin runs right after authentication. */
export function scimGuard(options: ScimGuardOptions) {
  return async function scimAccessGuard(request: FastifyRequest): Promise<void> {
    const scim = request.scim;
    if (!scim) return;
    if (!allowedBy(scim.ipAllowlist, request.ip)) {
      throw forbidden(`This SCIM connection accepts requests only from its IP allowlist, which does not include ${request.ip}`);
    }
    if (options.rate) {
      const taken = options.rate.take(scim.connectionId);
      if (!taken.ok) {
        const seconds = String(taken.retryAfterSeconds);
        throw new ScimError(429, `Too many requests for this SCIM connection; retry after ${seconds} seconds`, undefined, { 'retry-after': seconds });
      }
    }
    options.touch(scim.tokenId);
  };
}
