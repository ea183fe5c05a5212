/**
 * `rollcall.connections`: a tenant's SCIM connections (the Frontegg-compatible configuration API), with
 * their bearer tokens, IP allowlists, compatibility switches and attribute mappings, and the connections
 * Rollcall reads from Google Workspace.
 */
import type { ApiClient } from './api-client.js';
import { AttributeMappingsApi } from './attributes.js';
import { DeprovisioningApi } from './deprovisioning.js';
import { GoogleWorkspaceApi } from './google-workspace.js';
import type { Json, Query, RequestBody } from './operations.js';

/** A connection, as listed and read (never with a token). */
export type Connection = Json<'/directory/resources/v1/configurations/scim2/{id}', 'get'>;
/** A connection as created: with its first bearer token, shown once. */
export type CreatedConnection = Json<'/directory/resources/v1/configurations/scim2', 'post'>;
/** What creates a connection. */
export type NewConnection = RequestBody<'/directory/resources/v1/configurations/scim2', 'post'>;
/** What changes a connection. */
export type ConnectionUpdate = RequestBody<'/directory/resources/v1/configurations/scim2/{id}', 'patch'>;
/** Filters of `connections.list` besides the tenant. */
export type ConnectionFilters = Omit<Query<'/directory/resources/v1/configurations/scim2', 'get'>, 'tenantId'>;
/** A connection's bearer token, without its secret. */
export type ConnectionToken = Json<'/api/v1/connections/{id}/tokens', 'get'>['items'][number];
/** A new bearer token, with its secret, shown once. */
export type CreatedConnectionToken = Json<'/api/v1/connections/{id}/tokens', 'post'>;
/** When a new token expires: `expiresIn` seconds or an `expiresAt` time; neither for never. */
export type NewConnectionToken = RequestBody<'/api/v1/connections/{id}/tokens', 'post'>;
/** A connection's compatibility switches. */
export type Compatibility = Json<'/api/v1/connections/{id}/compatibility', 'get'>;
/** The switches to change; null puts one back to its default. */
export type CompatibilityUpdate = RequestBody<'/api/v1/connections/{id}/compatibility', 'put'>;

/**
 * What switching a staging connection to syncToUserManagement would show the app: its users, groups,
 * user memberships, the roles its groups would grant and the users who would look like duplicates,
 * counted, with samples of the first 20 in creation order.
 */
export type GoLivePreview = Json<'/api/v1/connections/{id}/go-live-preview', 'get'>;
/** A user of a staging connection, as the go-live preview samples it. */
export type GoLivePreviewUser = GoLivePreview['users']['sample'][number];
/** A user of a staging connection whose primary email a user of the tenant directory has already. */
export type GoLivePreviewMatch = GoLivePreview['matches']['sample'][number];

/** `connections.tokens`: a connection's bearer tokens. */
export class ConnectionTokens {
  constructor(private readonly api: ApiClient) {}

  /** The connection's tokens (never their secrets). */
  async list(connectionId: string): Promise<ConnectionToken[]> {
    return (await this.api.call('listConnectionTokens', { path: { id: connectionId } })).items;
  }

  /** Issues another token; its secret is in the answer only. */
  create(connectionId: string, body: NewConnectionToken = {}): Promise<CreatedConnectionToken> {
    return this.api.call('createConnectionToken', { path: { id: connectionId }, body });
  }

  /** Revokes a token at once (RollcallConflictError for the connection's last live token). */
  async revoke(connectionId: string, tokenId: string): Promise<void> {
    await this.api.call('revokeConnectionToken', { path: { id: connectionId, tokenId } });
  }
}

/** `connections.ipAllowlist`: the addresses a connection's SCIM requests may come from. */
export class IpAllowlist {
  constructor(private readonly api: ApiClient) {}

  /** The allowlist; empty allows every address. */
  async get(connectionId: string): Promise<string[]> {
    return (await this.api.call('getIpAllowlist', { path: { id: connectionId } })).ipAllowlist;
  }

  /** Replaces the allowlist with these addresses and CIDR blocks; answers the stored list. */
  async set(connectionId: string, ipAllowlist: readonly string[]): Promise<string[]> {
    return (await this.api.call('setIpAllowlist', { path: { id: connectionId }, body: { ipAllowlist: [...ipAllowlist] } })).ipAllowlist;
  }
}

/** `connections.compatibility`: switches for identity providers that bend SCIM. */
export class CompatibilitySwitches {
  constructor(private readonly api: ApiClient) {}

  /** The switches, with their defaults. */
  get(connectionId: string): Promise<Compatibility> {
    return this.api.call('getCompatibility', { path: { id: connectionId } });
  }

  /** Changes the switches given; answers all of them. */
  set(connectionId: string, body: CompatibilityUpdate): Promise<Compatibility> {
    return this.api.call('setCompatibility', { path: { id: connectionId }, body });
  }
}

/** Creates, reads, changes and deletes connections. */
export class Connections {
  readonly tokens: ConnectionTokens;
  readonly ipAllowlist: IpAllowlist;
  readonly compatibility: CompatibilitySwitches;
  readonly attributeMappings: AttributeMappingsApi;
  /** Connections read from a Google Workspace directory. */
  readonly googleWorkspace: GoogleWorkspaceApi;
  /** Safe deprovisioning: the guard and the review of held changes. */
  readonly deprovisioning: DeprovisioningApi;

  constructor(private readonly api: ApiClient) {
    this.tokens = new ConnectionTokens(api);
    this.ipAllowlist = new IpAllowlist(api);
    this.compatibility = new CompatibilitySwitches(api);
    this.attributeMappings = new AttributeMappingsApi(api);
    this.googleWorkspace = new GoogleWorkspaceApi(api);
    this.deprovisioning = new DeprovisioningApi(api);
  }

  /**
   * Every connection of a tenant (of the whole environment without `tenantId`). The API answers them
   * in one response; the iterator keeps the shape of the other lists.
   */
  async *list(tenantId?: string, filters: ConnectionFilters = {}): AsyncGenerator<Connection, void, undefined> {
    yield* await this.api.call('listConnections', { query: { ...filters, tenantId } });
  }

  /** Creates a connection for a tenant; the answer holds its first bearer token, shown once. */
  create(tenantId: string, body: NewConnection): Promise<CreatedConnection> {
    return this.api.call('createConnection', { headers: { 'frontegg-tenant-id': tenantId }, body });
  }

  /** One connection. */
  get(id: string): Promise<Connection> {
    return this.api.call('getConnection', { path: { id } });
  }

  /** Renames a connection or changes whether it syncs to user management. */
  async update(id: string, body: ConnectionUpdate): Promise<void> {
    await this.api.call('updateConnection', { path: { id }, body });
  }

  /**
   * What switching a staging connection (syncToUserManagement false) on would put in the tenant directory
   * and the events it would emit, with the users who would look like duplicates (RollcallConflictError
   * when the connection is live already).
   */
  goLivePreview(id: string): Promise<GoLivePreview> {
    return this.api.call('goLivePreview', { path: { id } });
  }

  /**
   * Deletes a connection; its token stops working at once. With `removeUsersAndGroups` its users and
   * groups go too, otherwise they stay, detached.
   */
  async delete(id: string, options: { removeUsersAndGroups?: boolean } = {}): Promise<void> {
    await this.api.call('deleteConnection', { path: { id }, query: { removeUsersAndGroups: options.removeUsersAndGroups } });
  }
}
