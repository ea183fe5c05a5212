/**
 * Verification keys for tokens the vendor signs itself, read from configuration: a shared HS256
 * secret, one PEM public key (RSA → RS256, EC P-256 → ES256), or a JWKS (a file, or fetched from a
 * URL by remote-jwks.ts). Errors are one line for the start-up message.
 */
import { createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { VerificationKey } from './jwt.js';

/** HS256 secrets shorter than this are refused (RFC 7518 §3.2: at least the hash size, 256 bits). */
export const MIN_SECRET_LENGTH = 32;

export function hmacKey(secret: string): VerificationKey {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`must be at least ${MIN_SECRET_LENGTH} characters`);
  return { alg: 'HS256', key: createSecretKey(Buffer.from(secret, 'utf8')) };
}

/** The algorithm a public key verifies; only RSA ≥ 2048 bits and EC P-256 are accepted. */
function algorithmOf(key: KeyObject): VerificationKey['alg'] {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw new Error('RSA keys must have at least 2048 bits');
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`must be an RSA (RS256) or EC P-256 (ES256) public key, got ${key.asymmetricKeyType ?? 'unknown'} ${details.namedCurve ?? ''}`.trim());
}

/** A PEM public key (`\n` escapes accepted, as environment variables often carry them). */
export function pemKey(pem: string): VerificationKey {
  const text = pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
  // node derives a public key from a private one; the vendor's signing key must not be handed to Rollcall.
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw new Error('must be a public key, not a private key');
  let key: KeyObject;
  try {
    key = createPublicKey(text.trim());
  } catch {
    throw new Error('is not a PEM public key (-----BEGIN PUBLIC KEY-----)');
  }
  return { alg: algorithmOf(key), key };
}

/**
 * The key of one JWK (RFC 7517 §4) and the one algorithm it verifies: `alg` when the JWK states it, else
 * the one its `kty`/`crv` allow (RSA → RS256, EC P-256 → ES256) — never the token's. Throws, naming
 * `where`, for anything else: another `use`, a `key_ops` without `verify`, a symmetric (`oct`) key, a
 * weak or unsupported key, or an `alg` the key cannot have.
 */
export function jwkKey(raw: unknown, where: string): VerificationKey {
  const jwk = (raw ?? {}) as Record<string, unknown>;
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new Error(`${where} is not a signing key (use ${JSON.stringify(jwk.use)})`);
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) throw new Error(`${where} is not a verification key (key_ops ${JSON.stringify(jwk.key_ops)})`);
  // Only the public members: a private key pasted into a JWKS by mistake is not used as one.
  const pub: JsonWebKey =
    jwk.kty === 'RSA' ? { kty: 'RSA', n: jwk.n as string, e: jwk.e as string } : jwk.kty === 'EC' ? { kty: 'EC', crv: jwk.crv as string, x: jwk.x as string, y: jwk.y as string } : {};
  if (!pub.kty) throw new Error(`${where} has kty "${String(jwk.kty)}"; RSA and EC keys are supported`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pub, format: 'jwk' });
  } catch {
    throw new Error(`${where} is not a valid ${String(jwk.kty)} key`);
  }
  let alg: VerificationKey['alg'];
  try {
    alg = algorithmOf(key);
  } catch (error) {
    throw new Error(`${where} ${(error as Error).message}`);
  }
  if (jwk.alg !== undefined && jwk.alg !== alg) throw new Error(`${where} says alg ${JSON.stringify(jwk.alg)} but is a ${alg} key`);
  return { alg, key, ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}) };
}

/** The keys of a JWKS document (RFC 7517 §5); `undefined` when it has no `keys` array. */
function keysOf(doc: unknown): unknown[] | undefined {
  const keys = (doc as { keys?: unknown } | null)?.keys;
  return Array.isArray(keys) ? keys : undefined;
}

/** The signing keys of a JWKS file: every key must be usable, or Rollcall does not start. */
export function jwksKeys(text: string): VerificationKey[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('is not JSON');
  }
  const keys = keysOf(doc);
  if (!keys || keys.length === 0) throw new Error('has no "keys" array');
  return keys.map((raw, i) => jwkKey(raw, `keys[${i}]`));
}

/**
 * The usable keys of a JWKS fetched from VENDOR_JWT_JWKS_URL. An identity provider's set may also hold
 * keys Rollcall does not use (encryption keys, other algorithms, a symmetric key): those are left out,
 * so no token verifies with them, and the others still work.
 */
export function usableJwksKeys(doc: unknown): VerificationKey[] {
  return (keysOf(doc) ?? []).flatMap((raw, i) => {
    try {
      return [jwkKey(raw, `keys[${i}]`)];
    } catch {
      return [];
    }
  });
}
