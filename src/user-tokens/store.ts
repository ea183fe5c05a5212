/** Storage of the user-token signing key Rollcall generates: one `settings` row, encrypted when ROLLCALL_ENCRYPTION_KEY is set. */
import type { Kysely } from 'kysely';
import { SIGNING_KEY_SETTING, signingKeyAt } from '../db/stored-secrets.js';
import type { Database } from '../db/tables.js';
import { nowIso } from '../db/time.js';
import type { Keyring } from '../security/encryption.js';

/** Storage port of the generated signing key. */
export class SigningKeyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly keys: Keyring,
  ) {}

  /**
   * The environment's key: `offered` is stored unless a key already is, and the stored one is read
   * back. Racing instances each offer a key; the first insert wins and everyone gets the winner.
   */
  async claim(offered: string): Promise<string> {
    await this.db
      .insertInto('settings')
      .values({ key: SIGNING_KEY_SETTING, value: this.keys.seal(offered, signingKeyAt), updated_at: nowIso() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', SIGNING_KEY_SETTING).executeTakeFirstOrThrow();
    return this.keys.open(row.value, signingKeyAt);
  }
}
