/** What the API says about a Google Workspace connection and its syncs. */

/** The source, and connection type, of a directory read from Google Workspace. */
export const GOOGLE_WORKSPACE = 'google-workspace';

/**
 * - `needs_authorization`: created, no grant yet; nothing syncs.
 * - `active`: authorized; syncs on its schedule and on demand.
 * - `needs_reauthorization`: Google refused the grant (revoked, a scope missing, delegation removed);
 *   syncing stops until someone authorizes it again. `reason` says why.
 */
export const GOOGLE_STATUSES = ['needs_authorization', 'active', 'needs_reauthorization'] as const;
export type GoogleStatus = (typeof GOOGLE_STATUSES)[number];

export const AUTH_METHODS = ['oauth', 'service_account'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** What a connection syncs: the whole domain, or the named groups (by e-mail) and their members. */
export interface Selection {
  mode: 'domain' | 'groups';
  groups: string[];
}

export const SYNC_TRIGGERS = ['schedule', 'manual', 'authorization'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

export const SYNC_STATUSES = ['running', 'succeeded', 'failed', 'interrupted'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** What one sync changed. */
export interface SyncCounts {
  usersCreated: number;
  usersUpdated: number;
  usersDeactivated: number;
  usersDeleted: number;
  groupsCreated: number;
  groupsUpdated: number;
  groupsDeleted: number;
  membersAdded: number;
  membersRemoved: number;
}

export const NO_COUNTS: Readonly<SyncCounts> = Object.freeze({
  usersCreated: 0,
  usersUpdated: 0,
  usersDeactivated: 0,
  usersDeleted: 0,
  groupsCreated: 0,
  groupsUpdated: 0,
  groupsDeleted: 0,
  membersAdded: 0,
  membersRemoved: 0,
});

export interface SyncRecord {
  id: string;
  trigger: SyncTrigger;
  status: SyncStatus;
  startedAt: string;
  finishedAt: string | null;
  counts: SyncCounts;
  error: string | null;
}

/** `GET /api/v1/connections/{id}/google-workspace`. */
export interface GoogleState {
  status: GoogleStatus;
  reason: string | null;
  authMethod: AuthMethod | null;
  adminEmail: string | null;
  serviceAccountEmail: string | null;
  /** The vendor configured its Google OAuth client: the consent way is offered. */
  oauthAvailable: boolean;
  selection: Selection;
  intervalMinutes: number;
  syncing: boolean;
  nextSyncAt: string | null;
  lastSync: SyncRecord | null;
}
