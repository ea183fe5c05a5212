/**
 * Rollcall's key for the user tokens it mints: configured (USER_TOKEN_SIGNING_KEY), or generated
 * on first use and kept in the database (store.ts) so that every instance on the database signs and
 * verifies with the same key. Read once per process.
 */
import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import type { VerificationKey } from './jwt.js';
import type { SigningKeyStore } from './store.js';

/** A signing key and the id its tokens carry in `kid`. */
export interface SigningKey {
  kid: string;
  verification: VerificationKey;
}

function fromSecret(secret: string): SigningKey {
  const kid = `rc-${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
  return { kid, verification: { alg: 'HS256', kid, key: createSecretKey(Buffer.from(secret, 'utf8')) } };
}

/** The environment's signing key, loaded (or created) once. */
export class SigningKeys {
  private loading?: Promise<SigningKey>;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly configured?: string,
  ) {}

  get(): Promise<SigningKey> {
    this.loading ??= this.load().catch((error: unknown) => {
      // A database hiccup must not pin a failed load for the life of the process.
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  private async load(): Promise<SigningKey> {
    if (this.configured) return fromSecret(this.configured);
    return fromSecret(await this.store.claim(randomBytes(32).toString('base64url')));
  }
}
