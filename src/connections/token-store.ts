/**
 * Storage of a connection's bearer tokens beyond the first (issue, list, revoke, last use) and of
 * its IP allowlist. The tenant is part of every query; each change writes its audit entry in its
 * own transaction.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import { appendWithChange, type AuditRecord } from '../audit/with-change.js';
import type { ConnectionTokensTable, Database } from '../db/tables.js';
import type { ConnectionAccessTables } from './access-tables.js';
import { lockConnection } from './connection-lock.js';

/** A token row without its hash: what lists show. */
export type TokenRow = Pick<ConnectionTokensTable, 'id' | 'token_prefix' | 'created_at' | 'last_used_at' | 'expires_at'>;

/** The outcome of a revocation. */
export type RevokeOutcome = 'revoked' | 'not_found' | 'last_live_token';

/** The outcome of issuing a token. */
export type IssueOutcome = 'issued' | 'not_found' | 'too_many';

/** A live token has no expiry or one in the future. */
function live(now: string) {
  return (eb: ExpressionBuilder<Database, 'connection_tokens'>) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]);
}

export class ConnectionTokenStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The tenant of a connection, if it exists (and belongs to `tenantId`, when one is given). */
  async tenantOf(connectionId: string, tenantId?: string): Promise<string | undefined> {
    // Tokens and allowlists are a SCIM connection's: a directory Rollcall reads (Google Workspace) has none.
    let query = this.db.selectFrom('connections').select('tenant_id').where('id', '=', connectionId).where('source', '!=', 'google-workspace');
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    return (await query.executeTakeFirst())?.tenant_id;
  }

  /** Inserts a token unless the connection already has `maxLive` live tokens. */
  insert(
    tenantId: string,
    connectionId: string,
    token: { id: string; hash: string; prefix: string; createdAt: string; expiresAt: string | null },
    maxLive: number,
    audit?: AuditRecord,
  ): Promise<IssueOutcome> {
    return this.db.transaction().execute(async (trx) => {
      if (!(await lockConnection(trx, tenantId, connectionId))) return 'not_found';
      const { n } = await trx
        .selectFrom('connection_tokens')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('connection_id', '=', connectionId)
        .where('tenant_id', '=', tenantId)
        .where(live(token.createdAt))
        .executeTakeFirstOrThrow();
      if (Number(n) >= maxLive) return 'too_many';
      await trx
        .insertInto('connection_tokens')
        .values({
          id: token.id,
          connection_id: connectionId,
          tenant_id: tenantId,
          token_hash: token.hash,
          token_prefix: token.prefix,
          created_at: token.createdAt,
          last_used_at: null,
          expires_at: token.expiresAt,
        })
        .execute();
      if (audit) await appendWithChange(trx, audit, token.createdAt);
      return 'issued';
    });
  }

  list(tenantId: string, connectionId: string): Promise<TokenRow[]> {
    return this.db
      .selectFrom('connection_tokens')
      .select(['id', 'token_prefix', 'created_at', 'last_used_at', 'expires_at'])
      .where('connection_id', '=', connectionId)
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Deletes a token at once, unless it is the connection's last live one. */
  revoke(tenantId: string, connectionId: string, tokenId: string, now: string, audit?: AuditRecord): Promise<RevokeOutcome> {
    return this.db.transaction().execute(async (trx) => {
      if (!(await lockConnection(trx, tenantId, connectionId))) return 'not_found';
      const tokens = await trx
        .selectFrom('connection_tokens')
        .select(['id', 'expires_at'])
        .where('connection_id', '=', connectionId)
        .where('tenant_id', '=', tenantId)
        .execute();
      const target = tokens.find((t) => t.id === tokenId);
      if (!target) return 'not_found';
      const isLive = (t: { expires_at: string | null }) => t.expires_at === null || t.expires_at > now;
      if (isLive(target) && !tokens.some((t) => t.id !== tokenId && isLive(t))) return 'last_live_token';
      await trx.deleteFrom('connection_tokens').where('id', '=', tokenId).where('connection_id', '=', connectionId).where('tenant_id', '=', tenantId).execute();
      if (audit) await appendWithChange(trx, audit, now);
      return 'revoked';
    });
  }

  /** Sets last_used_at unless another process did so since `notBefore`. */
  async touch(tokenId: string, now: string, notBefore: string): Promise<void> {
    await this.db
      .updateTable('connection_tokens')
      .set({ last_used_at: now })
      .where('id', '=', tokenId)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notBefore)]))
      .execute();
  }

  /** The connection's allowlist as stored (a JSON array), or undefined when it has none. */
  async allowlist(tenantId: string, connectionId: string): Promise<string | undefined> {
    const row = await this.db
      .withTables<ConnectionAccessTables>()
      .selectFrom('connection_ip_allowlists')
      .select('cidrs')
      .where('connection_id', '=', connectionId)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row?.cidrs;
  }

  /** Replaces the allowlist; null removes it (every address allowed). False when the connection does not exist. */
  setAllowlist(tenantId: string, connectionId: string, cidrs: string | null, now: string, audit?: AuditRecord): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      if (!(await lockConnection(trx, tenantId, connectionId))) return false;
      const db = trx.withTables<ConnectionAccessTables>();
      if (cidrs === null) {
        await db.deleteFrom('connection_ip_allowlists').where('connection_id', '=', connectionId).where('tenant_id', '=', tenantId).execute();
      } else {
        await db
          .insertInto('connection_ip_allowlists')
          .values({ connection_id: connectionId, tenant_id: tenantId, cidrs, updated_at: now })
          .onConflict((oc) => oc.column('connection_id').doUpdateSet({ cidrs, updated_at: now }))
          .execute();
      }
      if (audit) await appendWithChange(trx, audit, now);
      return true;
    });
  }
}
