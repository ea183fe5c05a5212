/** SCIM connections (Frontegg's "SCIM configurations"): create, list, update, delete, authenticate. */
import { randomUUID } from 'node:crypto';
import { isForeignKeyViolation } from '../db/errors.js';
import { nowIso } from '../db/time.js';
import { notFound } from '../http/api-errors.js';
import { TOKEN_PREFIXES, constantTimeEqual, generateToken, hashToken } from '../security/secrets.js';
import type { TenantStore } from '../tenants/store.js';
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
    if (!(await this.store.update(id, connection.tenantId, set, nowIso()))) throw notFound(`SCIM configuration "${id}" not found`);
  }

  async delete(id: string, options: { removeUsersAndGroups: boolean; tenantId?: string }): Promise<void> {
    const connection = await this.get(id, options.tenantId);
    const event = { type: 'connection.deleted' as const, resourceId: id, data: { ...connection, removeUsersAndGroups: options.removeUsersAndGroups } };
    const deleted = await this.store.delete(id, connection.tenantId, options.removeUsersAndGroups, {
      events: [event],
      emitResourceEvents: connection.syncToUserManagement,
      now: nowIso(),
    });
    if (!deleted) {
      throw notFound(`SCIM configuration "${id}" not found`);
    }
  }

  /** The context of a SCIM request, if `token` is a live token of exactly this connection. */
  async authenticateScim(connectionId: string, token: string): Promise<ScimContext | undefined> {
    if (!token.startsWith(TOKEN_PREFIXES.connection) || token.length > 200) return undefined;
    // Connection ids are UUIDs: anything else (a NUL byte, a 500-character segment) cannot match.
    if (!CONNECTION_ID.test(connectionId)) return undefined;
    const hash = hashToken(token);
    const row = await this.store.findByToken(connectionId, hash, nowIso());
    if (!row || !constantTimeEqual(row.tokenHash, hash)) return undefined;
    return {
      connectionId: row.connectionId,
      tenantId: row.tenantId,
      syncToUserManagement: row.syncToUserManagement === 1,
      tokenId: row.tokenId,
      baseUrl: this.provisioningUrl(row.connectionId),
      ipAllowlist: row.ipAllowlist ?? null,
    };
  }
}
