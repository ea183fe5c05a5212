/** The audit log: who changed connections, roles, settings and user tokens, and when. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { nowIso } from '../db/time.js';
import { validationFailed } from '../http/api-errors.js';
import type { Actor } from './actor.js';
import { AuditStore, type AuditAction, type AuditChange, type AuditRow } from './store.js';

/** An audit entry as GET /api/v1/audit shows it. */
export interface AuditEntry {
  id: string;
  occurredAt: string;
  action: string;
  tenantId: string | null;
  actor: { type: string; id: string; clientId?: string; tenantId?: string };
  target: { type: string; id: string | null };
  data: Record<string, unknown>;
}

/** A page, newest first; `nextCursor` is null on the last page. */
export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

function toEntry(row: AuditRow): AuditEntry {
  const actor: AuditEntry['actor'] = { type: row.actor_type, id: row.actor_id };
  if (row.actor_client_id !== null) actor.clientId = row.actor_client_id;
  if (row.actor_tenant_id !== null) actor.tenantId = row.actor_tenant_id;
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    action: row.action,
    tenantId: row.tenant_id,
    actor,
    target: { type: row.target_type, id: row.target_id },
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

const encodeCursor = (seq: number) => Buffer.from(`audit:${seq}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^audit:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw validationFailed('querystring.cursor is not a cursor this API returned', 'querystring.cursor');
  return Number(match[1]);
}

/** Logic of the audit domain. */
export class AuditService {
  private readonly store: AuditStore;

  constructor(db: Kysely<Database>) {
    this.store = new AuditStore(db);
  }

  /**
   * Records an event that changes nothing in the database (a user token minted). Changes write their
   * entry in their own transaction instead: roles and settings through AuditStore, connections through
   * ./with-change.ts.
   */
  record(actor: Actor, change: AuditChange): Promise<void> {
    return this.store.append(actor, change, nowIso());
  }

  async page(query: { tenantId?: string; action?: AuditAction; cursor?: string; limit: number }): Promise<AuditPage> {
    const before = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.store.list({ tenantId: query.tenantId, action: query.action, before, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = rows.length > query.limit ? page.at(-1) : undefined;
    return { items: page.map(toEntry), nextCursor: last ? encodeCursor(last.seq) : null };
  }
}
