/**
 * A connection's token lifecycle — a second token so an IdP can be switched without a gap, the
 * list (never the secret), revocation with immediate effect, optional expiry — and its IP allowlist.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../audit/actor.js';
import type { AuditRecord } from '../audit/with-change.js';
import { isForeignKeyViolation } from '../db/errors.js';
import type { Database } from '../db/tables.js';
import { conflict, notFound, validationFailed } from '../http/api-errors.js';
import { AllowlistError, parseAllowlist } from '../limits/ip-allowlist.js';
import { TOKEN_PREFIXES, generateToken, hashToken } from '../security/secrets.js';
import { ConnectionTokenStore, type TokenRow } from './token-store.js';

/** A token as listed: never the secret or its hash. */
export interface ConnectionToken {
  id: string;
  /** The first characters of the token (`rc_scim_` and four more), to tell tokens apart. */
  prefix: string;
  createdAt: string;
  /** To the minute: last use is recorded at most once a minute per token. */
  lastUsedAt: string | null;
  expiresAt: string | null;
  expired: boolean;
}

/** A token as issued: the secret, shown this once. */
export interface IssuedToken extends ConnectionToken {
  token: string;
}

/** How long a token may live at most, and how short. */
export const TOKEN_LIFETIME = { minSeconds: 60, maxSeconds: 10 * 365 * 86_400 } as const;
/** Live tokens per connection: enough for a switch-over, few enough to audit. */
export const MAX_LIVE_TOKENS = 20;
/** Last use is written at most this often per token (per process, and the UPDATE checks across processes). */
const TOUCH_INTERVAL_MS = 60_000;
/** Same as the first token's (src/connections/service.ts): the prefix and four random characters. */
const VISIBLE_TOKEN_CHARS = TOKEN_PREFIXES.connection.length + 4;

/** A change of a connection's access, audited as `connection.updated` with what changed in `data.change`. */
function accessChange(actor: Actor, tenantId: string, connectionId: string, data: Record<string, unknown>): AuditRecord {
  return { actor, change: { action: 'connection.updated', tenantId, target: { type: 'connection', id: connectionId }, data } };
}

function toToken(row: TokenRow, now: string): ConnectionToken {
  return {
    id: row.id,
    prefix: row.token_prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    expired: row.expires_at !== null && row.expires_at <= now,
  };
}

export class ConnectionTokenService {
  private readonly store: ConnectionTokenStore;
  /** When this process last wrote each token's last_used_at (ms). */
  private readonly touched = new Map<string, number>();

  /**
   * `accessChanged` runs after a revocation or an allowlist change: this process forgets resolved tokens
   * at once (src/connections/scim-auth-cache.ts); other processes learn of it from the database (migration 0014).
   */
  constructor(
    db: Kysely<Database>,
    private readonly accessChanged: () => void | Promise<void> = () => {},
  ) {
    this.store = new ConnectionTokenStore(db);
  }

  /** The connection's tenant; 404 when it does not exist, or belongs to another tenant than `scope` (a self-service caller's). */
  private async tenantOf(connectionId: string, scope?: string): Promise<string> {
    const tenantId = await this.store.tenantOf(connectionId, scope);
    if (!tenantId) throw notFound(`SCIM configuration "${connectionId}" not found`);
    return tenantId;
  }

  /** When a token asked to expire `expiresIn` seconds from now, or at `expiresAt`, expires; null for never. */
  private expiry(input: { expiresIn?: number; expiresAt?: string }, nowMs: number): string | null {
    if (input.expiresIn !== undefined && input.expiresAt !== undefined) throw validationFailed('Give expiresIn or expiresAt, not both', 'expiresAt');
    if (input.expiresIn !== undefined) return new Date(nowMs + input.expiresIn * 1000).toISOString();
    if (input.expiresAt === undefined) return null;
    const at = Date.parse(input.expiresAt);
    if (Number.isNaN(at)) throw validationFailed('expiresAt must be an ISO 8601 date-time', 'expiresAt');
    const seconds = (at - nowMs) / 1000;
    if (seconds < TOKEN_LIFETIME.minSeconds) throw validationFailed(`expiresAt must be at least ${TOKEN_LIFETIME.minSeconds} seconds in the future`, 'expiresAt');
    if (seconds > TOKEN_LIFETIME.maxSeconds) throw validationFailed('expiresAt must be within 10 years', 'expiresAt');
    return new Date(at).toISOString();
  }

