/** Row types of the attribute catalogue, connection mappings and re-evaluations (migration 0018); stores reach them with `kysely.withTables<AttributeTables>()`. */

/** The environment's catalogue: one row (id 1); absent means nothing is on. */
export interface AttributeCatalogueTable {
  id: number;
  /** JSON array of the predefined keys that are on. */
  predefined: string;
  /** JSON array of the custom attributes (`{key, type, description, required}`). */
  custom: string;
  /** The URN of the SCIM extension that carries the custom attributes. */
  custom_schema: string;
  updated_at: string;
}

/** A connection's own source paths, over its provider's defaults. */
export interface ConnectionAttributeMappingsTable {
  connection_id: string;
  tenant_id: string;
  /** JSON object: attribute key → SCIM path, or null for "map to nothing". */
  mappings: string;
  updated_at: string;
}

/** The re-evaluation of a connection's users after a change of what its attributes read. */
export interface AttributeEvaluationsTable {
  connection_id: string;
  tenant_id: string;
  generation: number;
  /** The last user id evaluated in this generation ('' before the first). */
  after_id: string;
  processed: number;
  changed: number;
  total: number;
  started_at: string;
  finished_at: string | null;
  updated_at: string;
}

export type AttributeTables = {
  attribute_catalogue: AttributeCatalogueTable;
  connection_attribute_mappings: ConnectionAttributeMappingsTable;
  attribute_evaluations: AttributeEvaluationsTable;
};
