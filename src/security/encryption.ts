/**
 * Envelope encryption of the secrets Rollcall keeps and must read back (webhook signing secrets, the
 * user-token signing key), under the key-encryption key ROLLCALL_ENCRYPTION_KEY. Each secret gets a
 * fresh 256-bit data key; the secret is sealed with AES-256-GCM under the data key, and the data key
 * with AES-256-GCM under the key-encryption key. What is stored is one self-describing string:
 *
 *   rcenc:v1:<key id>:<wrapped data key>:<sealed secret>
 *
 * `key id` is 16 hex digits derived from the key-encryption key (HMAC-SHA-256 of a fixed label, so it
 * tells nothing about the key): it picks the key among the current and previous ones, and a value
 * sealed under a key that is not configured is recognised as such rather than failing as garbage.
 * The two last parts are base64url of IV (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes). Both GCM
 * operations authenticate the version, the key id and the secret's place (table, column, row id) as
 * additional data, so a value copied into another row, or its header edited, does not decrypt.
 * A value without the prefix is a secret stored before the key was set, and is read as it is.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** What every encrypted value starts with: the scheme and its format version. */
export const ENCRYPTED_PREFIX = 'rcenc:v1:';

/** The variables the keys come from, named by every message about them. */
export const KEY_VARIABLE = 'ROLLCALL_ENCRYPTION_KEY';
export const PREVIOUS_KEYS_VARIABLE = 'ROLLCALL_PREVIOUS_ENCRYPTION_KEYS';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** 32 random bytes have about 30 distinct values; fewer than this is a pattern, not randomness. */
const MIN_DISTINCT_BYTES = 16;
const KEY_ID_LABEL = 'rollcall encryption key id';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A key-encryption key and its id. */
export interface EncryptionKey {
  /** 16 hex digits, stored with every value it seals; safe to print. */
  readonly id: string;
  readonly key: KeyObject;
}

/** Where a secret is stored: authenticated with it, so it decrypts only there. */
export interface SecretLocation {
  table: string;
  column: string;
  /** The row's primary key. */
  id: string;
}

/** Why a stored value cannot be read. */
export type UnreadableReason = 'no-key' | 'unknown-key' | 'malformed' | 'tampered';

