/**
 * Row types of the roles tables (migration 0005). Kept beside the domain rather than in
 * src/db/tables.ts; stores reach them with `kysely.withTables<RoleTables>()`.
 */
import type { Flag } from '../db/tables.js';

export interface RolesTable {
  key: string;
  name: string;
  description: string | null;
  /** JSON array of permission keys. */
  permissions: string;
  is_default: Flag;
  created_at: string;
  updated_at: string;
}

/** One role granted to the members of one SCIM group. */
export interface GroupRolesTable {
  group_id: string;
  role_key: string;
  tenant_id: string;
  created_at: string;
}

/** The tables of the roles domain. */
export type RoleTables = {
  roles: RolesTable;
  group_roles: GroupRolesTable;
};
