/**
 * Signing and verifying webhook deliveries. This file depends on nothing but node:crypto so that a
 * vendor can import it (`rollcall/webhooks`) or copy it into their own app.
 *
 * Header: `Rollcall-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 * Signing the timestamp with the body lets a receiver reject replays of an old delivery.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The name of the signature header (HTTP header names are case-insensitive). */
export const SIGNATURE_HEADER = 'Rollcall-Signature';

/** Options of verifyRollcallSignature. */
export interface VerifyOptions {
  /** How far `t` may be from now, in seconds (default 300). Use Infinity to skip the check. */
  toleranceSeconds?: number;
  /** The current time, as a Date or milliseconds since the epoch (default: the clock). */
  now?: Date | number;
}

/** Hex HMAC-SHA256 of `"<timestamp>.<rawBody>"` under the secret. */
export function signRollcallPayload(secret: string, timestamp: number, rawBody: string | Uint8Array): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`, 'utf8');
  hmac.update(rawBody);
  return hmac.digest('hex');
}

/** The full `Rollcall-Signature` header value for a body sent at `timestamp` (unix seconds). */
export function rollcallSignatureHeader(secret: string, timestamp: number, rawBody: string | Uint8Array): string {
  return `t=${timestamp},v1=${signRollcallPayload(secret, timestamp, rawBody)}`;
}

/**
 * True when `header` carries a valid v1 signature of `rawBody` under `secret`, made within the
 * tolerance. Pass the body exactly as received (bytes or string), before any JSON parsing.
 * The signature is compared in constant time; any malformed header is simply false.
 */
export function verifyRollcallSignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string | Uint8Array,
  options: VerifyOptions = {},
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

  const expected = Buffer.from(signRollcallPayload(secret, timestamp, rawBody), 'hex');
  let matched = false;
  for (const candidate of candidates) {
    // Every candidate is 32 bytes (checked above), so timingSafeEqual never sees different lengths.
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched;
}