/** A stored secret that cannot be decrypted with the configured keys; the message never holds the value. */
export class SecretUnreadable extends Error {
  override name = 'SecretUnreadable';
  constructor(
    readonly reason: UnreadableReason,
    readonly location: SecretLocation,
    /** The key id the value names, when it has one. */
    readonly keyId: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The id of a key: the first 8 bytes of HMAC-SHA-256(key, label), in hex. */
function keyIdOf(key: KeyObject): string {
  return createHmac('sha256', key).update(KEY_ID_LABEL).digest('hex').slice(0, 16);
}

/**
 * Reads a key: 32 bytes as 64 hex digits, or as base64 or base64url (43 characters, or 44 with `=`),
 * as `openssl rand -base64 32` or `openssl rand -hex 32` print them. Throws an Error whose message
 * says what is wrong, never the value. Keys that are plainly not random are refused: fewer than 16
 * distinct bytes (all zeros, a repeated pattern; 1 in 10^16 for random bytes), or only printable
 * ASCII (a password, encoded).
 */
export function parseEncryptionKey(text: string): EncryptionKey {
  const value = text.trim();
  let bytes: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) bytes = Buffer.from(value, 'hex');
  else {
    const unpadded = value.replace(/=$/, '');
    const url = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
    if (unpadded.length === 43 && BASE64URL.test(url) && (value.length === 43 || value.endsWith('='))) {
      const decoded = Buffer.from(url, 'base64url');
      // The last character carries 4 spare bits: only one spelling of the 32 bytes is accepted.
      if (decoded.length === KEY_BYTES && decoded.toString('base64url') === url) bytes = decoded;
    }
  }
  if (!bytes) throw new Error(`must be 32 random bytes as 64 hex digits or as base64 (openssl rand -base64 32); got ${value.length} characters that are neither`);
  if (new Set(bytes).size < MIN_DISTINCT_BYTES) throw new Error('is not random enough (too few distinct bytes); generate one with openssl rand -base64 32');
  // 32 random bytes are all printable ASCII with odds of 1 in 10^14: this is a password, encoded.
  if (bytes.every((b) => b >= 0x20 && b <= 0x7e)) throw new Error('is text encoded, not random bytes; generate one with openssl rand -base64 32');
  const key = createSecretKey(bytes);
  return { id: keyIdOf(key), key };
}

/** The additional authenticated data of a value: its header and its place. */
function additionalData(keyId: string, at: SecretLocation): Buffer {
  return Buffer.from(`${ENCRYPTED_PREFIX}${keyId}\n${JSON.stringify([at.table, at.column, at.id])}`, 'utf8');
}

function gcmSeal(key: KeyObject | Buffer, plain: Buffer, aad: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString('base64url');
}

/** The plaintext, or undefined when the tag does not verify (wrong key, other place, altered bytes). */
function gcmOpen(key: KeyObject | Buffer, sealed: Buffer, aad: Buffer): Buffer | undefined {
  if (sealed.length < IV_BYTES + TAG_BYTES) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Decodes one base64url part, refusing other spellings (so an edited value is malformed, not re-read). */
function part(text: string | undefined): Buffer | undefined {
  if (!text || !BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** The parts of an encrypted value; undefined when it does not have the shape of one. */
function parse(stored: string): { keyId: string; wrapped: Buffer; sealed: Buffer } | undefined {
  const [keyId, wrapped, sealed, ...rest] = stored.slice(ENCRYPTED_PREFIX.length).split(':');
  if (rest.length > 0 || !keyId || !/^[0-9a-f]{16}$/.test(keyId)) return undefined;
  const w = part(wrapped);
  const s = part(sealed);
  return w && s ? { keyId, wrapped: w, sealed: s } : undefined;
}

/** How a stored value is kept: in plain text, or encrypted under the key of this id. */
export type StoredForm = { encrypted: false } | { encrypted: true; keyId: string };

const where = (at: SecretLocation) => `${at.table}.${at.column} of row "${at.id}"`;

/**
 * The configured keys: `current` (ROLLCALL_ENCRYPTION_KEY) encrypts and decrypts, `previous`
 * (ROLLCALL_PREVIOUS_ENCRYPTION_KEYS) only decrypt. Without a current key secrets are stored in plain
 * text, as before encryption was configured.
 */
export class Keyring {
  /** No keys: secrets are stored as they are, and an encrypted one cannot be read. */
  static readonly none = new Keyring(undefined, []);

  readonly previous: readonly EncryptionKey[];

  constructor(
    readonly current: EncryptionKey | undefined,
    previous: readonly EncryptionKey[] = [],
  ) {
    if (!current && previous.length > 0) throw new Error(`${PREVIOUS_KEYS_VARIABLE} needs ${KEY_VARIABLE}: previous keys only decrypt`);
    // The current key listed among the previous ones too (common mid-rotation) is the current key.
    this.previous = previous.filter((key, i) => key.id !== current?.id && previous.findIndex((k) => k.id === key.id) === i);
  }

  /** The key of this id, current or previous. */
  private find(keyId: string): EncryptionKey | undefined {
    return this.current?.id === keyId ? this.current : this.previous.find((key) => key.id === keyId);
  }

  /** The value to store for `plain` at `at`: encrypted under the current key, or `plain` without one. */
  seal(plain: string, at: SecretLocation): string {
    if (!this.current) return plain;
    const { id, key } = this.current;
    const dataKey = randomBytes(KEY_BYTES);
    const aad = additionalData(id, at);
    const value = `${ENCRYPTED_PREFIX}${id}:${gcmSeal(key, dataKey, aad)}:${gcmSeal(dataKey, Buffer.from(plain, 'utf8'), aad)}`;
    dataKey.fill(0);
    return value;
  }

  /** Whether a stored value is encrypted, and under which key (nothing is decrypted). */
  static formOf(stored: string): StoredForm {
    if (!stored.startsWith(ENCRYPTED_PREFIX)) return { encrypted: false };
    const keyId = stored.slice(ENCRYPTED_PREFIX.length).split(':', 1)[0] ?? '';
    return { encrypted: true, keyId };
  }

  /** The secret of a stored value: decrypted, or as it is when stored in plain text. Throws SecretUnreadable. */
  open(stored: string, at: SecretLocation): string {
    if (!stored.startsWith(ENCRYPTED_PREFIX)) return stored;
    const parts = parse(stored);
    if (!parts) throw new SecretUnreadable('malformed', at, undefined, `${where(at)} starts with ${ENCRYPTED_PREFIX} but is not a value Rollcall encrypted`);
    const key = this.find(parts.keyId);
    if (!key) {
      throw this.current
        ? new SecretUnreadable('unknown-key', at, parts.keyId, `${where(at)} is encrypted with key id ${parts.keyId}, which is neither ${KEY_VARIABLE} (key id ${this.current.id}) nor one of ${PREVIOUS_KEYS_VARIABLE}`)
        : new SecretUnreadable('no-key', at, parts.keyId, `${where(at)} is encrypted with key id ${parts.keyId}, but ${KEY_VARIABLE} is not set`);
    }
    const aad = additionalData(parts.keyId, at);
    const dataKey = parts.wrapped.length === IV_BYTES + KEY_BYTES + TAG_BYTES ? gcmOpen(key.key, parts.wrapped, aad) : undefined;
    const plain = dataKey && gcmOpen(dataKey, parts.sealed, aad);
    dataKey?.fill(0);
    if (!plain) throw new SecretUnreadable('tampered', at, parts.keyId, `${where(at)} does not decrypt with key id ${parts.keyId}: it was altered, or copied from another row`);
    return plain.toString('utf8');
  }
}
