/**
 * Time-ordered UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds, then randomness. New rows
 * land at the end of their primary-key index instead of at a random page, which keeps inserts into
 * a million-row table as cheap as into an empty one. 74 random bits keep them unguessable enough
 * for identifiers (they are not secrets; tokens use generateToken).
 */
import { randomUUID } from 'node:crypto';

let lastMs = 0;
let counter = 0;

/** A new UUIDv7, lower-case. Within one millisecond, ids of this process still increase. */
export function newId(): string {
  const now = Date.now();
  // The randomness comes from a v4 UUID: Node draws it from a pooled buffer, where randomBytes(16)
  // was a system call per id. Its last 16 hex digits are 62 random bits with the RFC 9562 variant
  // already set: v7's rand_b as it is.
  const random = randomUUID();
  if (now === lastMs) counter = (counter + 1) & 0xfff;
  else {
    lastMs = now;
    counter = parseInt(random.slice(9, 12), 16) & 0x7ff;
  }
  const time = now.toString(16).padStart(12, '0');
  // Version 7 and a 12-bit counter in rand_a (RFC 9562 §6.2 method 1).
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, '0')}-${random.slice(19)}`;
}
