/**
 * Group → role mapping per tenant: members of a mapped SCIM group get its roles. Changing a
 * group's roles writes `user.updated` (with `roles`) for each member whose effective roles change,
 * in the same transaction as the mapping and its audit entry.
 */
import type { Actor } from '../audit/actor.js';
import { AuditStore } from '../audit/store.js';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/time.js';
import { EventRecorder } from '../events/recorder.js';
import { userRolesChanged } from '../events/scim-events.js';
import { EventStore } from '../events/store.js';
import { conflict, notFound, validationFailed } from '../http/api-errors.js';
import { resolveRoleChanges } from './membership-roles.js';
import { toRole, type Role } from './service.js';
import { RoleStore } from './store.js';

/** The roles mapped to one group. */
export interface GroupRoles {
  tenantId: string;
  groupId: string;
  roleKeys: string[];
}

/** Members read per batch when a mapping change is turned into events. */
const MEMBER_BATCH = 500;

/** Logic of group → role mapping. */
export class GroupRoleService {
  constructor(private readonly db: Db) {}

  async get(tenantId: string, groupId: string): Promise<GroupRoles> {
    const store = new RoleStore(this.db.kysely);
    if (!(await store.findGroup(tenantId, groupId))) throw notFound(`Group "${groupId}" not found in tenant "${tenantId}"`);
    return { tenantId, groupId, roleKeys: await store.groupRoleKeys(groupId) };
  }

  /** Replaces the group's roles (an empty list removes them all). */
  set(actor: Actor, tenantId: string, groupId: string, roleKeys: readonly string[]): Promise<GroupRoles> {
    return this.change(actor, tenantId, groupId, { field: 'roleKeys', keys: roleKeys }, (_before, keys) => keys);
  }

  /** Adds roles to the group; roles it has already stay (Frontegg's POST …/groups/v1/{id}/roles). */
  add(actor: Actor, tenantId: string, groupId: string, roleKeys: readonly string[], field = 'roleKeys'): Promise<GroupRoles> {
    return this.change(actor, tenantId, groupId, { field, keys: roleKeys }, (before, keys) => [...before, ...keys]);
  }

  /** Removes roles from the group; roles it does not have are no change (Frontegg's DELETE …/roles). */
  remove(actor: Actor, tenantId: string, groupId: string, roleKeys: readonly string[], field = 'roleKeys'): Promise<GroupRoles> {
    return this.change(actor, tenantId, groupId, { field, keys: roleKeys }, (before, keys) => before.filter((k) => !keys.includes(k)));
  }

  /** The roles mapped to each of these groups of the tenant (groups without any are absent). */
  async rolesOf(tenantId: string, groupIds: readonly string[]): Promise<Map<string, Role[]>> {
    const out = new Map<string, Role[]>();
    for (const row of await new RoleStore(this.db.kysely).rolesOfGroups(tenantId, groupIds)) {
      const { group_id: groupId, ...role } = row;
      const roles = out.get(groupId);
      if (roles) roles.push(toRole(role));
      else out.set(groupId, [toRole(role)]);
    }
    return out;
  }

  /**
   * Changes the group's roles to `next(before, named)`, in one transaction with the events of the
   * members whose effective roles change and the audit entry. Every named role must exist (400
   * naming `named.field`); nothing is written when the roles stay the same.
   */
  private async change(
    actor: Actor,
    tenantId: string,
    groupId: string,
    named: { field: string; keys: readonly string[] },
    next: (before: readonly string[], keys: string[]) => string[],
  ): Promise<GroupRoles> {
    const keys = [...new Set(named.keys)].sort();
    try {
      return await this.db.kysely.transaction().execute(async (trx) => {
        const store = new RoleStore(trx);
        const now = nowIso();
        const group = await store.findGroup(tenantId, groupId);
        if (!group) throw notFound(`Group "${groupId}" not found in tenant "${tenantId}"`);
        const known = new Set((await store.findMany(keys)).map((r) => r.key));
        const unknown = keys.filter((k) => !known.has(k));
        if (unknown.length > 0) throw validationFailed(`${named.field} names roles that do not exist: ${unknown.join(', ')}`, named.field);
        const before = await store.groupRoleKeys(groupId);
        const after = [...new Set(next(before, keys))].sort();
        const result = { tenantId, groupId, roleKeys: after };
        if (before.join('\n') === after.join('\n')) return result;
        await store.replaceGroupRoles(tenantId, groupId, after, now);
        // Events follow the tenant directory: staging connections emit nothing, detached data does.
        if (group.detached === 1 || group.syncToUserManagement === 1) {
          const events = new EventRecorder(true);
          let cursor = '';
          for (let page = await store.userMembers(tenantId, groupId, cursor, MEMBER_BATCH); page.length > 0; page = await store.userMembers(tenantId, groupId, cursor, MEMBER_BATCH)) {
            cursor = page.at(-1)!;
            const users = page.map((id) => ({ id, wasMember: true, isMember: true }));
            userRolesChanged(events, await resolveRoleChanges(store, tenantId, { groupId, keysBefore: before, keysAfter: after, users }));
          }
          await new EventStore(trx, this.db.dialect).append({ tenantId, connectionId: group.connectionId }, events.take(), now);
        }
        await new AuditStore(trx).append(actor, { action: 'group.roles_updated', tenantId, target: { type: 'group', id: groupId }, data: { before, after } }, now);
        return result;
      });
    } catch (error) {
      // A role was deleted between the check and the insert.
      if (isForeignKeyViolation(error)) throw conflict(`A role named in ${named.field} was deleted at the same moment; retry`);
      // Another change of the same group's roles inserted the same mapping first.
      if (isUniqueViolation(error)) throw conflict('The group’s roles were changed at the same moment; retry');
      throw error;
    }
  }
}
