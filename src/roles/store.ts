/**
 * Storage of roles and of the roles mapped to SCIM groups. Mappings carry their tenant, and every
 * read of them names it.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/tables.js';
import { chunks } from '../scim/store/scope.js';
import type { RolesTable, RoleTables } from './tables.js';

export type RoleRow = Selectable<RolesTable>;

/** One role a user gets through one of its groups. */
export interface MappedRole {
  userId: string;
  groupId: string;
  roleKey: string;
}

/** Storage port of the roles domain; construct one on a transaction to write within it. */
export class RoleStore {
  private readonly db: Kysely<Database & RoleTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<RoleTables>();
  }

  list(): Promise<RoleRow[]> {
    return this.db.selectFrom('roles').selectAll().orderBy('created_at').orderBy('key').execute();
  }

  find(key: string): Promise<RoleRow | undefined> {
    return this.db.selectFrom('roles').selectAll().where('key', '=', key).executeTakeFirst();
  }

  async findMany(keys: readonly string[]): Promise<RoleRow[]> {
    if (keys.length === 0) return [];
    return this.db.selectFrom('roles').selectAll().where('key', 'in', [...keys]).execute();
  }

  async insert(row: RoleRow): Promise<void> {
    await this.db.insertInto('roles').values(row).execute();
  }

  /** Inserts unless any unique key (the role key, the single default) is taken; true when inserted. */
  async insertIfAbsent(row: RoleRow): Promise<boolean> {
    const result = await this.db.insertInto('roles').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async update(key: string, set: Partial<Omit<RoleRow, 'key' | 'created_at'>>): Promise<boolean> {
    const result = await this.db.updateTable('roles').set(set).where('key', '=', key).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Deletes the role; its group mappings go with it (FK cascade). */
  async delete(key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('roles').where('key', '=', key).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Makes no role the default (before another becomes it). */
  async clearDefault(at: string): Promise<void> {
    await this.db.updateTable('roles').set({ is_default: 0, updated_at: at }).where('is_default', '=', 1).execute();
  }

  async defaultKey(): Promise<string | undefined> {
    return (await this.db.selectFrom('roles').select('key').where('is_default', '=', 1).executeTakeFirst())?.key;
  }

  /** Inserts a settings row unless it exists; true when this call created it (a one-time claim). */
  async claim(key: string, value: string, at: string): Promise<boolean> {
    const result = await this.db.insertInto('settings').values({ key, value, updated_at: at }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** The group, if it belongs to the tenant, with whether it shows in the tenant directory. */
  findGroup(tenantId: string, groupId: string) {
    return this.db
      .selectFrom('scim_groups as g')
      .leftJoin('connections as c', 'c.id', 'g.connection_id')
      .select(['g.id', 'g.connection_id as connectionId', 'g.detached', 'c.sync_to_user_management as syncToUserManagement'])
      .where('g.id', '=', groupId)
      .where('g.tenant_id', '=', tenantId)
      .executeTakeFirst();
  }

  /**
   * A user of the tenant, with whether it is active, detached, and whether its connection syncs to
   * user management (null once the connection is gone).
   */
  findUser(tenantId: string, userId: string) {
    return this.db
      .selectFrom('scim_users as u')
      .leftJoin('connections as c', (join) => join.onRef('c.id', '=', 'u.connection_id').onRef('c.tenant_id', '=', 'u.tenant_id'))
      .select(['u.id', 'u.active', 'u.detached', 'u.app_view', 'c.sync_to_user_management as syncToUserManagement'])
      .where('u.id', '=', userId)
      .where('u.tenant_id', '=', tenantId)
      .executeTakeFirst();
  }

  /** The role keys mapped to a group (primary-key lookup). */
  async groupRoleKeys(groupId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('group_roles').select('role_key').where('group_id', '=', groupId).orderBy('role_key').execute();
    return rows.map((r) => r.role_key);
  }

  /** The roles mapped to each of these groups of the tenant, by role key. */
  async rolesOfGroups(tenantId: string, groupIds: readonly string[]): Promise<(RoleRow & { group_id: string })[]> {
    const out: (RoleRow & { group_id: string })[] = [];
    for (const part of chunks([...new Set(groupIds)], 500)) {
      const rows = await this.db
        .selectFrom('group_roles as gr')
        .innerJoin('roles as r', 'r.key', 'gr.role_key')
        .selectAll('r')
        .select('gr.group_id')
        .where('gr.tenant_id', '=', tenantId)
        .where('gr.group_id', 'in', part)
        .orderBy('gr.group_id')
        .orderBy('r.key')
        .execute();
      out.push(...rows);
    }
    return out;
  }

  async replaceGroupRoles(tenantId: string, groupId: string, roleKeys: readonly string[], at: string): Promise<void> {
    await this.db.deleteFrom('group_roles').where('group_id', '=', groupId).where('tenant_id', '=', tenantId).execute();
    if (roleKeys.length === 0) return;
    await this.db
      .insertInto('group_roles')
      .values(roleKeys.map((role_key) => ({ group_id: groupId, role_key, tenant_id: tenantId, created_at: at })))
      .execute();
  }

  /** Every role the users get through their direct groups in the tenant. */
  async mappedRoles(tenantId: string, userIds: readonly string[]): Promise<MappedRole[]> {
    const out: MappedRole[] = [];
    for (const part of chunks([...new Set(userIds)], 500)) {
      const rows = await this.db
        .selectFrom('scim_group_members as m')
        .innerJoin('group_roles as gr', 'gr.group_id', 'm.group_id')
        .select(['m.member_id as userId', 'gr.group_id as groupId', 'gr.role_key as roleKey'])
        .where('m.tenant_id', '=', tenantId)
        .where('gr.tenant_id', '=', tenantId)
        .where('m.member_type', '=', 'User')
        .where('m.member_id', 'in', part)
        .execute();
      out.push(...rows);
    }
    return out;
  }

  /** A page of the group's user members, in id order. */
  async userMembers(tenantId: string, groupId: string, after: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('scim_group_members')
      .select('member_id')
      .where('group_id', '=', groupId)
      .where('tenant_id', '=', tenantId)
      .where('member_type', '=', 'User')
      .where('member_id', '>', after)
      .orderBy('member_id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.member_id);
  }

  async usersByIds(tenantId: string, ids: readonly string[]) {
    const out = [];
    for (const part of chunks([...new Set(ids)], 500)) {
      out.push(...(await this.db.selectFrom('scim_users').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', part).orderBy('id').execute()));
    }
    return out;
  }
}
