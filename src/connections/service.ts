/** SCIM connections (Frontegg's "SCIM configurations"): create, list, update, delete, authenticate. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { storedCatalogue, type Catalogue } from '../attributes/catalogue.js';
import { ConnectionAttributes, storedMappings } from '../attributes/mappings.js';
import type { Actor } from '../audit/actor.js';
import { isForeignKeyViolation } from '../db/errors.js';
import type { Database } from '../db/tables.js';
import type { ScimAccessWatch } from '../db/scim-access-watch.js';
import { nowIso } from '../db/time.js';
import { conflict, notFound } from '../http/api-errors.js';
import { TOKEN_PREFIXES, constantTimeEqual, generateToken, hashToken } from '../security/secrets.js';
import type { TenantStore } from '../tenants/store.js';
import { effectiveCompatibility, type Compatibility } from './compatibility.js';
import { ScimAuthCache } from './scim-auth-cache.js';
import { writeGoLiveEvents } from './go-live-events.js';
import { goLiveStoreOf } from './go-live-store.js';
import { connectionType, type ConnectionType, type Source } from './sources.js';
import type { GOOGLE_WORKSPACE } from '../google-workspace/types.js';
import type { ConnectionFilter, ConnectionRow, ConnectionStore } from './store.js';

/** A connection as listed: never its token or the token's hash. */
export interface Connection {
  id: string;
  tenantId: string;
  connectionName: string;
  source: string;
  /** `scim`: the IdP pushes to it; `google-workspace`: Rollcall reads Google's directory. */
  type: ConnectionType;
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
  /** How this connection's requests are parsed and answered where the RFC allows more than one way. */
  compatibility: Compatibility;
  /** The attribute catalogue of the environment, which /Schemas advertises. */
  catalogue: Catalogue;
  /** The connection's compiled attribute mappings; undefined when the catalogue has nothing on. */
  attributes?: ConnectionAttributes;
}

const CONNECTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How many characters of a token identify it in lists (prefix + a few random ones). */
const VISIBLE_TOKEN_CHARS = TOKEN_PREFIXES.connection.length + 4;

/** Logic of the connections domain. */
export class ConnectionService {
  /** Tokens resolved before, while nothing changed what they open (src/connections/scim-auth-cache.ts). */
  private readonly scimAuth = new ScimAuthCache<ScimContext>();

  /** Changes made by any process to what tokens open (src/db/scim-access-watch.ts); undefined: this process only. */
  private readonly access?: ScimAccessWatch;
  /** Connections a tenant may have for self-service to create another (MAX_CONNECTIONS_PER_TENANT). */
  private readonly selfServiceLimit: number;

