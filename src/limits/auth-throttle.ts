/**
 * Root hooks of the failed-authentication throttle: a throttled address is refused (429) before any
 * credential is looked up, and every 401 counts against the address that caused it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-errors.js';
import { bearerToken } from '../http/bearer.js';
import { SCIM_PREFIX } from '../http/error-handler.js';
import { ScimError } from '../scim/errors.js';
import { hashToken } from '../security/secrets.js';
import { throttleKey } from './address.js';
import type { FailureThrottle } from './failure-throttle.js';

/** Whether the request carried a credential that authenticated (SCIM, environment or user token). */
function authenticated(request: FastifyRequest): boolean {
  const r = request as FastifyRequest & { scim?: unknown; principal?: unknown; selfService?: unknown };
  return Boolean(r.scim || r.principal || r.selfService);
}

/**
 * Whether a 401 came from a credential that failed (a bearer token, a session cookie, a sign-in
 * body) rather than from asking without one: a signed-out browser asking "who am I?" on every page
 * load guesses nothing and must not use up its address's allowance.
 */
function presentedCredential(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined || request.method !== 'GET' || /(^|;)\s*rollcall_(session|portal)=/.test(request.headers.cookie ?? '');
}

function throttled(request: FastifyRequest, reply: FastifyReply, seconds: number): Error {
  const detail = `Too many failed authentication attempts from this address; retry after ${seconds} seconds`;
  void reply.header('retry-after', String(seconds));
  if (request.url.startsWith(SCIM_PREFIX)) return new ScimError(429, detail, undefined, { 'retry-after': String(seconds) });
  return new ApiError('rate_limited', detail);
}

/** Adds the throttle's hooks to the root instance; call before any route is registered. */
export function registerAuthThrottle(app: FastifyInstance, throttle: FailureThrottle): void {
  // Callback-style hooks, and nothing computed while no address has failed: this runs on every request.
  app.addHook('onRequest', (request, reply, done) => {
    if (throttle.idle) return done();
    const wait = throttle.blockedFor(throttleKey(request.ip));
    const token = wait > 0 ? bearerToken(request.headers.authorization) : undefined;
    if (wait === 0 || (token && throttle.isKnownGood(hashToken(token)))) return done();
    done(throttled(request, reply, wait));
  });
  app.addHook('onResponse', (request, reply, done) => {
    if (reply.statusCode === 401 && presentedCredential(request)) {
      throttle.recordFailure(throttleKey(request.ip));
    } else if (reply.statusCode < 400 && !throttle.idle && authenticated(request)) {
      // Remember credentials that work from an address that also fails, so they keep working once it is throttled.
      const token = bearerToken(request.headers.authorization);
      if (token && throttle.hasFailures(throttleKey(request.ip))) throttle.rememberGood(hashToken(token));
    }
    done();
  });
}
