/**
 * The arithmetic of one process's lease on a connection's shared bucket (src/limits/rate-lease.ts),
 * with the clock passed in: chunk sizes that follow the process's own traffic and never pass a
 * fraction of the rate, refusals without asking the database while the bucket is known empty, and
 * tokens dropped when left unused.
 */
import { describe, expect, it } from 'vitest';
import { HORIZON_MS, LEASE_TTL_MS, MIN_CHUNK, RateLease } from '../../src/limits/rate-lease.js';

const T0 = 1_000_000;

/** Requests arriving every `intervalMs` from `from` for `count` requests; returns when the last came. */
function arrive(lease: RateLease, from: number, intervalMs: number, count: number): number {
  let now = from;
  for (let i = 0; i < count; i++) {
    now = from + i * intervalMs;
    lease.arrive(now);
  }
  return now;
}

describe('rate lease', () => {
  it('asks for at least MIN_CHUNK, grows the chunk with the traffic, and caps it at HORIZON_MS of the rate', () => {
    const lease = new RateLease({ ratePerSecond: 100, burst: 1000 });
    lease.arrive(T0);
    expect(lease.chunk()).toBe(MIN_CHUNK);
    // 200 requests a second for two seconds: more than the rate, so the cap.
    arrive(lease, T0, 5, 400);
    expect(lease.chunk()).toBe((100 * HORIZON_MS) / 1000);
    // 20 a second: about 20 × HORIZON_MS.
    const slow = new RateLease({ ratePerSecond: 100, burst: 1000 });
    arrive(slow, T0, 50, 100);
    expect(slow.chunk()).toBeGreaterThanOrEqual((20 * HORIZON_MS) / 1000);
    expect(slow.chunk()).toBeLessThanOrEqual((22 * HORIZON_MS) / 1000 + 1);
  });

  it('never holds more than the burst, nor less than one token a chunk at a slow rate', () => {
    expect(new RateLease({ ratePerSecond: 1000, burst: 3 }).chunk()).toBe(3);
    const slow = new RateLease({ ratePerSecond: 1, burst: 10 });
    arrive(slow, T0, 1, 1000);
    expect(slow.chunk()).toBe(1);
  });

  it('asks for the waiting requests and a chunk besides, less what it holds', () => {
    const lease = new RateLease({ ratePerSecond: 100, burst: 1000 });
    lease.arrive(T0);
    expect(lease.want(0)).toBe(MIN_CHUNK);
    expect(lease.want(10)).toBe(10 + MIN_CHUNK);
    lease.took(MIN_CHUNK, { granted: 3, remaining: 0.5 }, T0);
    expect(lease.held).toBe(3);
    expect(lease.want(0)).toBe(MIN_CHUNK - 3);
    // A take whose requests were answered otherwise (it came too late) is kept only up to what it is told.
    lease.took(20, { granted: 20, remaining: 500 }, T0, MIN_CHUNK);
    expect(lease.held).toBe(MIN_CHUNK);
  });

  it('serves from what it took, and takes more at half a chunk while the bucket has some', () => {
    const lease = new RateLease({ ratePerSecond: 100, burst: 1000 });
    lease.arrive(T0);
    expect(lease.use()).toBe(false);
    lease.took(4, { granted: 4, remaining: 996 }, T0);
    expect(lease.wantsMore(T0)).toBe(false);
    expect(lease.use()).toBe(true);
    expect(lease.use()).toBe(true);
    expect(lease.wantsMore(T0)).toBe(false);
    expect(lease.use()).toBe(true);
    expect(lease.wantsMore(T0)).toBe(true);
    expect(lease.use()).toBe(true);
    expect(lease.use()).toBe(false);
    expect(lease.refusal(T0)).toBeUndefined();
  });

  it('after a short take, refuses without asking until a chunk could have refilled, with Retry-After in whole seconds', () => {
    const lease = new RateLease({ ratePerSecond: 100, burst: 1000 });
    const now = arrive(lease, T0, 1, 2000);
    const chunk = lease.chunk();
    expect(chunk).toBe(50);
    lease.took(60, { granted: 10, remaining: 0.25 }, now);
    for (let i = 0; i < 10; i++) expect(lease.use()).toBe(true);
    expect(lease.use()).toBe(false);
    expect(lease.wantsMore(now)).toBe(false);
    expect(lease.refusal(now)).toBe(1);
    // 49.75 tokens at 100 a second: 497.5 ms.
    expect(lease.refusal(now + 497)).toBe(1);
    expect(lease.refusal(now + 498)).toBeUndefined();
    expect(lease.wantsMore(now + 498)).toBe(true);
    // A full take clears it.
    lease.took(1, { granted: 1, remaining: 3 }, now + 600);
    expect(lease.refusal(now + 600)).toBeUndefined();
  });

  it('waits for one token at a slow rate, and for no more than half the burst takes to refill', () => {
    const slow = new RateLease({ ratePerSecond: 0.5, burst: 10 });
    slow.arrive(T0);
    slow.took(2, { granted: 0, remaining: 0 }, T0);
    expect(slow.refusal(T0)).toBe(2);
    expect(slow.refusal(T0 + 1999)).toBe(1);
    expect(slow.refusal(T0 + 2000)).toBeUndefined();
    // A burst of 4 at 1000 a second: a chunk would be 4, but the bucket is half full at 2.
    const small = new RateLease({ ratePerSecond: 1000, burst: 4 });
    arrive(small, T0, 1, 100);
    small.took(4, { granted: 0, remaining: 0 }, T0 + 99);
    expect(small.refusal(T0 + 99 + 1)).toBe(1);
    expect(small.refusal(T0 + 99 + 2)).toBeUndefined();
  });

  it('keeps its tokens while requests keep coming, and drops them after LEASE_TTL_MS without one', () => {
    const lease = new RateLease({ ratePerSecond: 100, burst: 1000 });
    lease.arrive(T0);
    lease.took(4, { granted: 4, remaining: 996 }, T0);
    // A request every LEASE_TTL_MS, for three times as long: what it holds is still there.
    for (let i = 1; i <= 3; i++) lease.arrive(T0 + i * LEASE_TTL_MS);
    expect(lease.held).toBe(4);
    const last = T0 + 3 * LEASE_TTL_MS;
    expect(lease.idle(last + LEASE_TTL_MS)).toBe(false);
    expect(lease.idle(last + LEASE_TTL_MS + 1)).toBe(true);
    lease.arrive(last + LEASE_TTL_MS + 1);
    expect(lease.held).toBe(0);
    expect(lease.use()).toBe(false);
  });
});
