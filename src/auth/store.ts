/** Storage of vendor credentials and environment tokens. Only hashes are stored. */
import type { Kysely } from 'kysely';
import type { Database, VendorCredentialsTable } from '../db/tables.js';

export type CredentialRow = VendorCredentialsTable;

/** Storage port of the auth domain. */
export class AuthStore {
  constructor(private readonly db: Kysely<Database>) {}

  findCredentialByClientId(clientId: string): Promise<CredentialRow | undefined> {
    return this.db.selectFrom('vendor_credentials').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  }

  async insertCredential(row: CredentialRow): Promise<void> {
    await this.db.insertInto('vendor_credentials').values(row).execute();
  }

  /** Sets the secret of an existing clientId; its outstanding tokens and web UI sessions are revoked with the old secret. */
  async replaceSecret(clientId: string, secretHash: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('vendor_credentials').select('id').where('client_id', '=', clientId).executeTakeFirst();
      if (!row) return;
      await trx.updateTable('vendor_credentials').set({ secret_hash: secretHash }).where('id', '=', row.id).execute();
      await trx.deleteFrom('environment_tokens').where('credential_id', '=', row.id).execute();
      await trx.deleteFrom('ui_sessions').where('credential_id', '=', row.id).execute();
    });
  }

  async countCredentials(): Promise<number> {
    const row = await this.db.selectFrom('vendor_credentials').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async touchCredential(id: string, at: string): Promise<void> {
    await this.db.updateTable('vendor_credentials').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async insertEnvironmentToken(row: { id: string; tokenHash: string; credentialId: string; createdAt: string; expiresAt: string }): Promise<void> {
    await this.db
      .insertInto('environment_tokens')
      .values({ id: row.id, token_hash: row.tokenHash, credential_id: row.credentialId, created_at: row.createdAt, expires_at: row.expiresAt })
      .execute();
  }

  /** The token with this hash if it has not expired at `now`, with its credential. */
  findLiveEnvironmentToken(tokenHash: string, now: string) {
    return this.db
      .selectFrom('environment_tokens')
      .innerJoin('vendor_credentials', 'vendor_credentials.id', 'environment_tokens.credential_id')
      .select(['environment_tokens.id as tokenId', 'environment_tokens.token_hash as tokenHash', 'vendor_credentials.id as credentialId', 'vendor_credentials.client_id as clientId', 'vendor_credentials.name', 'environment_tokens.expires_at as expiresAt'])
      .where('environment_tokens.token_hash', '=', tokenHash)
      .where('environment_tokens.expires_at', '>', now)
      .executeTakeFirst();
  }

  async deleteExpiredEnvironmentTokens(now: string): Promise<number> {
    const result = await this.db.deleteFrom('environment_tokens').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Inserts a setting unless it exists; true when this call created it (a one-time claim across processes). */
  async claimSetting(key: string, value: string, at: string): Promise<boolean> {
    const result = await this.db
      .insertInto('settings')
      .values({ key, value, updated_at: at })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
