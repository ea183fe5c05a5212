/**
 * Time-ordered UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds, then randomness. New rows
 * land at the end of their primary-key index instead of at a random page, which keeps inserts into
 * a million-row table as cheap as into an empty one. 74 random bits keep them unguessable enough
 * for identifiers (they are not secrets; tokens use generateToken).
 */
import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/** A new UUIDv7, lower-case. Within one millisecond, ids of this process still increase. */
export function newId(): string {
  const now = Date.now();
  const bytes = randomBytes(16);
  if (now === lastMs) counter = (counter + 1) & 0xfff;
  else {
    lastMs = now;
    counter = bytes.readUInt16BE(6) & 0x7ff;
  }
  bytes.writeUIntBE(now, 0, 6);
  // Version 7 and a 12-bit counter in rand_a (RFC 9562 §6.2 method 1), the variant bits in byte 8.
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
