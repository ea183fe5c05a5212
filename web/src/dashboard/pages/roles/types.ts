/** Shapes of the roles API (src/roles/routes.ts) and the names people read for permission keys. */
import { PERMISSIONS, type ApiBody } from '../../../shared/types.js';

/** A role; every provisioned user has the default role, and at most one role is the default. */
export type Role = ApiBody<'/api/v1/roles/{key}', 'get'>;

/** GET /api/v1/roles */
export type RoleList = ApiBody<'/api/v1/roles', 'get'>;

/** GET /api/v1/permissions: the permissions Rollcall itself checks. */
export type Permissions = ApiBody<'/api/v1/permissions', 'get'>;

export type Permission = Permissions['items'][number];

/** GET /api/v1/tenants/:tenantId/groups/:groupId/roles */
export type GroupRoles = ApiBody<'/api/v1/tenants/{tenantId}/groups/{groupId}/roles', 'get'>;

const LABELS: Record<string, string> = {
  [PERMISSIONS.read]: 'View provisioning',
  [PERMISSIONS.write]: 'Add connections',
  [PERMISSIONS.delete]: 'Delete connections',
  'fe.secure.read.groups': 'View groups',
  'fe.secure.write.groupsRoles': 'Edit group roles',
};

/** "View provisioning" for Rollcall's keys; a vendor's own key as it is. */
export const permissionLabel = (key: string) => LABELS[key] ?? key;

/** Whether Rollcall names this permission (the vendor's own keys are shown as code). */
export const isKnownPermission = (key: string) => key in LABELS;

/** Role keys appear in paths: letters, digits and `. _ -` (as the API checks). */
export const ROLE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
