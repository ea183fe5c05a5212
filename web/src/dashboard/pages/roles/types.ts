/** Shapes of the roles API (src/roles/routes.ts) and the names people read for permission keys. */
import { PERMISSIONS } from '../../../shared/types.js';

export interface Role {
  key: string;
  name: string;
  description: string | null;
  permissions: string[];
  /** Every provisioned user has the default role; at most one role is the default. */
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

/** GET /api/v1/permissions: the permissions Rollcall itself checks. */
export interface Permission {
  key: string;
  description: string;
}

/** GET /api/v1/tenants/:tenantId/groups/:groupId/roles */
export interface GroupRoles {
  tenantId: string;
  groupId: string;
  roleKeys: string[];
}

const LABELS: Record<string, string> = {
  [PERMISSIONS.read]: 'View provisioning',
  [PERMISSIONS.write]: 'Add connections',
  [PERMISSIONS.delete]: 'Delete connections',
};

/** "View provisioning" for Rollcall's keys; a vendor's own key as it is. */
export const permissionLabel = (key: string) => LABELS[key] ?? key;

/** Whether Rollcall names this permission (the vendor's own keys are shown as code). */
export const isKnownPermission = (key: string) => key in LABELS;

/** Role keys appear in paths: letters, digits and `. _ -` (as the API checks). */
export const ROLE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
