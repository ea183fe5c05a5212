/**
 * The part of Frontegg's groups API that maps onto Rollcall: a tenant's provisioned SCIM groups
 * (the tenant directory) and the roles mapped to them. Groups belong to the identity provider, so
 * they are read here, never created, renamed or given members; only their roles change.
 */
import type { Actor } from '../audit/actor.js';
import type { DirectoryService } from '../directory/service.js';
import type { DirectoryGroup, DirectoryUser } from '../directory/shape.js';
import type { GroupRoleService } from '../roles/group-roles.js';
import type { Role } from '../roles/service.js';

/** Values of `_groupsRelations`: which related lists a group carries. */
export const GROUP_RELATIONS = ['roles', 'users', 'rolesAndUsers'] as const;
export type GroupRelations = (typeof GROUP_RELATIONS)[number];

/** A role as Frontegg's groups API shows it; its id is the Rollcall role key. */
export interface FronteggGroupRole {
  id: string;
  key: string;
  name: string;
  description: string | null;
  isDefault: boolean;
  permissions: string[];
  createdAt: string;
  updatedAt: string;
}

/** A member of a group as Frontegg's groups API shows it. */
export interface FronteggGroupUser {
  id: string;
  email: string | null;
  name: string;
}

/** A group as Frontegg's groups API shows it. */
export interface FronteggGroup {
  id: string;
  name: string;
  /** SCIM groups have no description or metadata: both are null. */
  description: null;
  metadata: null;
  /** Every group here is provisioned by a SCIM connection. */
  managedBy: 'scim2';
  roles?: FronteggGroupRole[];
  users?: FronteggGroupUser[];
}

const toRole = (role: Role): FronteggGroupRole => ({
  id: role.key,
  key: role.key,
  name: role.name,
  description: role.description,
  isDefault: role.isDefault,
  permissions: role.permissions,
  createdAt: role.createdAt,
  updatedAt: role.updatedAt,
});

const toUser = (user: DirectoryUser): FronteggGroupUser => ({ id: user.id, email: user.email, name: user.displayName ?? user.userName });

/** Logic of the groups API subset; the tenant is an argument of every call. */
export class FronteggGroupService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly groupRoles: GroupRoleService,
  ) {}

  /** Every group of the tenant directory (not paged, as Frontegg's answer is not). */
  async list(tenantId: string, relations?: GroupRelations): Promise<FronteggGroup[]> {
    return this.shape(tenantId, await this.directory.allTenantGroups(tenantId), relations);
  }

  /** One group of the tenant directory; 404 for another tenant's or a staging connection's. */
  async get(tenantId: string, groupId: string, relations?: GroupRelations): Promise<FronteggGroup> {
    const [group] = await this.shape(tenantId, [await this.directory.tenantGroup(tenantId, groupId)], relations);
    return group;
  }

  /** Adds roles (by id, which is the role key) to a group; the group with its roles. */
  async addRoles(actor: Actor, tenantId: string, groupId: string, roleIds: readonly string[]): Promise<FronteggGroup> {
    await this.directory.tenantGroup(tenantId, groupId);
    await this.groupRoles.add(actor, tenantId, groupId, roleIds, 'roleIds');
    return this.get(tenantId, groupId, 'roles');
  }

  /** Removes roles from a group; the group with the roles it keeps. */
  async removeRoles(actor: Actor, tenantId: string, groupId: string, roleIds: readonly string[]): Promise<FronteggGroup> {
    await this.directory.tenantGroup(tenantId, groupId);
    await this.groupRoles.remove(actor, tenantId, groupId, roleIds, 'roleIds');
    return this.get(tenantId, groupId, 'roles');
  }

  private async shape(tenantId: string, groups: readonly DirectoryGroup[], relations: GroupRelations | undefined): Promise<FronteggGroup[]> {
    const ids = groups.map((g) => g.id);
    const withRoles = relations === 'roles' || relations === 'rolesAndUsers';
    const withUsers = relations === 'users' || relations === 'rolesAndUsers';
    const [roles, users] = await Promise.all([
      withRoles ? this.groupRoles.rolesOf(tenantId, ids) : undefined,
      withUsers ? this.directory.userMembersOf(tenantId, ids) : undefined,
    ]);
    return groups.map((group) => ({
      id: group.id,
      name: group.displayName,
      description: null,
      metadata: null,
      managedBy: 'scim2',
      ...(roles ? { roles: (roles.get(group.id) ?? []).map(toRole) } : {}),
      ...(users ? { users: (users.get(group.id) ?? []).map(toUser) } : {}),
    }));
  }
}
