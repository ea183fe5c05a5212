/**
 * Rollcall's key for the user tokens it mints: configured (USER_TOKEN_SIGNING_KEY), or generated
 * on first use and kept in the `settings` table so that every instance on the database signs and
 * verifies with the same key. Read once per process.
 */
import { createHash, createSecretKey, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { nowIso } from '../db/time.js';
import type { VerificationKey } from './jwt.js';

/** The settings row holding the generated key (never under `builder.`, so the settings API never shows it). */
const SETTING = 'user-tokens.signing-key';

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
    private readonly db: Kysely<Database>,
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
    // Racing instances each offer a key; the first insert wins and everyone reads the winner back.
    await this.db
      .insertInto('settings')
      .values({ key: SETTING, value: randomBytes(32).toString('base64url'), updated_at: nowIso() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', SETTING).executeTakeFirstOrThrow();
    return fromSecret(row.value);
  }
}
