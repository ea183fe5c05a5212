/**
 * Hooks of the failed-authentication throttle. It throttles what fails, not who shares an address:
 * many customers' IdPs call from the same Okta or Entra ID egress addresses, so a credential that
 * authenticates is never refused because of someone else's failures.
 *
 * - Every 401 to a request that presented a credential counts against its client address and, when
 *   the request names one, against its target: the SCIM connection of the URL, or the clientId of a
 *   vendor sign-in (and that address and clientId together).
 * - Once the address or the target is over its limit, a credential that fails gets 429 with
 *   Retry-After instead of 401. The credential is checked first: bearer tokens (SCIM, environment,
 *   user tokens) and session cookies are 256-bit random values or signatures, so checking them tells a
 *   guesser nothing, and a valid one passes as usual.
 * - A vendor secret may have been chosen by a person, so guessing it is refused before the check
 *   (`config.vendorSignIn` routes: POST /auth/vendor, POST /ui/session): 429 while that address and
 *   clientId together are over the limit, or while the clientId or the address is, unless that address
 *   signed in as that clientId within the last day.
 *
 * Routes that never answer 401 (/healthz, /readyz, /docs, the web UI's files) are never throttled, and
 * a request that fails nothing costs one status comparison.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, onResponseHookHandler, preHandlerHookHandler } from 'fastify';
import { ApiError } from '../http/api-errors.js';
import { SCIM_PREFIX } from '../http/error-handler.js';
import { ScimError } from '../scim/errors.js';
import { throttleKey } from './address.js';
import type { FailureThrottle } from './failure-throttle.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route checks the vendor secret of `body.clientId` (a secret a person may have chosen):
     * guessing it is refused before the check (src/limits/auth-throttle.ts).
     */
    vendorSignIn?: boolean;
  }
}

/**
 * Whether a 401 came from a credential that failed (a bearer token, a session cookie, a sign-in
 * body) rather than from asking without one: a signed-out browser asking "who am I?" on every page
 * load guesses nothing and must not use up its address's allowance.
 */
function presentedCredential(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined || request.method !== 'GET' || /(^|;)\s*rollcall_(session|portal)=/.test(request.headers.cookie ?? '');
}

/** What a request tried to authenticate against, when it names it: a SCIM connection, or a vendor clientId. */
function targetOf(request: FastifyRequest): string | undefined {
  if (request.routeOptions.config?.vendorSignIn) {
    const clientId = (request.body as { clientId?: unknown } | undefined)?.clientId;
    return typeof clientId === 'string' ? `vendor:${clientId}` : undefined;
  }
  if (!request.url.startsWith(SCIM_PREFIX)) return undefined;
  const connectionId = (request.params as { connectionId?: unknown } | undefined)?.connectionId;
  return typeof connectionId === 'string' ? `scim:${connectionId.slice(0, 64)}` : undefined;
}

/** The keys a failure of this request counts under. */
function keysOf(request: FastifyRequest): { address: string; target?: string; pair?: string } {
  const ip = throttleKey(request.ip);
  const target = targetOf(request);
  return { address: `address:${ip}`, ...(target ? { target: `target:${target}`, pair: `pair:${ip} ${target}` } : {}) };
}

function detail(seconds: number): string {
  return `Too many failed authentication attempts; retry after ${seconds} seconds`;
}

/** Adds the throttle's hooks to the root instance; call before any route is registered. */
export function registerAuthThrottle(app: FastifyInstance, throttle: FailureThrottle): void {
  const waitFor = (keys: ReturnType<typeof keysOf>) => Math.max(...Object.values(keys).map((key) => throttle.blockedFor(key)));

  // Guessing a vendor secret is refused before the check; a vendor that signed in from here before is not.
  const refuseGuessing: preHandlerHookHandler = (request, reply, done) => {
    if (throttle.idle) return done();
    const keys = keysOf(request);
    if (!keys.pair || !keys.target) return done();
    let wait = throttle.blockedFor(keys.pair);
    if (wait === 0 && !throttle.isKnownGood(keys.pair)) wait = Math.max(throttle.blockedFor(keys.target), throttle.blockedFor(keys.address));
    if (wait === 0) return done();
    void reply.header('retry-after', String(wait));
    done(new ApiError('rate_limited', detail(wait)));
  };
  // Remembered whether or not anything is failing now: the vendor must be known before an attack starts.
  const rememberSignIn: onResponseHookHandler = (request, reply, done) => {
    if (reply.statusCode === 200) {
      const { pair } = keysOf(request);
      if (pair) throttle.rememberGood(pair);
    }
    done();
  };
  app.addHook('onRoute', (route) => {
    if (!route.config?.vendorSignIn) return;
    route.preHandler = [...[route.preHandler ?? []].flat(), refuseGuessing];
    route.onResponse = [...[route.onResponse ?? []].flat(), rememberSignIn];
  });

  // A failed credential is counted; past the limit its 401 becomes a 429 (same body shape, Retry-After).
  app.addHook('onSend', (request, reply: FastifyReply, payload, done) => {
    if (reply.statusCode !== 401 || !presentedCredential(request)) return done(null, payload);
    const keys = keysOf(request);
    const wait = waitFor(keys);
    for (const key of Object.values(keys)) throttle.recordFailure(key);
    if (wait === 0) return done(null, payload);
    void reply.code(429).header('retry-after', String(wait)).removeHeader('www-authenticate');
    const body = request.url.startsWith(SCIM_PREFIX) ? new ScimError(429, detail(wait)).toBody() : new ApiError('rate_limited', detail(wait)).toBody();
    done(null, JSON.stringify(body));
  });
}
