/** Envelope encryption of stored secrets (encryption.ts): the format, its failures, the keys it accepts. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ENCRYPTED_PREFIX, Keyring, SecretUnreadable, parseEncryptionKey, type SecretLocation } from './encryption.js';

const newKey = () => parseEncryptionKey(randomBytes(32).toString('base64'));
const AT: SecretLocation = { table: 'webhooks', column: 'secret', id: '0190b6f4-1111-7000-8000-000000000001' };
const SECRET = 'whsec_' + randomBytes(32).toString('base64url');

/** The error `open` throws, to inspect its reason. */
function openError(keys: Keyring, stored: string, at: SecretLocation = AT): SecretUnreadable {
  try {
    keys.open(stored, at);
  } catch (error) {
    if (error instanceof SecretUnreadable) return error;
    throw error;
  }
  throw new Error('open did not throw');
}

/** `stored` with one bit flipped in the middle of its part `index` (0 key id, 1 wrapped data key, 2 sealed secret). */
function flip(stored: string, index: number): string {
  const parts = stored.slice(ENCRYPTED_PREFIX.length).split(':');
  const bytes = Buffer.from(parts[index], 'base64url');
  bytes[bytes.length >> 1] ^= 0x01;
  parts[index] = bytes.toString('base64url');
  return ENCRYPTED_PREFIX + parts.join(':');
}

describe('envelope encryption of stored secrets', () => {
  it('round-trips, with a fresh data key and IV each time, in the versioned format naming the key id', () => {
    const key = newKey();
    const keys = new Keyring(key);
    const first = keys.seal(SECRET, AT);
    const second = keys.seal(SECRET, AT);
    expect(first).toMatch(new RegExp(`^rcenc:v1:${key.id}:[A-Za-z0-9_-]{80}:[A-Za-z0-9_-]+$`));
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
    expect(first).not.toContain(SECRET);
    expect(first).not.toBe(second);
    // Different wrapped data keys, not only different IVs.
    expect(first.split(':')[3]).not.toBe(second.split(':')[3]);
    expect(keys.open(first, AT)).toBe(SECRET);
    expect(keys.open(second, AT)).toBe(SECRET);
    expect(keys.open(keys.seal('', AT), AT)).toBe('');
    expect(keys.open(keys.seal('ünïcødé 🔑', AT), AT)).toBe('ünïcødé 🔑');
    expect(Keyring.formOf(first)).toEqual({ encrypted: true, keyId: key.id });
  });

  it('stores and reads plain text without a key, and reads plain text with one (rows from before the key)', () => {
    expect(Keyring.none.seal(SECRET, AT)).toBe(SECRET);
    expect(Keyring.none.open(SECRET, AT)).toBe(SECRET);
    expect(new Keyring(newKey()).open(SECRET, AT)).toBe(SECRET);
    expect(Keyring.formOf(SECRET)).toEqual({ encrypted: false });
  });

  it('refuses a value whose wrapped key, ciphertext or header was altered', () => {
    const key = newKey();
    const keys = new Keyring(key);
    const stored = keys.seal(SECRET, AT);
    for (const tampered of [flip(stored, 1), flip(stored, 2)]) {
      expect(tampered).not.toBe(stored);
      expect(openError(keys, tampered)).toMatchObject({ reason: 'tampered', keyId: key.id });
    }
    // A truncated tag, a part cut off, an extra part, a non-canonical spelling: malformed.
    const [wrapped, sealed] = stored.slice(ENCRYPTED_PREFIX.length + 17).split(':');
    for (const broken of [stored.slice(0, -4), `${ENCRYPTED_PREFIX}${key.id}:${wrapped}`, `${stored}:x`, `${ENCRYPTED_PREFIX}${key.id}:${wrapped}:${sealed}=`, `${ENCRYPTED_PREFIX}nothex:${wrapped}:${sealed}`]) {
      const error = openError(keys, broken);
      expect(['malformed', 'tampered'], broken).toContain(error.reason);
    }
    expect(openError(keys, `${ENCRYPTED_PREFIX}${key.id}:${wrapped}`).reason).toBe('malformed');
    // Claiming another key id (the header is authenticated): the key named is not configured.
    const other = newKey();
    const relabelled = stored.replace(key.id, other.id);
    expect(openError(new Keyring(other), relabelled).reason).toBe('tampered');
  });

  it('decrypts only at the place it was sealed for (table, column, row id as additional data)', () => {
    const keys = new Keyring(newKey());
    const stored = keys.seal(SECRET, AT);
    for (const elsewhere of [{ ...AT, id: '0190b6f4-1111-7000-8000-000000000002' }, { ...AT, table: 'settings' }, { ...AT, column: 'url' }]) {
      expect(openError(keys, stored, elsewhere).reason).toBe('tampered');
    }
    expect(keys.open(stored, { ...AT })).toBe(SECRET);
  });

  it('recognises a value sealed under another key by its key id, with or without a key configured', () => {
    const old = newKey();
    const stored = new Keyring(old).seal(SECRET, AT);
    const wrong = openError(new Keyring(newKey()), stored);
    expect(wrong).toMatchObject({ reason: 'unknown-key', keyId: old.id });
    expect(wrong.message).toContain('ROLLCALL_ENCRYPTION_KEY');
    expect(wrong.message).toContain('ROLLCALL_PREVIOUS_ENCRYPTION_KEYS');
    const none = openError(Keyring.none, stored);
    expect(none).toMatchObject({ reason: 'no-key', keyId: old.id });
    expect(none.message).toContain('ROLLCALL_ENCRYPTION_KEY is not set');
    for (const error of [wrong, none]) expect(error.message).not.toContain(SECRET);
  });

  it('rotates: previous keys decrypt, only the current key encrypts', () => {
    const old = newKey();
    const current = newKey();
    const stored = new Keyring(old).seal(SECRET, AT);
    const rotated = new Keyring(current, [old]);
    expect(rotated.open(stored, AT)).toBe(SECRET);
    const resealed = rotated.seal(rotated.open(stored, AT), AT);
    expect(Keyring.formOf(resealed)).toEqual({ encrypted: true, keyId: current.id });
    // Once re-sealed, the old key is no longer needed; it alone cannot read the new value.
    expect(new Keyring(current).open(resealed, AT)).toBe(SECRET);
    expect(openError(new Keyring(old), resealed).reason).toBe('unknown-key');
    // The current key listed among the previous ones too is just the current key.
    expect(new Keyring(current, [current, old, old]).previous.map((k) => k.id)).toEqual([old.id]);
    expect(() => new Keyring(undefined, [old])).toThrow(/ROLLCALL_PREVIOUS_ENCRYPTION_KEYS needs ROLLCALL_ENCRYPTION_KEY/);
  });
});

