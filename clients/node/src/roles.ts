/**
 * `rollcall.roles`, `rollcall.permissions` and `rollcall.groupRoles`: the roles your app grants, the
 * permissions they carry, and which roles a SCIM group's members get (docs/self-service.md).
 */
import type { ApiClient } from './api-client.js';
import type { Json, RequestBody } from './operations.js';

/** A role. */
export type Role = Json<'/api/v1/roles/{key}', 'get'>;
/** What creates a role. */
export type NewRole = RequestBody<'/api/v1/roles', 'post'>;
/** What changes a role. */
export type RoleUpdate = RequestBody<'/api/v1/roles/{key}', 'patch'>;
/** A permission Rollcall checks. */
export type Permission = Json<'/api/v1/permissions', 'get'>['items'][number];
/** The roles mapped to a SCIM group. */
export type GroupRoleMapping = Json<'/api/v1/tenants/{tenantId}/groups/{groupId}/roles', 'get'>;

/** Creates, reads, changes and deletes roles. */
export class Roles {
  constructor(private readonly api: ApiClient) {}

  /** Every role (the API answers them in one response). */
  async list(): Promise<Role[]> {
    return (await this.api.call('listRoles', {})).items;
  }

  /** Creates a role (RollcallConflictError when the key is taken). */
  create(body: NewRole): Promise<Role> {
    return this.api.call('createRole', { body });
  }

  /** One role. */
  get(key: string): Promise<Role> {
    return this.api.call('getRole', { path: { key } });
  }

  /** Changes a role; answers it as it now is. */
  update(key: string, body: RoleUpdate): Promise<Role> {
    return this.api.call('updateRole', { path: { key }, body });
  }

  /** Deletes a role. */
  async delete(key: string): Promise<void> {
    await this.api.call('deleteRole', { path: { key } });
  }
}

/** The permissions Rollcall itself checks. */
export class Permissions {
  constructor(private readonly api: ApiClient) {}

  /** Every permission Rollcall checks. */
  async list(): Promise<Permission[]> {
    return (await this.api.call('listPermissions', {})).items;
  }
}

/** Which roles the members of a tenant's SCIM group get. */
export class GroupRoles {
  constructor(private readonly api: ApiClient) {}

  /** The role keys mapped to the group. */
  get(tenantId: string, groupId: string): Promise<GroupRoleMapping> {
    return this.api.call('getGroupRoles', { path: { tenantId, groupId } });
  }

  /** Replaces the role keys mapped to the group. */
  set(tenantId: string, groupId: string, roleKeys: readonly string[]): Promise<GroupRoleMapping> {
    return this.api.call('setGroupRoles', { path: { tenantId, groupId }, body: { roleKeys: [...roleKeys] } });
  }
}
