/** SCIM connections (Frontegg's "SCIM configurations"): create, list, update, delete, authenticate. */
import { randomUUID } from 'node:crypto';
import { isForeignKeyViolation } from '../db/errors.js';
import { nowIso } from '../db/time.js';
import { notFound } from '../http/api-errors.js';
import { TOKEN_PREFIXES, constantTimeEqual, generateToken, hashToken } from '../security/secrets.js';
import type { TenantStore } from '../tenants/store.js';
import { ScimAuthCache } from './scim-auth-cache.js';
import type { Source } from './sources.js';
import type { ConnectionFilter, ConnectionRow, ConnectionStore } from './store.js';

/** A connection as listed: never its token or the token's hash. */
export interface Connection {
  id: string;
  tenantId: string;
  connectionName: string;
  source: string;
  syncToUserManagement: boolean;
  lastSync: string | null;
  createdAt: string;
  provisioningUrl: string;
}

/** What creation returns: the connection and its token, shown this once. */
export interface CreatedConnection extends Connection {
  token: string;
}

/** The connection a SCIM request is authorised for. */
export interface ScimContext {
  connectionId: string;
  tenantId: string;
  syncToUserManagement: boolean;
  tokenId: string;
  /** The provisioning URL: base of every `meta.location`. */
  baseUrl: string;
  /** The connection's IP allowlist as stored (JSON array of CIDRs), or null: see src/limits/scim-guard.ts. */
  ipAllowlist: string | null;
}

const CONNECTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How many characters of a token identify it in lists (prefix + a few random ones). */
const VISIBLE_TOKEN_CHARS = TOKEN_PREFIXES.connection.length + 4;

/** Logic of the connections domain. */
export class ConnectionService {
  /** Tokens resolved in the last seconds (src/connections/scim-auth-cache.ts). */
  private readonly scimAuth = new ScimAuthCache<ScimContext>();

  constructor(
    private readonly store: ConnectionStore,
    private readonly tenants: TenantStore,
    private readonly publicUrl: string,
  ) {}

  /** The URL the customer pastes into its IdP. */
  provisioningUrl(id: string): string {
    return `${this.publicUrl}/directory/resources/scim/v2.0/${id}`;
  }

  private toConnection(row: ConnectionRow): Connection {
    return {
      id: row.id,
      tenantId: row.tenant_id,
      connectionName: row.connection_name,
      source: row.source,
      syncToUserManagement: row.sync_to_user_management === 1,
      lastSync: row.last_sync_at,
      createdAt: row.created_at,
      provisioningUrl: this.provisioningUrl(row.id),
    };
  }

  async create(tenantId: string, input: { source: Source; connectionName: string; syncToUserManagement: boolean }): Promise<CreatedConnection> {
    if (!(await this.tenants.find(tenantId))) throw notFound(`Tenant "${tenantId}" not found`);
    const now = nowIso();
    const row: ConnectionRow = {
      id: randomUUID(),
      tenant_id: tenantId,
      source: input.source,
      connection_name: input.connectionName,
      sync_to_user_management: input.syncToUserManagement ? 1 : 0,
      created_at: now,
      updated_at: now,
      last_sync_at: null,
    };
    const token = generateToken(TOKEN_PREFIXES.connection);
    try {
      await this.store.insertWithToken(row, { id: randomUUID(), hash: hashToken(token), prefix: token.slice(0, VISIBLE_TOKEN_CHARS) }, [
        { type: 'connection.created', resourceId: row.id, data: { ...this.toConnection(row) } },
      ]);
    } catch (error) {
      // The tenant was deleted between the check and the insert.
      if (isForeignKeyViolation(error)) throw notFound(`Tenant "${tenantId}" not found`);
      throw error;
    }
    const connection = this.toConnection(row);
    return { ...connection, token };
  }

  async list(filter: ConnectionFilter): Promise<Connection[]> {
    return (await this.store.list(filter)).map((row) => this.toConnection(row));
  }

  /** The connection, or 404; `tenantId` restricts the lookup to one tenant. */
  async get(id: string, tenantId?: string): Promise<Connection> {
    const row = await this.store.find(id, tenantId);
    if (!row) throw notFound(`SCIM configuration "${id}" not found`);
    return this.toConnection(row);
  }

  async update(id: string, changes: { syncToUserManagement?: boolean; connectionName?: string }, tenantId?: string): Promise<void> {
    const connection = await this.get(id, tenantId);
    const set: { sync_to_user_management?: number; connection_name?: string } = {};
    if (changes.syncToUserManagement !== undefined) set.sync_to_user_management = changes.syncToUserManagement ? 1 : 0;
    if (changes.connectionName !== undefined) set.connection_name = changes.connectionName;
    try {
      if (!(await this.store.update(id, connection.tenantId, set, nowIso()))) throw notFound(`SCIM configuration "${id}" not found`);
    } finally {
      // syncToUserManagement is part of a resolved token.
      this.scimAccessChanged();
    }
  }

  async delete(id: string, options: { removeUsersAndGroups: boolean; tenantId?: string }): Promise<void> {
    const connection = await this.get(id, options.tenantId);
    const event = { type: 'connection.deleted' as const, resourceId: id, data: { ...connection, removeUsersAndGroups: options.removeUsersAndGroups } };
    let deleted: boolean;
    try {
      deleted = await this.store.delete(id, connection.tenantId, options.removeUsersAndGroups, {
        events: [event],
        emitResourceEvents: connection.syncToUserManagement,
        now: nowIso(),
      });
    } finally {
      this.scimAccessChanged();
    }
    if (!deleted) {
      throw notFound(`SCIM configuration "${id}" not found`);
    }
  }

  /**
   * Forgets every token resolved in this process: called after any change to what a SCIM token
   * opens (token revoked, connection updated or deleted, IP allowlist, tenant deleted).
   */
  scimAccessChanged(): void {
    this.scimAuth.clear();
  }

  /**
   * The context of a SCIM request, if `token` is a live token of exactly this connection. A token
   * resolved in the last few seconds is not looked up again (src/connections/scim-auth-cache.ts).
   */
  async authenticateScim(connectionId: string, token: string): Promise<ScimContext | undefined> {
    if (!token.startsWith(TOKEN_PREFIXES.connection) || token.length > 200) return undefined;
    // Connection ids are UUIDs: anything else (a NUL byte, a 500-character segment) cannot match.
    if (!CONNECTION_ID.test(connectionId)) return undefined;
    const hash = hashToken(token);
    const nowMs = Date.now();
    const now = new Date(nowMs).toISOString();
    const cached = this.scimAuth.get(connectionId, hash, nowMs, now);
    if (cached) return constantTimeEqual(cached.tokenHash, hash) ? cached.value : undefined;
    const generation = this.scimAuth.begin();
    const row = await this.store.findByToken(connectionId, hash, now);
    if (!row || !constantTimeEqual(row.tokenHash, hash)) return undefined;
    const context: ScimContext = {
      connectionId: row.connectionId,
      tenantId: row.tenantId,
      syncToUserManagement: row.syncToUserManagement === 1,
      tokenId: row.tokenId,
      baseUrl: this.provisioningUrl(row.connectionId),
      ipAllowlist: row.ipAllowlist ?? null,
    };
    this.scimAuth.set(generation, connectionId, hash, row.expiresAt ?? null, context, nowMs);
    return context;
  }
}