describe('ROLLCALL_ENCRYPTION_KEY values', () => {
  const bytes = randomBytes(32);

  it('accepts 32 bytes as hex, base64 and base64url, with the same key id', () => {
    const spellings = [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64').replace(/=$/, ''), bytes.toString('base64url'), ` ${bytes.toString('base64')}\n`];
    const ids = spellings.map((text) => parseEncryptionKey(text).id);
    expect(new Set(ids).size).toBe(1);
    // The id is derived, not a piece of the key.
    expect(bytes.toString('hex')).not.toContain(ids[0]);
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['64 bytes', randomBytes(64).toString('hex')],
    ['a passphrase', 'correct horse battery staple, and some more'],
    ['hex with a stray character', bytes.toString('hex').slice(0, 63) + 'g'],
    ['base64 with the wrong padding', bytes.toString('base64url') + '=='],
    ['an empty string', ''],
  ])('refuses %s with a message that never holds the value', (_, text) => {
    expect(() => parseEncryptionKey(text)).toThrow(/must be 32 random bytes as 64 hex digits or as base64/);
    try {
      parseEncryptionKey(text);
    } catch (error) {
      if (text) expect((error as Error).message).not.toContain(text);
    }
  });

  it('refuses well-formed keys that are not random', () => {
    const pattern = randomBytes(8);
    for (const weak of [Buffer.alloc(32), Buffer.alloc(32, 0xa7), Buffer.concat([pattern, pattern, pattern, pattern])]) {
      expect(() => parseEncryptionKey(weak.toString('base64'))).toThrow(/not random enough/);
      expect(() => parseEncryptionKey(weak.toString('hex'))).toThrow(/not random enough/);
    }
    // A password of 32 characters, base64-encoded.
    expect(() => parseEncryptionKey(Buffer.from('my-database-encryption-key-2026!').toString('base64'))).toThrow(/is text encoded, not random bytes/);
  });
});
