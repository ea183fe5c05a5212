/** Storage of the audit log: appended in the caller's transaction, read newest first. */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Actor } from './actor.js';
import type { AuditLogTable, AuditTables } from './tables.js';

export type AuditRow = Selectable<AuditLogTable>;

/** What changed; the actor and the time are added when it is written. */
export interface AuditChange {
  action: AuditAction;
  /** The tenant concerned; null for environment-wide changes. */
  tenantId: string | null;
  target: { type: string; id: string | null };
  data?: Record<string, unknown>;
}

/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'connection.created',
  'connection.updated',
  'connection.deleted',
  'role.created',
  'role.updated',
  'role.deleted',
  'group.roles_updated',
  'settings.updated',
  'attributes.updated',
  'user_token.created',
] as const;
/** One of the audit actions. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Filters and position of a page; `before` is the seq of the last entry already seen. */
export interface AuditQuery {
  tenantId?: string;
  action?: AuditAction;
  before?: number;
  limit: number;
}

/** Storage port of the audit domain; construct it on a transaction to write with a change. */
export class AuditStore {
  private readonly db: Kysely<Database & AuditTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<AuditTables>();
  }

  async append(actor: Actor, change: AuditChange, now: string): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        id: randomUUID(),
        occurred_at: now,
        actor_type: actor.type,
        actor_id: actor.id,
        actor_client_id: actor.type === 'credential' ? actor.clientId : null,
        actor_tenant_id: actor.type === 'user' ? actor.tenantId : null,
        tenant_id: change.tenantId,
        action: change.action,
        target_type: change.target.type,
        target_id: change.target.id,
        data: JSON.stringify(change.data ?? {}),
      })
      .execute();
  }

  /** Entries newest first. */
  list(query: AuditQuery): Promise<AuditRow[]> {
    let select = this.db.selectFrom('audit_log').selectAll();
    if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
    if (query.action !== undefined) select = select.where('action', '=', query.action);
    if (query.before !== undefined) select = select.where('seq', '<', query.before);
    return select.orderBy('seq', 'desc').limit(query.limit).execute();
  }
}
