/** Shapes of the directory API (src/directory/shape.ts and schemas.ts), from ../../../shared/types.ts. */
import type { ApiBody } from '../../../shared/types.js';

/** GET /api/v1/tenants/:tenantId/users (and a connection's users): a page of users. */
export type UserPage = ApiBody<'/api/v1/tenants/{tenantId}/users', 'get'>;

/** A provisioned user, with its direct groups and effective role keys; `scim` is the resource as the IdP sent it. */
export type DirectoryUser = ApiBody<'/api/v1/users/{id}', 'get'>;

/** GET /api/v1/tenants/:tenantId/groups (and a connection's groups): a page of groups. */
export type GroupPage = ApiBody<'/api/v1/tenants/{tenantId}/groups', 'get'>;

/** A provisioned group with its direct member count. */
export type DirectoryGroup = GroupPage['items'][number];

/** GET /api/v1/groups/:id: the group and its direct member count. */
export type DirectoryGroupDetail = ApiBody<'/api/v1/groups/{id}', 'get'>;

/** A member of a group: a user, or a nested group (`type: 'group'`, without a member count of its own). */
export type GroupMember = ({ type: 'user' } & DirectoryUser) | ({ type: 'group' } & Omit<DirectoryGroup, 'memberCount'>);

/**
 * GET /api/v1/groups/:id/members. The schema lists a member's fields as one object (those of a user
 * and a group together); `type` tells which of the two each member is.
 */
export type MemberPage = Omit<ApiBody<'/api/v1/groups/{id}/members', 'get'>, 'items'> & { items: GroupMember[] };
