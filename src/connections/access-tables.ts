/** Row type of per-connection IP allowlists (migration 0006); stores reach it with `kysely.withTables<ConnectionAccessTables>()`. */

export interface ConnectionIpAllowlistsTable {
  connection_id: string;
  tenant_id: string;
  /** JSON array of CIDR blocks, as src/limits/ip-allowlist.ts parseAllowlist returns them. */
  cidrs: string;
  updated_at: string;
}

/** The tables of connection access control. */
export type ConnectionAccessTables = {
  connection_ip_allowlists: ConnectionIpAllowlistsTable;
};
