/** Shapes of the Google Workspace API answers (src/google-workspace/routes.ts), from the generated types. */
import type { ApiBody, ConnectionOverview } from '../../types.js';

/** GET /api/v1/connections/{id}/google-workspace: authorisation, selection, schedule and last sync. */
export type GoogleState = ApiBody<'/api/v1/connections/{id}/google-workspace', 'get'>;

export type GoogleStatus = GoogleState['status'];

export type Selection = GoogleState['selection'];

/** One sync of a Google Workspace connection. */
export type SyncRecord = NonNullable<GoogleState['lastSync']>;

export type SyncCounts = SyncRecord['counts'];

/** GET …/google-workspace/syncs: a page of syncs, newest first. */
export type SyncPage = ApiBody<'/api/v1/connections/{id}/google-workspace/syncs', 'get'>;

/** GET …/google-workspace/groups: the domain's groups, read from Google now. */
export type GoogleGroupList = ApiBody<'/api/v1/connections/{id}/google-workspace/groups', 'get'>;

export type GoogleGroup = GoogleGroupList['items'][number];

/** What the connection overview says of a Google Workspace connection (null for a SCIM one). */
export type GoogleSummary = NonNullable<ConnectionOverview['googleWorkspace']>;

/** POST /api/v1/tenants/{tenantId}/connections: the new Google Workspace connection with its state. */
export type CreatedGoogleConnection = ApiBody<'/api/v1/tenants/{tenantId}/connections', 'post', 201>;

/** The API path of a connection's Google Workspace routes. */
export const googlePath = (connectionId: string, rest = '') => `/api/v1/connections/${encodeURIComponent(connectionId)}/google-workspace${rest}`;

/** The scopes a service account's client ID is allowed under domain-wide delegation. */
export const DIRECTORY_SCOPES = ['https://www.googleapis.com/auth/admin.directory.user.readonly', 'https://www.googleapis.com/auth/admin.directory.group.readonly'] as const;

/** The interval the API accepts, in minutes. */
export const INTERVAL_LIMITS = { min: 5, max: 1440 } as const;