  constructor(
    private readonly store: ConnectionStore,
    private readonly tenants: TenantStore,
    private readonly publicUrl: string,
    options: { access?: ScimAccessWatch; selfServiceLimit?: number } = {},
  ) {
    this.access = options.access;
    this.selfServiceLimit = options.selfServiceLimit ?? Number.POSITIVE_INFINITY;
    this.access?.onChange(() => this.scimAuth.clear());
  }

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
      type: connectionType(row.source),
      syncToUserManagement: row.sync_to_user_management === 1,
      lastSync: row.last_sync_at,
      createdAt: row.created_at,
      provisioningUrl: this.provisioningUrl(row.id),
    };
  }

  /**
   * Creates a connection and its first token, with its `connection.created` audit entry by `actor` in
   * the same transaction. `selfService` (a user token asks) caps the tenant's connections at
   * MAX_CONNECTIONS_PER_TENANT (409 beyond); the vendor's environment token is not capped.
   */
  async create(
    actor: Actor,
    tenantId: string,
    input: { source: Source; connectionName: string; syncToUserManagement: boolean },
    options: { selfService?: boolean } = {},
  ): Promise<CreatedConnection> {
    const token = generateToken(TOKEN_PREFIXES.connection);
    const connection = await this.insert(actor, tenantId, input, { id: randomUUID(), hash: hashToken(token), prefix: token.slice(0, VISIBLE_TOKEN_CHARS) }, options);
    return { ...connection, token };
  }

  /**
   * Creates a connection of a directory Rollcall reads (Google Workspace): no SCIM token; `alongside`
   * writes its own rows in the creating transaction. Capped and audited as `create`.
   */
  createDirectory(
    actor: Actor,
    tenantId: string,
    input: { source: typeof GOOGLE_WORKSPACE; connectionName: string; syncToUserManagement: boolean },
    alongside: (trx: Kysely<Database>, connection: Connection) => Promise<unknown>,
    options: { selfService?: boolean } = {},
  ): Promise<Connection> {
    return this.insert(actor, tenantId, input, null, { ...options, alongside });
  }

  private async insert(
    actor: Actor,
    tenantId: string,
    input: { source: string; connectionName: string; syncToUserManagement: boolean },
    token: { id: string; hash: string; prefix: string } | null,
    options: { selfService?: boolean; alongside?: (trx: Kysely<Database>, connection: Connection) => Promise<unknown> },
  ): Promise<Connection> {
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
    const connection = this.toConnection(row);
    const limit = options.selfService ? this.selfServiceLimit : undefined;
    let outcome: Awaited<ReturnType<ConnectionStore['insertWithToken']>>;
    try {
      outcome = await this.store.insertWithToken(
        row,
        token,
        [{ type: 'connection.created', resourceId: row.id, data: { ...connection } }],
        limit,
        {
          actor,
          change: {
            action: 'connection.created',
            tenantId,
            target: { type: 'connection', id: row.id },
            data: { connectionName: input.connectionName, source: input.source, syncToUserManagement: input.syncToUserManagement },
          },
        },
        options.alongside && ((trx) => options.alongside!(trx, connection)),
      );
    } catch (error) {
      // The tenant was deleted between the check and the insert.
      if (isForeignKeyViolation(error)) throw notFound(`Tenant "${tenantId}" not found`);
      throw error;
    }
    if (outcome === 'not_found') throw notFound(`Tenant "${tenantId}" not found`);
    if (outcome === 'too_many') {
      throw conflict(`Tenant "${tenantId}" already has ${limit} SCIM configurations, the most self-service may create (MAX_CONNECTIONS_PER_TENANT); delete one first`);
    }
    return connection;
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

  /**
   * Renames the connection or switches `syncToUserManagement`, with its `connection.updated` audit
   * entry in the same transaction. Switching a staging connection on writes, in that transaction too,
   * the events of everything it holds (src/connections/go-live-events.ts); switching off writes none.
   */
  async update(actor: Actor, id: string, changes: { syncToUserManagement?: boolean; connectionName?: string }, tenantId?: string): Promise<void> {
    const connection = await this.get(id, tenantId);
    const set: { sync_to_user_management?: number; connection_name?: string } = {};
    if (changes.syncToUserManagement !== undefined) set.sync_to_user_management = changes.syncToUserManagement ? 1 : 0;
    if (changes.connectionName !== undefined) set.connection_name = changes.connectionName;
    const audit = { actor, change: { action: 'connection.updated' as const, tenantId: connection.tenantId, target: { type: 'connection', id }, data: { changes } } };
    const now = nowIso();
    try {
      // Whatever `connection` said: the go-live update reads the flag again under the row's lock, so a
      // concurrent switch cannot make both or neither emit.
      const updated =
        changes.syncToUserManagement === true
          ? await goLiveStoreOf(this.store).update(id, connection.tenantId, set, now, audit, (pages, events) =>
              writeGoLiveEvents(pages, events, { tenantId: connection.tenantId, connectionId: id }, now),
            )
          : await this.store.update(id, connection.tenantId, set, now, audit);
      if (!updated) throw notFound(`SCIM configuration "${id}" not found`);
    } finally {
      // syncToUserManagement is part of a resolved token: once this returns, every process resolves
      // tokens again (scimAccessChanged waits until each was told). A request resolved before, as
      // staging, still announces its write exactly once: a staging write reads the flag in its own
      // transaction, holding this row locked (UnitOfWork.liveNow), so it either commits before the
      // go-live takes the row (and is among what it announces) or waits for it and emits its events.
      await this.scimAccessChanged();
    }
  }

  /**
   * Deletes the connection, with its `connection.deleted` event and audit entry in the same transaction.
   * What it provisioned is removed with `removeUsersAndGroups`, else left detached in the tenant
   * directory; a staging connection's (`syncToUserManagement: false`) is always removed, without
   * events: the app never saw it, so it may not appear afterwards as detached data.
   */
  async delete(actor: Actor, id: string, options: { removeUsersAndGroups: boolean; tenantId?: string }): Promise<void> {
    const connection = await this.get(id, options.tenantId);
    const removeUsersAndGroups = options.removeUsersAndGroups || !connection.syncToUserManagement;
    const event = { type: 'connection.deleted' as const, resourceId: id, data: { ...connection, removeUsersAndGroups } };
    const audit = {
      actor,
      change: {
        action: 'connection.deleted' as const,
        tenantId: connection.tenantId,
        target: { type: 'connection', id },
        data: { connectionName: connection.connectionName, source: connection.source, removeUsersAndGroups },
      },
    };
    let deleted: boolean;
    try {
      deleted = await this.store.delete(id, connection.tenantId, removeUsersAndGroups, {
        events: [event],
        // Resource events follow the tenant directory: a staging connection's data was never in it.
        emitResourceEvents: connection.syncToUserManagement,
        now: nowIso(),
        audit,
      });
    } finally {
      await this.scimAccessChanged();
    }
    if (!deleted) {
      throw notFound(`SCIM configuration "${id}" not found`);
    }
  }

  /**
   * Forgets every token resolved in this process, and waits until every other process was told:
   * called after any change to what a SCIM token opens (token revoked, connection updated or deleted,
   * IP allowlist, tenant deleted). The database announces the change itself (migration 0014).
   */
  async scimAccessChanged(): Promise<void> {
    this.scimAuth.clear();
    await this.access?.settle();
  }

  /**
   * The context of a SCIM request, if `token` is a live token of exactly this connection. A token
   * resolved before is not looked up again while nothing changed what it opens, in any process
   * (src/connections/scim-auth-cache.ts); while that cannot be known, every token is looked up.
   */
  async authenticateScim(connectionId: string, token: string): Promise<ScimContext | undefined> {
    if (!token.startsWith(TOKEN_PREFIXES.connection) || token.length > 200) return undefined;
    // Connection ids are UUIDs: anything else (a NUL byte, a 500-character segment) cannot match.
    if (!CONNECTION_ID.test(connectionId)) return undefined;
    const hash = hashToken(token);
    const nowMs = Date.now();
    const now = new Date(nowMs).toISOString();
    // Asked first: it empties the cache when another process changed access since the last request.
    const fresh = this.access?.fresh() ?? true;
    const cached = fresh ? this.scimAuth.get(connectionId, hash, nowMs, now) : undefined;
    if (cached) return constantTimeEqual(cached.tokenHash, hash) ? cached.value : undefined;
    const generation = this.scimAuth.begin();
    const row = await this.store.findByToken(connectionId, hash, now);
    if (!row || !constantTimeEqual(row.tokenHash, hash)) return undefined;
    const catalogue = storedCatalogue(row.attributePredefined === null ? null : { predefined: row.attributePredefined, custom: row.attributeCustom!, custom_schema: row.attributeCustomSchema! });
    const context: ScimContext = {
      connectionId: row.connectionId,
      tenantId: row.tenantId,
      syncToUserManagement: row.syncToUserManagement === 1,
      tokenId: row.tokenId,
      baseUrl: this.provisioningUrl(row.connectionId),
      ipAllowlist: row.ipAllowlist ?? null,
      compatibility: effectiveCompatibility(row.source, row.compatibility),
      catalogue,
      attributes: ConnectionAttributes.compile(catalogue, row.source as Source, storedMappings(row.attributeMappings)),
    };
    if (fresh) this.scimAuth.set(generation, connectionId, hash, row.expiresAt ?? null, context, nowMs);
    return context;
  }
}
