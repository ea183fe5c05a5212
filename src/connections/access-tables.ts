/** Row type of per-connection IP allowlists (migration 0006); stores reach it with `kysely.withTables<ConnectionAccessTables>()`. */

export interface ConnectionIpAllowlistsTable {
  connection_id: string;
  tenant_id: string;
  /** JSON array of CIDR blocks, as src/limits/ip-allowlist.ts parseAllowlist returns them. */
  cidrs: string;
  updated_at: string;
}

/** Row type of per-connection compatibility switches (migration 0016, src/connections/compatibility.ts). */
export interface ConnectionCompatibilityTable {
  connection_id: string;
  tenant_id: string;
  /** JSON object of the switches set for the connection; the others take the source preset's default. */
  settings: string;
  updated_at: string;
}

/** The tables of connection access control and of how SCIM requests of a connection are answered. */
export type ConnectionAccessTables = {
  connection_ip_allowlists: ConnectionIpAllowlistsTable;
  connection_compatibility: ConnectionCompatibilityTable;
};
