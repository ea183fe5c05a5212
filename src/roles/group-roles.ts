/**
 * Group → role mapping per tenant: members of a mapped SCIM group get its roles. Changing a
 * group's roles writes `user.updated` (with `roles`) for each member whose effective roles change,
 * in the same transaction as the mapping and its audit entry.
 */
import type { Actor } from '../audit/actor.js';
import { AuditStore } from '../audit/store.js';
import { isForeignKeyViolation } from '../db/errors.js';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/time.js';
import { EventRecorder } from '../events/recorder.js';
import { userRolesChanged } from '../events/scim-events.js';
import { EventStore } from '../events/store.js';
import { conflict, notFound, validationFailed } from '../http/api-errors.js';
import { resolveRoleChanges } from './membership-roles.js';
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
  async set(actor: Actor, tenantId: string, groupId: string, roleKeys: readonly string[]): Promise<GroupRoles> {
    const keys = [...new Set(roleKeys)].sort();
    try {
      return await this.db.kysely.transaction().execute(async (trx) => {
        const store = new RoleStore(trx);
        const now = nowIso();
        const group = await store.findGroup(tenantId, groupId);
        if (!group) throw notFound(`Group "${groupId}" not found in tenant "${tenantId}"`);
        const known = new Set((await store.findMany(keys)).map((r) => r.key));
        const unknown = keys.filter((k) => !known.has(k));
        if (unknown.length > 0) throw validationFailed(`roleKeys names roles that do not exist: ${unknown.join(', ')}`, 'roleKeys');
        const before = await store.groupRoleKeys(groupId);
        const result = { tenantId, groupId, roleKeys: keys };
        if (before.join('\n') === keys.join('\n')) return result;
        await store.replaceGroupRoles(tenantId, groupId, keys, now);
        // Events follow the tenant directory: staging connections emit nothing, detached data does.
        if (group.detached === 1 || group.syncToUserManagement === 1) {
          const events = new EventRecorder(true);
          let after = '';
          for (let page = await store.userMembers(tenantId, groupId, after, MEMBER_BATCH); page.length > 0; page = await store.userMembers(tenantId, groupId, after, MEMBER_BATCH)) {
            after = page.at(-1)!;
            const users = page.map((id) => ({ id, wasMember: true, isMember: true }));
            userRolesChanged(events, await resolveRoleChanges(store, tenantId, { groupId, keysBefore: before, keysAfter: keys, users }));
          }
          await new EventStore(trx, this.db.dialect).append({ tenantId, connectionId: group.connectionId }, events.take(), now);
        }
        await new AuditStore(trx).append(actor, { action: 'group.roles_updated', tenantId, target: { type: 'group', id: groupId }, data: { before, after: keys } }, now);
        return result;
      });
    } catch (error) {
      // A role was deleted between the check and the insert.
      if (isForeignKeyViolation(error)) throw conflict('A role named in roleKeys was deleted at the same moment; retry');
      throw error;
    }
  }
}
