/** Roles: named bundles of permissions, managed by the vendor, seeded once per environment. */
import type { Actor } from '../audit/actor.js';
import { AuditStore } from '../audit/store.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/time.js';
import { conflict, notFound } from '../http/api-errors.js';
import { effectiveRoles, rolesByUser } from './effective.js';
import { SEED_ROLES } from './permissions.js';
import { RoleStore, type RoleRow } from './store.js';
import { AppView } from '../deprovisioning/app-view.js';

/** A role as the API shows it. */
export interface Role {
  key: string;
  name: string;
  description: string | null;
  permissions: string[];
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What can change on a role; its key cannot. */
export interface RoleChanges {
  name?: string;
  description?: string | null;
  permissions?: string[];
  isDefault?: boolean;
}

/** The settings row that records the seeding, so a role the vendor deleted is not seeded back. */
const SEED_CLAIM = 'seed.roles';

/** A stored role as the API shows it. */
export function toRole(row: RoleRow): Role {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    permissions: JSON.parse(row.permissions) as string[],
    isDefault: row.is_default === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const unique = (items: readonly string[]) => [...new Set(items)];

/** Logic of the roles domain. */
export class RoleService {
  private readonly store: RoleStore;

  /** Where the app's view of a user differs from its row (src/deprovisioning). */
  private readonly appView: AppView;

  constructor(private readonly db: Db) {
    this.store = new RoleStore(db.kysely);
    this.appView = new AppView(db.kysely);
  }

  /** Runs `fn` in a transaction with the audit log; a unique violation that slipped past the checks is a 409. */
  private async write<T>(fn: (store: RoleStore, audit: AuditStore, now: string) => Promise<T>): Promise<T> {
    try {
      return await this.db.kysely.transaction().execute((trx) => fn(new RoleStore(trx), new AuditStore(trx), nowIso()));
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('A concurrent change took the same role key or made another role the default; retry');
      throw error;
    }
  }

  async list(): Promise<Role[]> {
    return (await this.store.list()).map(toRole);
  }

  async get(key: string): Promise<Role> {
    const row = await this.store.find(key);
    if (!row) throw notFound(`Role "${key}" not found`);
    return toRole(row);
  }

  async create(actor: Actor, input: { key: string; name: string; description?: string | null; permissions: string[]; isDefault?: boolean }): Promise<Role> {
    const role = await this.write(async (store, audit, now) => {
      if (await store.find(input.key)) throw conflict(`A role with key "${input.key}" already exists`, 'key');
      if (input.isDefault) await store.clearDefault(now);
      const row: RoleRow = {
        key: input.key,
        name: input.name,
        description: input.description ?? null,
        permissions: JSON.stringify(unique(input.permissions)),
        is_default: input.isDefault ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      await store.insert(row);
      const created = toRole(row);
      await audit.append(actor, { action: 'role.created', tenantId: null, target: { type: 'role', id: row.key }, data: { role: created } }, now);
      return created;
    });
    return role;
  }

  async update(actor: Actor, key: string, changes: RoleChanges): Promise<Role> {
    return this.write(async (store, audit, now) => {
      const before = await store.find(key);
      if (!before) throw notFound(`Role "${key}" not found`);
      const set: Partial<RoleRow> = { updated_at: now };
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.description !== undefined) set.description = changes.description;
      if (changes.permissions !== undefined) set.permissions = JSON.stringify(unique(changes.permissions));
      if (changes.isDefault !== undefined) set.is_default = changes.isDefault ? 1 : 0;
      if (changes.isDefault && before.is_default !== 1) await store.clearDefault(now);
      if (!(await store.update(key, set))) throw notFound(`Role "${key}" not found`);
      const after = toRole({ ...before, ...set });
      await audit.append(actor, { action: 'role.updated', tenantId: null, target: { type: 'role', id: key }, data: { before: toRole(before), after } }, now);
      return after;
    });
  }

  /** Deletes the role and its group mappings. Users' roles change with it; no per-user events are written. */
  async delete(actor: Actor, key: string): Promise<void> {
    await this.write(async (store, audit, now) => {
      const before = await store.find(key);
      if (!before || !(await store.delete(key))) throw notFound(`Role "${key}" not found`);
      await audit.append(actor, { action: 'role.deleted', tenantId: null, target: { type: 'role', id: key }, data: { role: toRole(before) } }, now);
    });
  }

  /** The union of the roles' permissions, and the keys that name no role. */
  async permissionsOf(keys: readonly string[]): Promise<{ permissions: string[]; unknown: string[] }> {
    const rows = await this.store.findMany(unique(keys));
    const found = new Set(rows.map((r) => r.key));
    return {
      permissions: unique(rows.flatMap((r) => JSON.parse(r.permissions) as string[])),
      unknown: unique(keys).filter((k) => !found.has(k)),
    };
  }

  /**
   * Seeds the default roles on the environment's first start. The claim row and the roles are one
   * transaction: on PostgreSQL a concurrent start blocks on the claim's unique key until the first
   * commits, then finds it taken; if the first fails, the next start seeds. True when this call seeded.
   */
  seedDefaults(): Promise<boolean> {
    return this.db.kysely.transaction().execute(async (trx) => {
      const store = new RoleStore(trx);
      const now = nowIso();
      if (!(await store.claim(SEED_CLAIM, 'v1', now))) return false;
      for (const seed of SEED_ROLES) {
        const row: RoleRow = {
          key: seed.key,
          name: seed.name,
          description: seed.description,
          permissions: JSON.stringify(seed.permissions),
          is_default: seed.isDefault ? 1 : 0,
          created_at: now,
          updated_at: now,
        };
        // A role the vendor made with the same key wins over the seed; an existing default stays the default.
        if (!(await store.insertIfAbsent(row)) && row.is_default === 1) await store.insertIfAbsent({ ...row, is_default: 0 });
      }
      return true;
    });
  }

  /**
   * The effective roles of a person who is a user of the tenant directory, for a user token
   * (src/user-tokens): `not_found` unless the user belongs to the tenant and to a connection that
   * syncs to user management (a staging connection's users are not in the app's view); `inactive`
   * once its identity provider deactivated it, or its connection was deleted (detached: no identity
   * provider can take its roles away any more).
   */
  async rolesOfDirectoryUser(tenantId: string, userId: string): Promise<{ roles: string[] } | { refused: 'not_found' | 'inactive' }> {
    const user = await this.store.findUser(tenantId, userId);
    // Where the app's view differs (a held deactivation or deletion, src/deprovisioning), the app's view decides.
    const appView = this.appView;
    if (!user || user.app_view === 1) {
      const row = user ? await this.store.usersByIds(tenantId, [userId]).then((rows) => rows[0]) : await appView.deletedUser(userId, tenantId);
      if (!row) return { refused: 'not_found' };
      const { rows, kept } = await appView.users(tenantId, [row]);
      if (rows[0].active !== 1) return { refused: 'inactive' };
      const roles = (await this.effectiveRoles(tenantId, [userId])).get(userId) ?? [];
      return { roles: [...new Set([...roles, ...(kept.roles.get(userId) ?? [])])].sort() };
    }
    if (user.detached !== 1 && user.syncToUserManagement !== 1) return { refused: 'not_found' };
    if (user.detached === 1 || user.active !== 1) return { refused: 'inactive' };
    const roles = (await this.effectiveRoles(tenantId, [userId])).get(userId) ?? [];
    return { roles };
  }

  /** Each user's effective roles: the default role plus the roles mapped to its direct groups. */
  async effectiveRoles(tenantId: string, userIds: readonly string[]): Promise<Map<string, string[]>> {
    if (userIds.length === 0) return new Map();
    const [defaultKey, mapped] = await Promise.all([this.store.defaultKey(), this.store.mappedRoles(tenantId, userIds)]);
    const byUser = rolesByUser(mapped);
    return new Map(userIds.map((id) => [id, effectiveRoles(defaultKey, byUser.get(id) ?? [])]));
  }
}
