/**
 * The app's view of users where it differs from the SCIM rows (docs/safe-deprovisioning.md): a
 * user whose deactivation is held or was discarded stays active; one whose deletion is held or was
 * discarded stays, as the app last saw it; memberships and roles a held role removal took stay.
 * The directory API reads users through here. A tenant with nothing held or discarded costs one
 * indexed lookup, and rows whose `app_view` flag is 0 none.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, ScimUsersTable } from '../db/tables.js';
import type { Position } from '../directory/cursor.js';
import { RoleStore } from '../roles/store.js';
import { DeprovisioningStore, IN_APP_VIEW, type HeldRow } from './store.js';
import type { DeprovisioningTables } from './tables.js';

type UserRow = Selectable<ScimUsersTable>;

/** What the app sees of some users beyond their rows: groups and roles a held change keeps. */
export interface KeptByApp {
  groups: Map<string, { id: string; displayName: string }[]>;
  roles: Map<string, string[]>;
}

/** A user the app keeps active (a held or discarded deactivation): its row and its SCIM resource say so. */
export function keptActive(row: UserRow): UserRow {
  if (row.active === 1) return row;
  return { ...row, active: 1, resource: JSON.stringify({ ...(JSON.parse(row.resource) as Record<string, unknown>), active: true }) };
}

/** A held or discarded deletion's user, as the app still sees it. */
function retained(change: HeldRow): UserRow {
  return { ...(JSON.parse(change.snapshot!) as UserRow), app_view: 1 };
}

const add = <T>(map: Map<string, T[]>, key: string, values: readonly T[]) => map.set(key, [...(map.get(key) ?? []), ...values]);

export class AppView {
  private readonly store: DeprovisioningStore;
  private readonly roles: RoleStore;
  private readonly db: Kysely<Database & DeprovisioningTables>;

  constructor(db: Kysely<Database>) {
    this.store = new DeprovisioningStore(db);
    this.roles = new RoleStore(db);
    this.db = db.withTables<DeprovisioningTables>();
  }

  /** Whether anything of the tenant (of one connection, if given) differs in the app's view. */
  differs(tenantId: string, connectionId?: string): Promise<boolean> {
    return this.store.anyInAppView(tenantId, connectionId);
  }

  /** The rows as the app sees them, and the groups and roles held changes keep for them. */
  async users(tenantId: string, rows: readonly UserRow[]): Promise<{ rows: UserRow[]; kept: KeptByApp }> {
    const kept: KeptByApp = { groups: new Map(), roles: new Map() };
    const flagged = rows.filter((r) => r.app_view === 1).map((r) => r.id);
    if (flagged.length === 0) return { rows: [...rows], kept };
    const [changes, memberships] = await Promise.all([this.store.usersChanges(tenantId, flagged), this.store.membershipsOfUsers(tenantId, flagged)]);
    const keptActiveIds = new Set(changes.filter((c) => c.change === 'deactivation').map((c) => c.user_id));
    for (const c of changes) if (c.change === 'role_removal') add(kept.roles, c.user_id, JSON.parse(c.roles) as string[]);
    for (const m of memberships) add(kept.groups, m.user_id, [{ id: m.group_id, displayName: m.group_name }]);
    // Roles mapped to the groups the app keeps, as they are mapped now.
    const groupRoles = await this.roles.rolesOfGroups(
      tenantId,
      memberships.map((m) => m.group_id),
    );
    for (const m of memberships) {
      add(
        kept.roles,
        m.user_id,
        groupRoles.filter((r) => r.group_id === m.group_id).map((r) => r.key),
      );
    }
    return { rows: rows.map((r) => (keptActiveIds.has(r.id) ? keptActive(r) : r)), kept };
  }

  /** A user the app still sees although the IdP deleted it; undefined if none. */
  async deletedUser(id: string, tenantId?: string): Promise<UserRow | undefined> {
    let query = this.db.selectFrom('held_changes').selectAll().where('user_id', '=', id).where('change', '=', 'deletion').where('status', 'in', [...IN_APP_VIEW]);
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    const change = await query.orderBy('seq', 'desc').executeTakeFirst();
    return change ? retained(change) : undefined;
  }

  /** Users the app still sees although the IdP deleted them, in the directory's (created_at, id) order after `after`. */
  async deletedUsers(tenantId: string, connectionId: string | undefined, after: Position | undefined, limit: number): Promise<UserRow[]> {
    let query = this.db
      .selectFrom('held_changes')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('change', '=', 'deletion')
      .where('status', 'in', [...IN_APP_VIEW]);
    if (connectionId !== undefined) query = query.where('connection_id', '=', connectionId);
    if (after) query = query.where((eb) => eb(eb.refTuple('user_created_at', 'user_id'), '>', eb.tuple(after.createdAt, after.id)));
    return (await query.orderBy('user_created_at').orderBy('user_id').limit(limit).execute()).map(retained);
  }

  /** Users the app keeps in these groups (held or discarded removals and deletions), by group. */
  async keptMembers(tenantId: string, groupIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const m of await this.store.membershipsOfGroups(tenantId, groupIds)) add(out, m.group_id, [m.user_id]);
    return out;
  }
}
