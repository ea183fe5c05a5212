/** Permission keys Rollcall checks, and the roles it seeds on first start. */

/** The self-service provisioning permissions (Frontegg's keys, so vendor tokens port unchanged). */
export const PROVISIONING_PERMISSIONS = {
  /** See the provisioning tab and the tenant's existing SCIM configurations. */
  read: 'fe.secure.read.provisioningConfiguration',
  /** Create a SCIM configuration. */
  write: 'fe.secure.write.provisioningConfiguration',
  /** Delete a SCIM configuration. */
  delete: 'fe.secure.delete.provisioningConfiguration',
} as const;
/** One of the provisioning permission keys. */
export type ProvisioningPermission = (typeof PROVISIONING_PERMISSIONS)[keyof typeof PROVISIONING_PERMISSIONS];

/** The permissions of Frontegg's groups API that Rollcall serves (src/frontegg/group-routes.ts), with Frontegg's keys. */
export const GROUP_PERMISSIONS = {
  /** See the tenant's provisioned groups, their roles and their members. */
  read: 'fe.secure.read.groups',
  /** Add roles to and remove roles from the tenant's provisioned groups. */
  writeRoles: 'fe.secure.write.groupsRoles',
} as const;

/** The permissions Rollcall itself checks, as GET /api/v1/permissions lists them. */
export const KNOWN_PERMISSIONS = [
  { key: PROVISIONING_PERMISSIONS.read, description: 'See the provisioning tab and the existing SCIM configurations of the tenant' },
  { key: PROVISIONING_PERMISSIONS.write, description: 'Create SCIM configurations for the tenant' },
  { key: PROVISIONING_PERMISSIONS.delete, description: 'Delete SCIM configurations of the tenant' },
  { key: GROUP_PERMISSIONS.read, description: 'See the tenant’s provisioned groups, their roles and members (Frontegg’s groups API)' },
  { key: GROUP_PERMISSIONS.writeRoles, description: 'Add roles to and remove roles from the tenant’s provisioned groups' },
] as const;

/**
 * Permission keys: Rollcall's own and any the vendor uses in its app (roles may carry both, as in
 * Frontegg). Letters, digits and `. _ : -`.
 */
export const PERMISSION_KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$';
/** Role keys are chosen by the vendor and appear in paths: URL- and log-safe. */
export const ROLE_KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

/** A role as seeded. */
export interface SeedRole {
  key: string;
  name: string;
  description: string;
  permissions: readonly string[];
  isDefault: boolean;
}

/**
 * Seeded once per environment (see RoleService.seedDefaults). The read-only role is the default: a
 * provisioned user with no mapped group can see the provisioning tab, as in Frontegg, and the
 * vendor changes that with PATCH /api/v1/roles/{key}.
 */
export const SEED_ROLES: readonly SeedRole[] = [
  {
    key: 'admin',
    name: 'Admin',
    description: 'Sees, creates and deletes SCIM configurations',
    permissions: [PROVISIONING_PERMISSIONS.read, PROVISIONING_PERMISSIONS.write, PROVISIONING_PERMISSIONS.delete],
    isDefault: false,
  },
  {
    key: 'read-only',
    name: 'Read-only',
    description: 'Sees SCIM configurations',
    permissions: [PROVISIONING_PERMISSIONS.read],
    isDefault: true,
  },
];
