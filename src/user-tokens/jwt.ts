/**
 * User tokens as compact JWS (RFC 7515) / JWT (RFC 7519), signed and verified with jose. Every key's
 * algorithm is fixed by configuration, never by the token (RFC 8725 §2.1, §3.1): a key verifies only
 * tokens of its own `alg` (jose's `algorithms`), so `alg: none`, an unknown alg, or an alg the key was
 * not configured for fails, which also rules out the RS256-key-as-HMAC-secret confusion.
 *
 * Beside the jose call Rollcall keeps the checks jose does not make: a length cap and canonical
 * base64url before anything is parsed (jose decodes with `atob`, which tolerates padding), no `crit`
 * at all (jose accepts `b64`), and the lifetime cap `exp − iat`.
 */
import { webcrypto, type KeyObject } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';

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

/** A token that has the shape of a compact JWS of JSON objects; nothing in it is trusted yet. */
export interface DecodedJwt {
  token: string;
  header: JsonObject;
  payload: JsonObject;
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

/**
 * Splits and decodes a compact JWS; undefined when it is not one. Its header and payload say which
 * keys to try (`iss`, `alg`, `kid`); only `verifyJwt` says whether they can be believed.
 */
export function decodeJwt(token: string): DecodedJwt | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = jsonObject(segment(h));
  const payload = jsonObject(segment(p));
  if (!header || !payload || !segment(s)) return undefined;
  return { token, header, payload };
}

/**
 * The WebCrypto form of an HMAC key, imported once: given a secret KeyObject, jose (on Node 20, which
 * lacks `KeyObject.toCryptoKey`) would import it again for every token, ~25 µs each. Public keys jose
 * converts once and caches itself.
 */
const hmacKeys = new WeakMap<KeyObject, Promise<webcrypto.CryptoKey>>();
function joseKey(key: KeyObject): KeyObject | Promise<webcrypto.CryptoKey> {
  if (key.type !== 'secret') return key;
  let imported = hmacKeys.get(key);
  if (!imported) {
    imported = webcrypto.subtle.importKey('raw', key.export(), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(key, imported);
  }
  return imported;
}

/**
 * Signs `payload` with HS256 (jose). Rollcall's own tokens are signed and verified by jose too, though
 * node:crypto would be faster: `npx tsx bench/user-tokens.ts` measured 60–85 µs for jose's sign or
 * verify against 6–9 µs for plain HMAC code, beside 380–470 µs for the cheapest request a user token
 * opens. User tokens serve a person in the portal, not the SCIM traffic, so ~60 µs a request is not a
 * reason to keep a second JWS implementation beside jose (docs/performance.md, "User tokens").
 */
export async function signHs256(payload: JsonObject, key: KeyObject, kid?: string): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) }).sign(await joseKey(key));
}

/** The keys configured for the token's `alg` (and `kid`, when both name one). */
export function keysFor(header: JsonObject, keys: readonly VerificationKey[]): VerificationKey[] {
  const { alg, kid } = header;
  const named = typeof kid === 'string' ? kid : undefined;
  return keys.filter((k) => k.alg === alg && (k.kid === undefined || named === undefined || k.kid === named));
}

/** What the claims must satisfy. */
export interface ClaimRules {
  issuer?: string;
  audience?: string;
  nowSeconds: number;
  /** Allowed clock difference for `exp` and `nbf`, and for `iat` unless `iatToleranceSeconds` says otherwise. */
  toleranceSeconds: number;
  /** Allowed clock difference for an `iat` ahead of ours. */
  iatToleranceSeconds?: number;
  /**
   * The longest lifetime honoured, `exp − iat` in seconds: with it, `iat` is required and may not be in
   * the future, so no token outlives its issue by more than this (a token with `exp: 1e308` is refused).
   */
  maxLifetimeSeconds?: number;
}

/** A verified token's claims, or why it was refused (for the log); `signature` when no key verified it. */
export type JwtCheck = { payload: JsonObject; problem?: undefined } | { payload?: undefined; problem: string; signature: boolean };

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The lifetime cap, which jose has no option for (its `maxTokenAge` bounds the age, not `exp − iat`). */
function lifetimeProblem(payload: JsonObject, rules: ClaimRules): string | undefined {
  if (rules.maxLifetimeSeconds === undefined) return undefined;
  const { exp, iat } = payload;
  if (!isTime(iat)) return 'no iat claim (needed to bound the lifetime)';
  if (iat - (rules.iatToleranceSeconds ?? rules.toleranceSeconds) > rules.nowSeconds) return 'iat is in the future';
  if (isTime(exp) && exp - iat > rules.maxLifetimeSeconds) return `lifetime (exp - iat) of ${exp - iat} seconds exceeds USER_TOKEN_MAX_LIFETIME_SECONDS (${rules.maxLifetimeSeconds})`;
  return undefined;
}

/** jose's refusal of a claim, in the words of the log. */
function claimReason(error: errors.JWTClaimValidationFailed | errors.JWTExpired): string {
  switch (error.claim) {
    case 'exp':
      return error.reason === 'check_failed' ? 'expired' : 'no exp claim';
    case 'nbf':
      return 'not yet valid';
    case 'iat':
      return 'no iat claim (needed to bound the lifetime)';
    case 'iss':
      return 'wrong issuer';
    case 'aud':
      return 'wrong audience';
    default:
      return error.message;
  }
}

/**
 * Verifies a decoded token with jose against the keys configured for its `alg` and `kid`, each with
 * its own algorithm only, then its claims: `exp` required, `nbf`, `iss` and `aud` when the rules name
 * them, and the lifetime cap.
 */
export async function verifyJwt(jwt: DecodedJwt, keys: readonly VerificationKey[], rules: ClaimRules): Promise<JwtCheck> {
  // RFC 7515 §4.1.11: Rollcall understands no extension, so a critical one makes the token invalid.
  if (jwt.header.crit !== undefined) return { problem: 'a crit header (no JWS extension is understood)', signature: false };
  for (const candidate of keysFor(jwt.header, keys)) {
    let payload: JsonObject;
    try {
      ({ payload } = await jwtVerify(jwt.token, await joseKey(candidate.key), {
        algorithms: [candidate.alg],
        requiredClaims: ['exp'],
        ...(rules.issuer !== undefined ? { issuer: rules.issuer } : {}),
        ...(rules.audience !== undefined ? { audience: rules.audience } : {}),
        clockTolerance: rules.toleranceSeconds,
        currentDate: new Date(rules.nowSeconds * 1000),
      }));
    } catch (error) {
      // jose checks the claims only once the signature verifies: a claim error is the token's answer.
      if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) return { problem: claimReason(error), signature: false };
      if (error instanceof errors.JWTInvalid) return { problem: error.message, signature: false };
      // Anything else means this key does not verify this token; another key of the same alg may.
      continue;
    }
    const problem = lifetimeProblem(payload, rules);
    return problem ? { problem, signature: false } : { payload };
  }
  return { problem: 'signature does not verify', signature: true };
}
