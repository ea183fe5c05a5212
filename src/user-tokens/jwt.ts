/**
 * Compact JWS (RFC 7515) / JWT (RFC 7519) with node:crypto: HS256 signing, and HS256, RS256 and
 * ES256 verification against keys whose algorithm is fixed by configuration, never by the token
 * (RFC 8725 §2.1, §3.1): `alg: none`, an unknown alg, or an alg the key was not configured for
 * fails, which also rules out the RS256-key-as-HMAC-secret confusion.
 */
import { constants, createHmac, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

export const JWT_ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;
/** An accepted signature algorithm. */
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** A key and the one algorithm it verifies; `kid` selects it when the token names one. */
export interface VerificationKey {
  alg: JwtAlgorithm;
  kid?: string;
  key: KeyObject;
}

type JsonObject = Record<string, unknown>;

/** A token split into its parts; nothing in it is trusted yet. */
export interface DecodedJwt {
  header: JsonObject;
  payload: JsonObject;
  signingInput: string;
  signature: Buffer;
}

/** Longer tokens are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 8192;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes base64url without padding, refusing any other spelling of the same bytes. */
function segment(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function jsonObject(bytes: Buffer | undefined): JsonObject | undefined {
  if (!bytes || bytes.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and decodes a compact JWS; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = jsonObject(segment(h));
  const payload = jsonObject(segment(p));
  const signature = segment(s);
  if (!header || !payload || !signature) return undefined;
  return { header, payload, signingInput: `${h}.${p}`, signature };
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Signs `payload` with HS256. */
export function signHs256(payload: JsonObject, key: KeyObject, kid?: string): string {
  const input = `${encode({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })}.${encode(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

function verifyWith(candidate: VerificationKey, jwt: DecodedJwt): boolean {
  const data = Buffer.from(jwt.signingInput, 'utf8');
  try {
    switch (candidate.alg) {
      case 'HS256': {
        const expected = createHmac('sha256', candidate.key).update(data).digest();
        return jwt.signature.length === expected.length && timingSafeEqual(jwt.signature, expected);
      }
      case 'RS256':
        return verify('sha256', data, { key: candidate.key, padding: constants.RSA_PKCS1_PADDING }, jwt.signature);
      case 'ES256':
        // JWS carries ECDSA signatures as r || s (RFC 7518 §3.4), not DER.
        return jwt.signature.length === 64 && verify('sha256', data, { key: candidate.key, dsaEncoding: 'ieee-p1363' }, jwt.signature);
    }
  } catch {
    return false;
  }
}

/** True when a key configured for the token's `alg` (and `kid`, if both name one) verifies its signature. */
export function verifySignature(jwt: DecodedJwt, keys: readonly VerificationKey[]): boolean {
  const { alg, kid, crit } = jwt.header;
  // RFC 7515 §4.1.11: extensions we do not understand must make the token invalid.
  if (crit !== undefined) return false;
  if (typeof alg !== 'string' || !(JWT_ALGORITHMS as readonly string[]).includes(alg)) return false;
  const named = typeof kid === 'string' ? kid : undefined;
  return keys.some((k) => k.alg === alg && (k.kid === undefined || named === undefined || k.kid === named) && verifyWith(k, jwt));
}

/** What the claims must satisfy. */
export interface ClaimRules {
  issuer?: string;
  audience?: string;
  nowSeconds: number;
  /** Allowed clock difference for `exp`, `nbf` and `iat`. */
  toleranceSeconds: number;
  /**
   * The longest lifetime honoured, `exp − iat` in seconds: with it, `iat` is required and may not be in
   * the future, so no token outlives its issue by more than this (a token with `exp: 1e308` is refused).
   */
  maxLifetimeSeconds?: number;
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Why the registered claims fail the rules, or undefined when they pass. `exp` is required. */
export function claimProblem(payload: JsonObject, rules: ClaimRules): string | undefined {
  const { exp, nbf, iat, iss, aud } = payload;
  if (!isTime(exp)) return 'no exp claim';
  if (exp + rules.toleranceSeconds <= rules.nowSeconds) return 'expired';
  if (nbf !== undefined && (!isTime(nbf) || nbf - rules.toleranceSeconds > rules.nowSeconds)) return 'not yet valid';
  if (rules.maxLifetimeSeconds !== undefined) {
    if (!isTime(iat)) return 'no iat claim (needed to bound the lifetime)';
    if (iat - rules.toleranceSeconds > rules.nowSeconds) return 'iat is in the future';
    if (exp - iat > rules.maxLifetimeSeconds) return `lifetime (exp - iat) of ${exp - iat} seconds exceeds USER_TOKEN_MAX_LIFETIME_SECONDS (${rules.maxLifetimeSeconds})`;
  }
  if (rules.issuer !== undefined && iss !== rules.issuer) return 'wrong issuer';
  if (rules.audience !== undefined) {
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(rules.audience)) return 'wrong audience';
  }
  return undefined;
}
