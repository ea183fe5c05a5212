/**
 * Signing and verifying webhook deliveries. Nothing here but node:crypto, so a receiver can use it without
 * the rest of the client (the Rollcall server signs its deliveries with these same functions).
 *
 * Header: `Rollcall-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * Signing the timestamp with the body lets a receiver reject replays of an old delivery.
 */
import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The name of the signature header (HTTP header names are case-insensitive). */
export const WEBHOOK_SIGNATURE_HEADER = 'Rollcall-Signature';

/** Options of verifyWebhookSignature. */
export interface VerifyWebhookOptions {
  /** How far `t` may be from now, in seconds (default 300). Use Infinity to skip the check. */
  toleranceSeconds?: number;
  /** The current time, as a Date or milliseconds since the epoch (default: the clock). */
  now?: Date | number;
}

/** Hex HMAC-SHA256 of `"<timestamp>.<rawBody>"` under the secret. */
export function signWebhookPayload(secret: string, timestamp: number, rawBody: string | Uint8Array): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`, 'utf8');
  hmac.update(rawBody);
  return hmac.digest('hex');
}

/** The full `Rollcall-Signature` header value for a body sent at `timestamp` (unix seconds). */
export function webhookSignatureHeader(secret: string, timestamp: number, rawBody: string | Uint8Array): string {
  return `t=${timestamp},v1=${signWebhookPayload(secret, timestamp, rawBody)}`;
}

/**
 * True when `header` carries a valid v1 signature of `rawBody` under `secret`, made within the
 * tolerance. Pass the body exactly as received (bytes or string), before any JSON parsing.
 * The signature is compared in constant time; any malformed header is simply false.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string | Uint8Array,
  options: VerifyWebhookOptions = {},
): boolean {
  if (typeof header !== 'string' || header.length > 2048 || typeof secret !== 'string' || secret === '') return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // Several v1 values may appear (e.g. while a secret is rotated): any one may match.
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (timestamp === undefined || candidates.length === 0) return false;

  const tolerance = options.toleranceSeconds ?? 300;
  const nowMs = options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime();
  if (!(Math.abs(nowMs / 1000 - timestamp) <= tolerance)) return false;

  const expected = Buffer.from(signWebhookPayload(secret, timestamp, rawBody), 'hex');
  let matched = false;
  for (const candidate of candidates) {
    // Every candidate is 32 bytes (checked above), so timingSafeEqual never sees different lengths.
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched;
}