  /**
   * Issues another token for the connection; the existing ones keep working. `scope` limits it to one
   * tenant's connections (self-service). Audited in the same transaction.
   */
  async issue(actor: Actor, connectionId: string, input: { expiresIn?: number; expiresAt?: string } = {}, scope?: string): Promise<{ tenantId: string; issued: IssuedToken }> {
    const tenantId = await this.tenantOf(connectionId, scope);
    const nowMs = Date.now();
    const createdAt = new Date(nowMs).toISOString();
    const expiresAt = this.expiry(input, nowMs);
    const token = generateToken(TOKEN_PREFIXES.connection);
    const row = { id: randomUUID(), hash: hashToken(token), prefix: token.slice(0, VISIBLE_TOKEN_CHARS), createdAt, expiresAt };
    const audit = accessChange(actor, tenantId, connectionId, { change: 'token.issued', tokenId: row.id, prefix: row.prefix, expiresAt });
    const outcome = await this.store.insert(tenantId, connectionId, row, MAX_LIVE_TOKENS, audit).catch((error: unknown) => {
      if (isForeignKeyViolation(error)) return 'not_found' as const;
      throw error;
    });
    if (outcome === 'not_found') throw notFound(`SCIM configuration "${connectionId}" not found`);
    if (outcome === 'too_many') throw conflict(`The connection already has ${MAX_LIVE_TOKENS} live tokens; revoke one first`);
    const issued = toToken({ id: row.id, token_prefix: row.prefix, created_at: createdAt, last_used_at: null, expires_at: expiresAt }, createdAt);
    return { tenantId, issued: { ...issued, token } };
  }

  async list(connectionId: string, scope?: string): Promise<ConnectionToken[]> {
    const tenantId = await this.tenantOf(connectionId, scope);
    const now = new Date().toISOString();
    return (await this.store.list(tenantId, connectionId)).map((row) => toToken(row, now));
  }

  /**
   * Revokes a token: the next request with it gets 401, in this process and in any other (the delete
   * moves the access version of migration 0014, src/db/scim-access-watch.ts). The last live token cannot be revoked —
   * issue its replacement first, or delete the connection to stop provisioning altogether. Audited in
   * the same transaction.
   */
  async revoke(actor: Actor, connectionId: string, tokenId: string, scope?: string): Promise<{ tenantId: string }> {
    const tenantId = await this.tenantOf(connectionId, scope);
    const audit = accessChange(actor, tenantId, connectionId, { change: 'token.revoked', tokenId });
    let outcome: Awaited<ReturnType<ConnectionTokenStore['revoke']>>;
    try {
      outcome = await this.store.revoke(tenantId, connectionId, tokenId, new Date().toISOString(), audit);
    } finally {
      await this.accessChanged();
    }
    if (outcome === 'not_found') throw notFound(`Token "${tokenId}" of SCIM configuration "${connectionId}" not found`);
    if (outcome === 'last_live_token') {
      throw conflict('This is the connection\'s last live token: issue a new one first (POST …/tokens), or delete the connection to stop provisioning');
    }
    this.touched.delete(tokenId);
    return { tenantId };
  }

  /**
   * Notes that a token was used. Off the request's critical path and at most once a minute per
   * token: a busy IdP would otherwise turn every read into a write.
   */
  touch(tokenId: string): void {
    const nowMs = Date.now();
    if (nowMs - (this.touched.get(tokenId) ?? 0) < TOUCH_INTERVAL_MS) return;
    if (this.touched.size >= 100_000) this.touched.clear();
    this.touched.set(tokenId, nowMs);
    const now = new Date(nowMs).toISOString();
    const notBefore = new Date(nowMs - TOUCH_INTERVAL_MS).toISOString();
    this.store.touch(tokenId, now, notBefore).catch(() => {
      // Losing one last-use update is harmless (a database outage shows elsewhere); retry on the next request.
      this.touched.delete(tokenId);
    });
  }

  /** The connection's IP allowlist; empty when every address may call. */
  async allowlist(connectionId: string): Promise<string[]> {
    const tenantId = await this.tenantOf(connectionId);
    const stored = await this.store.allowlist(tenantId, connectionId);
    return stored ? (JSON.parse(stored) as string[]) : [];
  }

  /** Replaces the IP allowlist (audited in the same transaction); an empty list lets every address call again. Takes effect on the next request. */
  async setAllowlist(actor: Actor, connectionId: string, entries: readonly string[]): Promise<{ tenantId: string; ipAllowlist: string[] }> {
    const tenantId = await this.tenantOf(connectionId);
    let cidrs: string[];
    try {
      cidrs = parseAllowlist(entries);
    } catch (error) {
      if (error instanceof AllowlistError) throw validationFailed(error.message, error.index === undefined ? 'ipAllowlist' : `ipAllowlist.${error.index}`);
      throw error;
    }
    const audit = accessChange(actor, tenantId, connectionId, { change: 'ipAllowlist.replaced', ipAllowlist: cidrs });
    let found: boolean;
    try {
      found = await this.store.setAllowlist(tenantId, connectionId, cidrs.length > 0 ? JSON.stringify(cidrs) : null, new Date().toISOString(), audit);
    } catch (error) {
      if (isForeignKeyViolation(error)) throw notFound(`SCIM configuration "${connectionId}" not found`);
      throw error;
    } finally {
      // The allowlist travels with a resolved token.
      await this.accessChanged();
    }
    if (!found) throw notFound(`SCIM configuration "${connectionId}" not found`);
    return { tenantId, ipAllowlist: cidrs };
  }
}
