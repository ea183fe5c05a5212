/** Row type of the audit log (migration 0005); stores reach it with `kysely.withTables<AuditTables>()`. */
import type { Generated } from 'kysely';

export interface AuditLogTable {
  seq: Generated<number>;
  id: string;
  occurred_at: string;
  /** `credential` (environment token) or `user` (user token). */
  actor_type: string;
  /** The vendor credential id, or the user id of a user token. */
  actor_id: string;
  actor_client_id: string | null;
  /** The tenant of a user token. */
  actor_tenant_id: string | null;
  /** The tenant the change concerns; null for environment-wide changes (roles, settings). */
  tenant_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  /** JSON object: what changed. */
  data: string;
}

/** The tables of the audit domain. */
export type AuditTables = {
  audit_log: AuditLogTable;
};
