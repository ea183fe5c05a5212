/** The building blocks of the abuse limits, and the configuration that sets them. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { normalizeAddress, throttleKey } from '../../src/limits/address.js';
import { FailureThrottle } from '../../src/limits/failure-throttle.js';
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
    expect(throttle.hasFailures('a', 61_000)).toBe(false);
  });

  it('remembers good credentials for an hour', () => {
    const throttle = new FailureThrottle(1, 1000);
    throttle.rememberGood('h', 0);
    expect(throttle.isKnownGood('h', 3_599_000)).toBe(true);
    expect(throttle.isKnownGood('h', 3_600_001)).toBe(false);
    expect(throttle.isKnownGood('x', 0)).toBe(false);
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
      authFailureLimit: 20,
      authFailureWindowSeconds: 60,
      trustProxy: false,
      frameAncestors: "'none'",
    });
    expect(config.shutdown).toEqual({ drainSeconds: 5, timeoutSeconds: 30 });
    expect(loadConfig({ SCIM_RATE_LIMIT: '0' }).protection.scimRateLimit).toBe(0);
    expect(loadConfig({ SCIM_RATE_LIMIT: '7' }).protection.scimRateBurst).toBe(70);
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
