/** Storage of web UI sessions. Only the SHA-256 of a session's cookie token is stored and looked up. */
import type { Kysely } from 'kysely';
import type { Database, UiSessionsTable } from '../db/tables.js';

/** A session row as stored. */
export type SessionRow = UiSessionsTable;

/** Storage port of the sessions domain. */
export class SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: SessionRow): Promise<void> {
    await this.db.insertInto('ui_sessions').values(row).execute();
  }

  /** The dashboard session with this hash if it has not expired at `now`, with its credential's clientId and name. */
  findLiveDashboard(tokenHash: string, now: string) {
    return this.db
      .selectFrom('ui_sessions')
      .innerJoin('vendor_credentials', 'vendor_credentials.id', 'ui_sessions.credential_id')
      .select(['ui_sessions.token_hash as tokenHash', 'ui_sessions.expires_at as expiresAt', 'vendor_credentials.id as credentialId', 'vendor_credentials.client_id as clientId', 'vendor_credentials.name'])
      .where('ui_sessions.token_hash', '=', tokenHash)
      .where('ui_sessions.kind', '=', 'dashboard')
      .where('ui_sessions.expires_at', '>', now)
      .executeTakeFirst();
  }

  /** The portal session with this hash if it has not expired at `now`. */
  findLivePortal(tokenHash: string, now: string): Promise<SessionRow | undefined> {
    return this.db
      .selectFrom('ui_sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('kind', '=', 'portal')
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Deletes the session of this kind with this hash (sign-out); true when there was one. */
  async delete(tokenHash: string, kind: string): Promise<boolean> {
    const result = await this.db.deleteFrom('ui_sessions').where('token_hash', '=', tokenHash).where('kind', '=', kind).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Deletes sessions expired at `now`, at most `batch` at a time; returns how many. */
  async deleteExpired(now: string, batch: number): Promise<number> {
    const victims = this.db.selectFrom('ui_sessions').select('id').where('expires_at', '<=', now).limit(batch);
    const result = await this.db.deleteFrom('ui_sessions').where('id', 'in', victims).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
