/** The in-process cache of resolved SCIM tokens: freshness, token expiry, and invalidation races. */
import { describe, expect, it } from 'vitest';
import { ScimAuthCache } from '../../src/connections/scim-auth-cache.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('ScimAuthCache', () => {
  it('serves a resolution for its TTL only, and never past the token expiry', () => {
    const cache = new ScimAuthCache<string>(1000);
    const t0 = Date.parse('2030-01-01T00:00:00.000Z');
    cache.set(cache.begin(), 'c1', 'h1', null, 'ctx', t0);
    expect(cache.get('c1', 'h1', t0 + 999, iso(t0 + 999))?.value).toBe('ctx');
    expect(cache.get('c1', 'h2', t0, iso(t0))).toBeUndefined();
    expect(cache.get('c2', 'h1', t0, iso(t0))).toBeUndefined();
    expect(cache.get('c1', 'h1', t0 + 1000, iso(t0 + 1000))).toBeUndefined();
    cache.set(cache.begin(), 'c1', 'h1', iso(t0 + 500), 'ctx', t0);
    expect(cache.get('c1', 'h1', t0 + 499, iso(t0 + 499))?.value).toBe('ctx');
    expect(cache.get('c1', 'h1', t0 + 500, iso(t0 + 500))).toBeUndefined();
  });

  it('forgets everything on a change, and drops a lookup that began before it', () => {
    const cache = new ScimAuthCache<string>(60_000);
    const now = Date.now();
    cache.set(cache.begin(), 'c1', 'h1', null, 'ctx', now);
    const inFlight = cache.begin();
    cache.clear();
    expect(cache.get('c1', 'h1', now, iso(now))).toBeUndefined();
    // A database read that started before the revocation committed must not be cached after it.
    cache.set(inFlight, 'c1', 'h1', null, 'stale', now);
    expect(cache.get('c1', 'h1', now, iso(now))).toBeUndefined();
    cache.set(cache.begin(), 'c1', 'h1', null, 'fresh', now);
    expect(cache.get('c1', 'h1', now, iso(now))?.value).toBe('fresh');
  });
});
