/** Random tokens, their hashes at rest, and constant-time comparison. Secrets never leave this shape. */
import { createHash, randomBytes, scrypt, timingSafeEqual, type BinaryLike } from 'node:crypto';

export const TOKEN_PREFIXES = {
  /** Environment (management API) token, from POST /auth/vendor. */
  environment: 'rc_env_',
  /** SCIM bearer token of one connection, pasted into an IdP. */
  connection: 'rc_scim_',
  /** Generated vendor secret. */
  vendorSecret: 'rc_secret_',
  /** Browser session of the web UI (dashboard or portal), kept in an HttpOnly cookie (src/sessions). */
  uiSession: 'rc_sess_',
} as const;

/** A new token: a recognisable prefix and 256 bits of randomness, base64url. */
export function generateToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** SHA-256 of a high-entropy token, hex: what is stored and looked up. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // Still spend the comparison so that a length mismatch is not faster than a content mismatch.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;

function scryptAsync(secret: BinaryLike, salt: Buffer, N: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, keyLength, { N, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * Hashes a vendor secret with scrypt. Vendor secrets may be chosen by a person
 * (ROLLCALL_CLIENT_SECRET), so they get a slow salted hash rather than a bare SHA-256.
 */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a secret against a stored scrypt hash in constant time; a malformed hash never matches. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p), expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A stored hash that no secret matches: verified against when a clientId is unknown, to keep timing flat. */
export const UNMATCHABLE_SECRET_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;
