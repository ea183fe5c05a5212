/** verifyWebhookSignature and its signing helpers: valid, tampered, expired, several v1 values, malformed. */
import { signWebhookPayload, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, webhookSignatureHeader } from '@rollcall/client';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';

const SECRET = 'whsec_test_secret';
const BODY = '{"id":"evt_1","type":"user.created","tenantId":"acme","data":{"userName":"ann@acme.test"}}';
const NOW = 1_800_000_000; // unix seconds
const at = (seconds: number) => ({ now: seconds * 1000 });

describe('webhook signatures', () => {
  it('signs HMAC-SHA256 of "<t>.<raw body>" as hex, in a t=…,v1=… header named Rollcall-Signature', () => {
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    expect(signWebhookPayload(SECRET, NOW, BODY)).toBe(expected);
    expect(webhookSignatureHeader(SECRET, NOW, BODY)).toBe(`t=${NOW},v1=${expected}`);
    expect(WEBHOOK_SIGNATURE_HEADER).toBe('Rollcall-Signature');
  });

  it('accepts a valid signature of the raw body, as a string or as bytes', () => {
    const header = webhookSignatureHeader(SECRET, NOW, BODY);
    expect(verifyWebhookSignature(SECRET, header, BODY, at(NOW))).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, Buffer.from(BODY), at(NOW + 299))).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, new TextEncoder().encode(BODY), { now: new Date((NOW - 299) * 1000) })).toBe(true);
  });

  it('refuses a tampered body, a re-serialised body, a changed timestamp and another secret', () => {
    const header = webhookSignatureHeader(SECRET, NOW, BODY);
    expect(verifyWebhookSignature(SECRET, header, BODY.replace('acme', 'acmf'), at(NOW))).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, JSON.stringify(JSON.parse(BODY), null, 2), at(NOW))).toBe(false);
    expect(verifyWebhookSignature(SECRET, header.replace(`t=${NOW}`, `t=${NOW + 1}`), BODY, at(NOW))).toBe(false);
    expect(verifyWebhookSignature(`${SECRET}x`, header, BODY, at(NOW))).toBe(false);
  });

  it('refuses a signature older or newer than the tolerance (300 s by default)', () => {
    const header = webhookSignatureHeader(SECRET, NOW, BODY);
    expect(verifyWebhookSignature(SECRET, header, BODY, at(NOW + 301))).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, BODY, at(NOW - 301))).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, BODY, { ...at(NOW + 3600), toleranceSeconds: 3600 })).toBe(true);
    expect(verifyWebhookSignature(SECRET, header, BODY, { ...at(NOW + 10 ** 7), toleranceSeconds: Infinity })).toBe(true);
    // Against the real clock: a delivery signed now verifies, one signed an hour ago does not.
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhookSignature(SECRET, webhookSignatureHeader(SECRET, now, BODY), BODY)).toBe(true);
    expect(verifyWebhookSignature(SECRET, webhookSignatureHeader(SECRET, now - 3600, BODY), BODY)).toBe(false);
  });

  it('accepts any one of several v1 values (a secret being rotated), in any position', () => {
    const other = signWebhookPayload('whsec_old_secret', NOW, BODY);
    const mine = signWebhookPayload(SECRET, NOW, BODY);
    expect(verifyWebhookSignature(SECRET, `t=${NOW},v1=${other},v1=${mine}`, BODY, at(NOW))).toBe(true);
    expect(verifyWebhookSignature(SECRET, `t=${NOW}, v1=${mine.toUpperCase()}, v1=${other}`, BODY, at(NOW))).toBe(true);
    expect(verifyWebhookSignature(SECRET, `t=${NOW},v1=${other},v1=${other}`, BODY, at(NOW))).toBe(false);
  });

  it('answers false, never throws, for a missing or malformed header or an empty secret', () => {
    const mine = signWebhookPayload(SECRET, NOW, BODY);
    for (const header of [undefined, null, '', 'garbage', `v1=${mine}`, `t=${NOW}`, `t=abc,v1=${mine}`, `t=${NOW},v1=${mine.slice(2)}`, `t=${NOW},v0=${mine}`, `t=${NOW},v1=${'z'.repeat(64)}`, `t=${NOW},v1=${mine},${'x'.repeat(2100)}`]) {
      expect(verifyWebhookSignature(SECRET, header, BODY, at(NOW))).toBe(false);
    }
    expect(verifyWebhookSignature('', `t=${NOW},v1=${mine}`, BODY, at(NOW))).toBe(false);
  });
});
