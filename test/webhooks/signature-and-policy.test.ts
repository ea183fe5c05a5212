import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DISABLE_AFTER_MS, MAX_ATTEMPTS, minimumRetrySpanMs, nominalRetryDelayMs, retryDelayMs, truncateError } from '../../src/webhooks/policy.js';
import { rollcallSignatureHeader, verifyRollcallSignature } from '../../src/webhooks/verify.js';

const SECRET = 'whsec_test-secret';
const BODY = '{"id":"e1","type":"user.created","data":{"name":"Zoë"}}';
const T = 1_800_000_000;

describe('verifyRollcallSignature', () => {
  const header = rollcallSignatureHeader(SECRET, T, BODY);
  const at = T * 1000;

  it('accepts the header Rollcall sends, for a string or the raw bytes', () => {
    const v1 = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(header).toBe(`t=${T},v1=${v1}`);
    expect(verifyRollcallSignature(SECRET, header, BODY, { now: at })).toBe(true);
    expect(verifyRollcallSignature(SECRET, header, Buffer.from(BODY, 'utf8'), { now: new Date(at) })).toBe(true);
    expect(verifyRollcallSignature(SECRET, ` v1=${v1} , t=${T} `, BODY, { now: at })).toBe(true);
  });

  it('rejects another body, another secret, or a tampered signature', () => {
    expect(verifyRollcallSignature(SECRET, header, BODY.replace('Zoë', 'Zoe'), { now: at })).toBe(false);
    expect(verifyRollcallSignature(`${SECRET}2`, header, BODY, { now: at })).toBe(false);
    const flipped = header.slice(0, -1) + (header.endsWith('0') ? '1' : '0');
    expect(verifyRollcallSignature(SECRET, flipped, BODY, { now: at })).toBe(false);
    // The timestamp is signed too: moving it breaks the signature.
    expect(verifyRollcallSignature(SECRET, header.replace(`t=${T}`, `t=${T + 1}`), BODY, { now: at })).toBe(false);
  });

  it('enforces the tolerance both ways (default 300 s)', () => {
    expect(verifyRollcallSignature(SECRET, header, BODY, { now: at + 300_000 })).toBe(true);
    expect(verifyRollcallSignature(SECRET, header, BODY, { now: at + 301_000 })).toBe(false);
    expect(verifyRollcallSignature(SECRET, header, BODY, { now: at - 301_000 })).toBe(false);
    expect(verifyRollcallSignature(SECRET, header, BODY, { now: at + 3_600_000, toleranceSeconds: 3600 })).toBe(true);
    expect(verifyRollcallSignature(SECRET, header, BODY, { now: 0, toleranceSeconds: Infinity })).toBe(true);
  });

  it('accepts any one of several v1 signatures (secret rotation)', () => {
    const other = rollcallSignatureHeader('whsec_old', T, BODY).split(',')[1];
    expect(verifyRollcallSignature(SECRET, `${header},${other}`, BODY, { now: at })).toBe(true);
    expect(verifyRollcallSignature('whsec_old', `${header},${other}`, BODY, { now: at })).toBe(true);
  });

  it.each([undefined, null, '', 'garbage', `t=${T}`, 'v1=abc', `t=abc,v1=${'0'.repeat(64)}`, `t=${T},v1=${'z'.repeat(64)}`, `t=${T},v1=${'0'.repeat(63)}`, 'x'.repeat(5000)])(
    'is false, never throws, for the header %j',
    (bad) => {
      expect(verifyRollcallSignature(SECRET, bad, BODY, { now: at })).toBe(false);
    },
  );

  it('is false for an empty secret', () => {
    expect(verifyRollcallSignature('', rollcallSignatureHeader('', T, BODY), BODY, { now: at })).toBe(false);
  });
});

describe('retry policy', () => {
  it('backs off exponentially from 15 s to a 2 h cap, with ±20% jitter', () => {
    expect([1, 2, 3, 4].map(nominalRetryDelayMs)).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect(nominalRetryDelayMs(10)).toBe(7_200_000);
    expect(nominalRetryDelayMs(1000)).toBe(7_200_000);
    expect(retryDelayMs(1, () => 0)).toBe(12_000);
    expect(retryDelayMs(1, () => 1)).toBe(18_000);
    for (let i = 0; i < 100; i++) {
      const d = retryDelayMs(5);
      expect(d).toBeGreaterThanOrEqual(192_000);
      expect(d).toBeLessThanOrEqual(288_000);
    }
  });

  it(`keeps retrying for at least 24 h before the ${MAX_ATTEMPTS}th attempt fails for good, even with the shortest jitter`, () => {
    expect(minimumRetrySpanMs()).toBeGreaterThanOrEqual(DISABLE_AFTER_MS);
    let shortest = 0;
    for (let failed = 1; failed < MAX_ATTEMPTS; failed++) shortest += retryDelayMs(failed, () => 0);
    expect(shortest).toBeGreaterThanOrEqual(24 * 3_600_000);
    let longest = 0;
    for (let failed = 1; failed < MAX_ATTEMPTS; failed++) longest += retryDelayMs(failed, () => 1);
    expect(longest).toBeLessThan(48 * 3_600_000);
  });

  it('truncates stored errors', () => {
    expect(truncateError('short')).toBe('short');
    expect(truncateError('x'.repeat(2000))).toHaveLength(500);
  });
});
