/** Row types of Google Workspace connections and their syncs (migration 0019); stores reach them with `kysely.withTables<GoogleWorkspaceTables>()`. */

/** What a Google Workspace connection needs to be read from Google, and its schedule. */
export interface GoogleWorkspaceConnectionsTable {
  connection_id: string;
  tenant_id: string;
  /** `needs_authorization`, `active` or `needs_reauthorization` (src/google-workspace/types.ts). */
  status: string;
  /** Why it needs (re)authorization, in words a customer's admin can act on. */
  reason: string | null;
  /** `oauth` or `service_account`, once authorized. */
  auth_method: string | null;
  /** Sealed (src/security/encryption.ts) JSON: `{refreshToken}` or `{key}` (the service account key). */
  credentials: string | null;
  /** The Workspace admin a service account acts as. */
  admin_email: string | null;
  service_account_email: string | null;
  /** JSON `{mode: 'domain' | 'groups', groups: string[]}`. */
  selection: string;
  interval_minutes: number;
  /** When the schedule next syncs it (null until authorized). */
  next_sync_at: string | null;
  /** Set by "Sync now" and by an authorization: a sync is due whatever the schedule says. */
  sync_requested_at: string | null;
  /** What asked for that sync: `manual` or `authorization`. */
  sync_trigger: string | null;
  /** The process syncing it, and until when its claim holds unless renewed. */
  lease_holder: string | null;
  lease_until: string | null;
  /** SHA-256 of the `state` of the OAuth consent under way, its expiry and where the browser returns. */
  oauth_state_hash: string | null;
  oauth_state_expires_at: string | null;
  oauth_return_to: string | null;
  /** JSON of the audit actor who asked for that consent: the authorization is recorded as theirs. */
  oauth_actor: string | null;
  created_at: string;
  updated_at: string;
}

/** One sync of a Google Workspace connection. */
export interface GoogleWorkspaceSyncsTable {
  id: string;
  connection_id: string;
  tenant_id: string;
  /** `schedule`, `manual` or `authorization`. */
  trigger: string;
  /** `running`, `succeeded`, `failed` or `interrupted` (its process stopped mid-way). */
  status: string;
  started_at: string;
  finished_at: string | null;
  /** JSON SyncCounts. */
  counts: string;
  error: string | null;
}

export type GoogleWorkspaceTables = {
  google_workspace_connections: GoogleWorkspaceConnectionsTable;
  google_workspace_syncs: GoogleWorkspaceSyncsTable;
};
