/**
 * `rollcall.connections.googleWorkspace`: connections that Rollcall reads from a Google Workspace
 * directory — creating one, authorizing it (a super-admin's consent or a service account), what it
 * syncs, "Sync now", and its sync history.
 */
import type { ApiClient } from './api-client.js';
import type { Json, RequestBody } from './operations.js';
import { cursorPaged } from './pagination.js';

/** A new Google Workspace connection, with its Google state. */
export type GoogleWorkspaceConnection = Json<'/api/v1/tenants/{tenantId}/connections', 'post'>;
/** What creates one (`type` is `google-workspace`). */
export type NewGoogleWorkspaceConnection = Omit<RequestBody<'/api/v1/tenants/{tenantId}/connections', 'post'>, 'type'>;
/** Its authorization, selection, schedule and last sync. */
export type GoogleWorkspaceState = Json<'/api/v1/connections/{id}/google-workspace', 'get'>;
/** What it syncs and how often. */
export type GoogleWorkspaceSettings = RequestBody<'/api/v1/connections/{id}/google-workspace', 'put'>;
/** A service account key (the JSON file, as an object or text) and the admin it acts as. */
export type GoogleServiceAccount = RequestBody<'/api/v1/connections/{id}/google-workspace/service-account', 'put'>;
/** One sync: start, end, counts, error. */
export type GoogleWorkspaceSync = Json<'/api/v1/connections/{id}/google-workspace/syncs', 'get'>['items'][number];
/** A group of the domain, as Google lists it now. */
export type GoogleWorkspaceGroup = Json<'/api/v1/connections/{id}/google-workspace/groups', 'get'>['items'][number];

export class GoogleWorkspaceApi {
  constructor(private readonly api: ApiClient) {}

  /** Creates a Google Workspace connection for a tenant; it waits for an admin to authorize it. */
  create(tenantId: string, body: NewGoogleWorkspaceConnection): Promise<GoogleWorkspaceConnection> {
    return this.api.call('createGoogleWorkspaceConnection', { path: { tenantId }, body: { ...body, type: 'google-workspace' } });
  }

  get(connectionId: string): Promise<GoogleWorkspaceState> {
    return this.api.call('getGoogleWorkspace', { path: { id: connectionId } });
  }

  /** Chooses the whole domain or some groups, and the interval; a changed selection syncs at once. */
  configure(connectionId: string, body: GoogleWorkspaceSettings): Promise<GoogleWorkspaceState> {
    return this.api.call('configureGoogleWorkspace', { path: { id: connectionId }, body });
  }

  /** Google's consent URL for a super-admin; the browser returns to `returnTo` (a path on the Rollcall server). */
  async startOAuth(connectionId: string, returnTo?: string): Promise<string> {
    return (await this.api.call('startGoogleWorkspaceOAuth', { path: { id: connectionId }, body: returnTo === undefined ? {} : { returnTo } })).url;
  }

  /** Authorizes with a service account that has domain-wide delegation (RollcallValidationError with Google's reason). */
  setServiceAccount(connectionId: string, body: GoogleServiceAccount): Promise<GoogleWorkspaceState> {
    return this.api.call('setGoogleWorkspaceServiceAccount', { path: { id: connectionId }, body });
  }

  /** Sync now: a Rollcall process starts it within seconds. */
  async syncNow(connectionId: string): Promise<void> {
    await this.api.call('syncGoogleWorkspace', { path: { id: connectionId } });
  }

  /** Its syncs, newest first, page by page. */
  syncs(connectionId: string, pageSize?: number): AsyncGenerator<GoogleWorkspaceSync, void, undefined> {
    return cursorPaged((cursor) => this.api.call('listGoogleWorkspaceSyncs', { path: { id: connectionId }, query: { cursor, limit: pageSize } }));
  }

  /** The domain's groups, read from Google now. */
  async groups(connectionId: string): Promise<GoogleWorkspaceGroup[]> {
    return (await this.api.call('listGoogleWorkspaceGroups', { path: { id: connectionId } })).items;
  }
}
