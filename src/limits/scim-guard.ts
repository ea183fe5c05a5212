/**
 * What a SCIM request must pass once its token is known: the connection's IP allowlist (403), the
 * connection's request rate and its work budget (429 with Retry-After), and then the token's last
 * use is noted. The budget is charged for the request's queries as they run (src/db/query-time.ts)
 * and for its response's bytes when it ends.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimError, forbidden } from '../scim/errors.js';
import { allowedBy } from './ip-allowlist.js';
import type { RateLimit } from './shared-rate-limit.js';
import type { WorkBudgets } from './work-budget.js';

/**
 * What sending a response body costs the process besides its queries: rendering the JSON and writing
 * it out, about a millisecond per 16 KiB (a 100,000-member group's 23 MB took 1.4 s of the main
 * thread). Charged by the bytes the response wrote, streamed ones included.
 */
export const RESPONSE_BYTES_PER_MS = 16 * 1024;

/** What the guard needs. */
export interface ScimGuardOptions {
  /** The per-connection request rate, across processes (src/limits/shared-rate-limit.ts); undefined when SCIM_RATE_LIMIT is 0. */
  rate?: RateLimit;
  /** Per-connection work budgets and requests in flight; undefined when both limits are off. */
  work?: WorkBudgets;
  /** Records that a token was used (cheaply: see ConnectionTokenService.touch). */
  touch(tokenId: string): void;
}

function tooMany(detail: string, seconds: number): ScimError {
  return new ScimError(429, `${detail}; retry after ${seconds} seconds`, undefined, { 'retry-after': String(seconds) });
}

/** Admits the request against its connection's work budget, and settles it when the response ends. */
function admitWork(work: WorkBudgets, request: FastifyRequest, reply: FastifyReply, connectionId: string): void {
  const admission = work.admit(connectionId);
  if (!admission.ok) {
    throw admission.reason === 'in-flight'
      ? tooMany('Too many concurrent requests for this SCIM connection', admission.retryAfterSeconds)
      : tooMany("This SCIM connection's recent requests used up its share of the server's work", admission.retryAfterSeconds);
  }
  const socket = request.raw.socket;
  const bytesBefore = socket?.bytesWritten ?? 0;
  // 'close' follows both a finished response and a client that went away: the request is settled once.
  reply.raw.once('close', () => {
    const written = Math.max(0, (socket?.bytesWritten ?? 0) - bytesBefore);
    work.settle(connectionId, written / RESPONSE_BYTES_PER_MS);
  });
}

/** The onRequest hook the SCIM plugin runs right after authentication. */
export function scimGuard(options: ScimGuardOptions) {
  return async function scimAccessGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const scim = request.scim;
    if (!scim) return;
    if (!allowedBy(scim.ipAllowlist, request.ip)) {
      throw forbidden(`This SCIM connection accepts requests only from its IP allowlist, which does not include ${request.ip}`);
    }
    if (options.rate) {
      // Answered at once, unless this process must first take more tokens from the connection's shared bucket.
      const pending = options.rate.take(scim);
      const taken = pending instanceof Promise ? await pending : pending;
      if (!taken.ok) throw tooMany('Too many requests for this SCIM connection', taken.retryAfterSeconds);
    }
    if (options.work) admitWork(options.work, request, reply, scim.connectionId);
    options.touch(scim.tokenId);
  };
}
