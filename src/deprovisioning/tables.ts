/** Row types of safe deprovisioning (migration 0020); stores reach them with `kysely.withTables<DeprovisioningTables>()`. */
import type { Generated } from 'kysely';

/** A connection's mode and guard; absent until first changed or first needed (the defaults in types.ts). */
export interface DeprovisioningSettingsTable {
  connection_id: string;
  tenant_id: string;
  /** `automatic` or `review` (append-only). */
  mode: string;
  guard_enabled: number;
  max_users: number;
  max_percent: number;
  window_minutes: number;
  /** When the guard tripped; null while armed. */
  tripped_at: string | null;
  /** The last review: the guard counts only what came after it. */
  armed_at: string | null;
  /**
   * The connection's active users before the window's deprovisioning, as counted at `base_at`: the
   * guard's percentage base, counted again once it is older than the window (not at each change).
   */
  base_active: number | null;
  base_at: string | null;
  /** Changes held now. */
  held: Generated<number>;
  updated_at: string;
}

/** How many users the connection deprovisioned in the app's view in one minute: what the guard counts. */
export interface DeprovisioningMarksTable {
  connection_id: string;
  tenant_id: string;
  /** The minute, as an instant truncated to it (`2026-12-07T13:40:00.000Z`). */
  minute: string;
  n: number;
}

/** A deprovisioning change held from the app. */
export interface HeldChangesTable {
  /** Order of holding: release applies in this order. */
  seq: Generated<number>;
  id: string;
  connection_id: string;
  tenant_id: string;
  user_id: string;
  user_name: string;
  display_name: string | null;
  /** The user's created_at: a held deletion keeps the user in the directory's pages at its place. */
  user_created_at: string;
  /** `deactivation`, `deletion` or `role_removal`. */
  change: string;
  /** A role removal: the group whose membership (or deletion) took the user's last mapped role. */
  group_id: string | null;
  group_name: string | null;
  /** JSON array: the role keys the user keeps in the app's view while held. */
  roles: string;
  at: string;
  /** The SCIM request (request_logs.request_id); null for a Google Workspace sync. */
  request_id: string | null;
  /** `held`, `released`, `discarded` (the app keeps its view) or `superseded` (a later change of the IdP made it moot). */
  status: string;
  /** JSON array of the events it emits when released, in order. */
  events: string;
  /** A deletion: JSON of the user's row as the app saw it, which the app keeps seeing while held or discarded. */
  snapshot: string | null;
  reviewed_at: string | null;
  /** The actor of the review, as the audit log names it. */
  reviewed_by: string | null;
}

/** A membership the app keeps while the change that removed it is held or was discarded. */
export interface AppViewMembershipsTable {
  held_change_id: string;
  tenant_id: string;
  group_id: string;
  group_name: string;
  user_id: string;
}

export type DeprovisioningTables = {
  deprovisioning_settings: DeprovisioningSettingsTable;
  deprovisioning_marks: DeprovisioningMarksTable;
  held_changes: HeldChangesTable;
  app_view_memberships: AppViewMembershipsTable;
};
