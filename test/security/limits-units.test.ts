/** The building blocks of the abuse limits, and the configuration that sets them. */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { unauthorized } from '../../src/http/api-errors.js';
import { bearerToken } from '../../src/http/bearer.js';
import { errorHandler } from '../../src/http/error-handler.js';
import { normalizeAddress, throttleKey } from '../../src/limits/address.js';
import { registerAuthThrottle } from '../../src/limits/auth-throttle.js';
import { FailureThrottle, GOOD_TTL_MS } from '../../src/limits/failure-throttle.js';
import { allowedBy, parseAllowlist } from '../../src/limits/ip-allowlist.js';
import { TokenBuckets } from '../../src/limits/token-bucket.js';

describe('token buckets', () => {
  it('allow a burst, then the rate, with Retry-After in whole seconds', () => {
    const buckets = new TokenBuckets(2, 4);
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i++) expect(buckets.take('c', t0).ok).toBe(true);
    expect(buckets.take('c', t0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(buckets.take('other', t0).ok).toBe(true);
    expect(buckets.take('c', t0 + 499).ok).toBe(false);
    expect(buckets.take('c', t0 + 500).ok).toBe(true);
    // Refilled to the burst, not beyond.
    for (let i = 0; i < 4; i++) expect(buckets.take('c', t0 + 60_000).ok).toBe(true);
    expect(buckets.take('c', t0 + 60_000).ok).toBe(false);
    const slow = new TokenBuckets(0.1, 1);
    slow.take('s', t0);
    expect(slow.take('s', t0)).toEqual({ ok: false, retryAfterSeconds: 10 });
  });

  it('stay bounded in memory', () => {
    const buckets = new TokenBuckets(1, 1, 100);
    for (let i = 0; i < 1000; i++) buckets.take(`k${i}`, i);
    expect((buckets as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(100);
  });
});

describe('failure throttle', () => {
  it('blocks after the limit for the rest of the window, then forgets', () => {
    const throttle = new FailureThrottle(3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(throttle.blockedFor('a', 1000)).toBe(0);
      throttle.recordFailure('a', 1000);
    }
    expect(throttle.blockedFor('a', 1000)).toBe(60);
    expect(throttle.blockedFor('a', 31_000)).toBe(30);
    expect(throttle.blockedFor('b', 1000)).toBe(0);
    expect(throttle.blockedFor('a', 61_000)).toBe(0);
    // A new window starts with the next failure.
    throttle.recordFailure('a', 61_000);
    expect(throttle.blockedFor('a', 61_000)).toBe(0);
  });

  it('remembers successful sign-ins for a day', () => {
    const throttle = new FailureThrottle(1, 1000);
    throttle.rememberGood('h', 0);
    expect(GOOD_TTL_MS).toBe(86_400_000);
    expect(throttle.isKnownGood('h', GOOD_TTL_MS - 1)).toBe(true);
    expect(throttle.isKnownGood('h', GOOD_TTL_MS)).toBe(false);
    expect(throttle.isKnownGood('x', 0)).toBe(false);
  });

  it('stays bounded in memory', () => {
    const throttle = new FailureThrottle(1, 60_000, 100);
    for (let i = 0; i < 1000; i++) {
      throttle.recordFailure(`k${i}`, i);
      throttle.rememberGood(`g${i}`, i);
    }
    const inside = throttle as unknown as { windows: Map<string, unknown>; good: Map<string, unknown> };
    expect(inside.windows.size).toBeLessThanOrEqual(100);
    expect(inside.good.size).toBeLessThanOrEqual(100);
  });
});

/**
 * The throttle's hooks on a bare Fastify app: a token route that checks `Bearer good-<n>`, a SCIM-like
 * route whose target is its connection, a vendor sign-in, and a health route.
 */
describe('failed-authentication throttle hooks', () => {
  let app: FastifyInstance;
  const checkToken = async (request: { headers: { authorization?: string } }) => {
    if (!bearerToken(request.headers.authorization)?.startsWith('good-')) throw unauthorized('bad token');
    return { ok: true };
  };
  beforeAll(async () => {
    app = Fastify();
    app.setErrorHandler(errorHandler);
    registerAuthThrottle(app, new FailureThrottle(3, 60_000));
    app.get('/healthz', async () => ({ ok: true }));
    app.get('/api', checkToken);
    app.get('/directory/resources/scim/v2.0/:connectionId/Users', checkToken);
    app.post<{ Body: { clientId: string; secret: string } }>('/auth/vendor', { config: { vendorSignIn: true } }, async (request) => {
      if (request.body.secret !== `right-${request.body.clientId}`) throw unauthorized('Invalid clientId or secret');
      return { ok: true };
    });
    await app.ready();
  });
  afterAll(() => app.close());

  const get = (url: string, token: string, remoteAddress: string) => app.inject({ url, remoteAddress, headers: { authorization: `Bearer ${token}` } });
  const signIn = (clientId: string, secret: string, remoteAddress: string) => app.inject({ method: 'POST', url: '/auth/vendor', remoteAddress, payload: { clientId, secret } });

  it('answers failing credentials 429 past the limit, and never refuses a valid one or the health route', async () => {
    const from = '192.0.2.1';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await get('/api', `bad-${i}`, from)).statusCode);
      expect((await get('/api', `good-${i}`, from)).statusCode).toBe(200);
      expect((await app.inject({ url: '/healthz', remoteAddress: from })).statusCode).toBe(200);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    const refused = await get('/api', 'bad', from);
    expect(refused.json()).toMatchObject({ statusCode: 429, code: 'rate_limited', message: expect.stringMatching(/retry after \d+ seconds/) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(50);
    // Another address is not affected.
    expect((await get('/api', 'bad', '192.0.2.2')).statusCode).toBe(401);
  });

  it('counts failures per SCIM connection too, whatever the address, and answers in SCIM', async () => {
    const url = '/directory/resources/scim/v2.0/conn-1/Users';
    for (let i = 0; i < 3; i++) expect((await get(url, 'bad', `198.51.100.${i}`)).statusCode).toBe(401);
    const refused = await get(url, 'bad', '198.51.100.99');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429' });
    expect((await get(url, 'good-1', '198.51.100.98')).statusCode).toBe(200);
    expect((await get('/directory/resources/scim/v2.0/conn-2/Users', 'bad', '198.51.100.97')).statusCode).toBe(401);
  });

  it('refuses guessing a vendor secret before the check, except from where that clientId signed in before', async () => {
    expect((await signIn('acme', 'right-acme', '203.0.113.1')).statusCode).toBe(200);
    // Guesses from rotating addresses: three 401s, then the clientId is refused from anywhere new, even with its secret.
    for (let i = 0; i < 3; i++) expect((await signIn('acme', `guess-${i}`, `203.0.113.${10 + i}`)).statusCode).toBe(401);
    expect((await signIn('acme', 'right-acme', '203.0.113.20')).statusCode).toBe(429);
    expect((await signIn('acme', 'guess-x', '203.0.113.21')).statusCode).toBe(429);
    // The vendor's own address still signs in; a wrong secret from it is counted there and answered 429.
    expect((await signIn('acme', 'right-acme', '203.0.113.1')).statusCode).toBe(200);
    expect((await signIn('acme', 'typo', '203.0.113.1')).statusCode).toBe(429);
    // Guessing from the vendor's own address is bounded too: that address and clientId together reach the limit.
    expect((await signIn('acme', 'typo', '203.0.113.1')).statusCode).toBe(429);
    expect((await signIn('acme', 'typo', '203.0.113.1')).statusCode).toBe(429);
    expect((await signIn('acme', 'right-acme', '203.0.113.1')).statusCode).toBe(429);
    // Another clientId is not affected.
    expect((await signIn('other', 'right-other', '203.0.113.30')).statusCode).toBe(200);
  });
});

describe('client addresses', () => {
  it('unmaps IPv4-mapped IPv6 and keys IPv6 by /64', () => {
    expect(normalizeAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(throttleKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(throttleKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(throttleKey('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(throttleKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttleKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('IP allowlists', () => {
  it('parse, normalise and match IPv4 and IPv6 CIDRs', () => {
    const list = parseAllowlist(['10.0.0.0/8', ' 2001:DB8::/32', '192.0.2.1', '10.0.0.0/8']);
    expect(list).toEqual(['10.0.0.0/8', '2001:db8::/32', '192.0.2.1']);
    const json = JSON.stringify(list);
    expect(allowedBy(json, '10.200.0.1')).toBe(true);
    expect(allowedBy(json, '::ffff:10.0.0.1')).toBe(true);
    expect(allowedBy(json, '2001:db8:ffff::1')).toBe(true);
    expect(allowedBy(json, '192.0.2.1')).toBe(true);
    expect(allowedBy(json, '192.0.2.2')).toBe(false);
    expect(allowedBy(json, '11.0.0.1')).toBe(false);
    expect(allowedBy(json, 'not-an-address')).toBe(false);
    expect(allowedBy(null, '11.0.0.1')).toBe(true);
    expect(allowedBy('[]', '11.0.0.1')).toBe(true);
    for (const bad of ['10.0.0.0/33', '10.0.0/8', 'fe80::1%eth0', '1.2.3.4/-1', '', '10.0.0.0/08x']) expect(() => parseAllowlist([bad]), bad).toThrow();
  });
});

describe('configuration of limits, proxies, headers and shutdown', () => {
  it('has sane defaults', () => {
    const config = loadConfig({});
    expect(config.protection).toEqual({
      scimRateLimit: 50,
      scimRateBurst: 500,
      scimCostLimit: 250,
      scimCostBurst: 1000,
      scimConcurrencyLimit: 16,
      authFailureLimit: 20,
      authFailureWindowSeconds: 60,
      trustProxy: false,
      frameAncestors: "'none'",
    });
    expect(config.shutdown).toEqual({ drainSeconds: 5, timeoutSeconds: 30 });
    expect(loadConfig({ SCIM_RATE_LIMIT: '0' }).protection.scimRateLimit).toBe(0);
    expect(loadConfig({ SCIM_RATE_LIMIT: '7' }).protection.scimRateBurst).toBe(70);
    expect(loadConfig({ SCIM_COST_LIMIT: '100' }).protection.scimCostBurst).toBe(400);
    expect(loadConfig({ SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0' }).protection).toMatchObject({ scimCostLimit: 0, scimConcurrencyLimit: 0 });
  });

  it('reads TRUST_PROXY and FRAME_ANCESTORS', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).protection.trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,loopback' }).protection.trustProxy).toEqual(['10.0.0.0/8', '192.0.2.1', 'loopback']);
    expect(loadConfig({ FRAME_ANCESTORS: "self https://app.example.com:8443" }).protection.frameAncestors).toBe("'self' https://app.example.com:8443");
    expect(loadConfig({ FRAME_ANCESTORS: "'none'" }).protection.frameAncestors).toBe("'none'");
  });

  it.each([
    [{ SCIM_RATE_LIMIT: 'fast' }, /SCIM_RATE_LIMIT must be a whole number/],
    [{ SCIM_RATE_BURST: '0' }, /SCIM_RATE_BURST must be between/],
    [{ SCIM_COST_LIMIT: '2000' }, /SCIM_COST_LIMIT must be between/],
    [{ SCIM_CONCURRENCY_LIMIT: '-1' }, /SCIM_CONCURRENCY_LIMIT must/],
    [{ AUTH_FAILURE_WINDOW_SECONDS: '0' }, /AUTH_FAILURE_WINDOW_SECONDS must be between/],
    [{ TRUST_PROXY: 'yes please' }, /TRUST_PROXY must be true, false or/],
    [{ TRUST_PROXY: '2' }, /TRUST_PROXY/],
    [{ FRAME_ANCESTORS: "https://x.example.com; script-src *" }, /FRAME_ANCESTORS must list/],
    [{ FRAME_ANCESTORS: 'javascript:alert(1)' }, /FRAME_ANCESTORS must list/],
    [{ FRAME_ANCESTORS: "'none' https://x.example.com" }, /cannot be combined/],
    [{ SHUTDOWN_DRAIN_SECONDS: '1000' }, /SHUTDOWN_DRAIN_SECONDS must be between/],
    [{ SHUTDOWN_TIMEOUT_SECONDS: '0' }, /SHUTDOWN_TIMEOUT_SECONDS must be between/],
  ])('rejects %j with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
