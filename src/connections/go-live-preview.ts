/**
 * The preview before a staging connection goes live: what its switch to syncToUserManagement would
 * put in the tenant directory and tell the app (src/connections/go-live-events.ts) — its users and
 * groups, the memberships, the roles its groups would grant, and which of its users have the primary
 * email of a user the directory shows already, so the vendor sees who will look like a duplicate.
 * Counts over the whole connection and samples of the first rows, all computed in the database.
 */
import { toDirectoryUser } from '../directory/shape.js';
import { conflict } from '../http/api-errors.js';
import type { GoLiveScope, GoLiveStore, RoleReach } from './go-live-store.js';
import type { ConnectionService } from './service.js';

/** Rows in each sample: the first in (created_at, id) order. */
export const PREVIEW_SAMPLE = 20;

/** A user as the preview samples it. */
export interface PreviewUser {
  id: string;
  userName: string;
  displayName: string | null;
  email: string | null;
  active: boolean;
}

/** A user of the connection with the primary email of a user the tenant directory shows already. */
export interface PreviewMatch {
  userId: string;
  userName: string;
  email: string | null;
  /** The oldest such user of the directory. */
  existingUserId: string;
  /** Its connection (a detached user's former connection). */
  existingConnectionId: string;
  matchedBy: 'email';
}

/** The answer of GET /api/v1/connections/{id}/go-live-preview. */
export interface GoLivePreview {
  connectionId: string;
  live: false;
  users: { total: number; active: number; inactive: number; sample: PreviewUser[] };
  groups: { total: number; sample: { id: string; displayName: string; members: number }[] };
  /** User memberships of the connection's groups: one group.user_added each. */
  memberships: number;
  roles: RoleReach[];
  matches: { total: number; sample: PreviewMatch[] };
}

/** Logic of the go-live preview. */
export class GoLivePreviewService {
  constructor(
    private readonly store: GoLiveStore,
    private readonly connections: ConnectionService,
  ) {}

  /** The preview of a staging connection; 404 when unknown (or another tenant's, with `tenantId`), 409 when live already. */
  async preview(connectionId: string, tenantId?: string): Promise<GoLivePreview> {
    const connection = await this.connections.get(connectionId, tenantId);
    if (connection.syncToUserManagement) {
      throw conflict(`SCIM configuration "${connectionId}" is live already: it syncs to user management, so there is nothing to preview`);
    }
    const scope: GoLiveScope = { tenantId: connection.tenantId, connectionId };
    // One after another: on SQLite they share one connection anyway, and on PostgreSQL one preview
    // should not take several of the pool's connections at once.
    const users = await this.store.userCounts(scope);
    const userSample = await this.store.userPage(scope, undefined, PREVIEW_SAMPLE);
    const groupTotal = await this.store.groupCount(scope);
    const groupSample = await this.store.groupPage(scope, undefined, PREVIEW_SAMPLE);
    const members = await this.store.userMemberCounts(
      scope,
      groupSample.map((g) => g.id),
    );
    const memberships = await this.store.membershipCount(scope);
    const roles = await this.store.roleReach(scope);
    const matchTotal = await this.store.matchCount(scope);
    const matchRows = matchTotal === 0 ? [] : await this.store.matchSample(scope, PREVIEW_SAMPLE);
    const existing = await this.store.existingByEmail(
      scope,
      matchRows.map((row) => row.email_norm!),
    );
    return {
      connectionId,
      live: false,
      users: {
        total: users.total,
        active: users.active,
        inactive: users.total - users.active,
        sample: userSample.map((row) => {
          const user = toDirectoryUser(row);
          return { id: user.id, userName: user.userName, displayName: user.displayName, email: user.email, active: user.active };
        }),
      },
      groups: { total: groupTotal, sample: groupSample.map((g) => ({ id: g.id, displayName: g.display_name, members: members.get(g.id) ?? 0 })) },
      memberships,
      roles,
      matches: {
        total: matchTotal,
        // A match may vanish between the count and this read (the IdP or the vendor changed a user): left out.
        sample: matchRows.flatMap((row) => {
          const found = existing.get(row.email_norm!);
          if (!found) return [];
          return [{ userId: row.id, userName: row.user_name, email: toDirectoryUser(row).email, existingUserId: found.id, existingConnectionId: found.connectionId, matchedBy: 'email' as const }];
        }),
      },
    };
  }
}
