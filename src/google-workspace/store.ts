/**
 * Storage of Google Workspace connections: their grant and schedule, the lease of the process syncing
 * each, their sync records, and the connection's SCIM users and groups as a sync compares them. The
 * tenant is part of every query that a caller names a connection in.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { chunks } from '../scim/store/scope.js';
import type { GoogleWorkspaceConnectionsTable, GoogleWorkspaceSyncsTable, GoogleWorkspaceTables } from './tables.js';
import type { SyncCounts, SyncStatus } from './types.js';

export type GoogleConnectionRow = GoogleWorkspaceConnectionsTable;
export type SyncRow = GoogleWorkspaceSyncsTable;

/** The connection's SCIM resources as a sync compares them with Google's. */
export interface HeldDirectory {
  users: { id: string; externalId: string | null; userName: string; active: boolean; resource: string }[];
  groups: { id: string; externalId: string | null; displayName: string }[];
  /** Group id → its user members' ids. */
  members: Map<string, string[]>;
}

/** A connection of a tenant, as the SCIM stores scope it. */
interface Owner {
  tenantId: string;
  connectionId: string;
}

type Changes = Partial<Omit<GoogleConnectionRow, 'connection_id' | 'tenant_id' | 'created_at'>>;

export class GoogleWorkspaceStore {
  private readonly db: Kysely<Database & GoogleWorkspaceTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<GoogleWorkspaceTables>();
  }

  /** Inserts the row of a connection being created, in the creating transaction. */
  static insert(trx: Kysely<Database>, row: GoogleConnectionRow): Promise<unknown> {
    return trx.withTables<GoogleWorkspaceTables>().insertInto('google_workspace_connections').values(row).execute();
  }

  /** The connection's row; with `tenantId`, only a connection of that tenant. */
  find(connectionId: string, tenantId?: string): Promise<GoogleConnectionRow | undefined> {
    let query = this.db.selectFrom('google_workspace_connections').selectAll().where('connection_id', '=', connectionId);
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    return query.executeTakeFirst();
  }

  /** Changes the row; false when it does not exist. */
  async update(connectionId: string, tenantId: string, changes: Changes): Promise<boolean> {
    const result = await this.db.updateTable('google_workspace_connections').set(changes).where('connection_id', '=', connectionId).where('tenant_id', '=', tenantId).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The connection whose OAuth consent carries this state, if it has not expired; the state is used up. */
  async takeOAuthState(stateHash: string, now: string): Promise<GoogleConnectionRow | undefined> {
    const row = await this.db.selectFrom('google_workspace_connections').selectAll().where('oauth_state_hash', '=', stateHash).executeTakeFirst();
    if (!row) return undefined;
    const taken = await this.db
      .updateTable('google_workspace_connections')
      .set({ oauth_state_hash: null, oauth_state_expires_at: null, oauth_return_to: null, oauth_actor: null })
      .where('connection_id', '=', row.connection_id)
      .where('oauth_state_hash', '=', stateHash)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) return undefined; // another request used it first
    return row.oauth_state_expires_at !== null && row.oauth_state_expires_at > now ? row : undefined;
  }

  /**
   * An active connection that is due (its time came, or a sync was asked for) and that no process is
   * syncing. Only a read: an idle deployment takes no write transaction for its schedule.
   */
  due(now: string): Promise<Pick<GoogleConnectionRow, 'connection_id' | 'tenant_id'> | undefined> {
    return this.db
      .selectFrom('google_workspace_connections')
      .select(['connection_id', 'tenant_id'])
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('sync_requested_at', 'is not', null), eb('next_sync_at', '<=', now)]))
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('next_sync_at')
      .limit(1)
      .executeTakeFirst();
  }

  /** Claims the connection's sync for `holder` until `until`; false when another process holds it or it is no longer active. */
  async claim(owner: Owner, holder: string, now: string, until: string): Promise<boolean> {
    const result = await this.db
      .updateTable('google_workspace_connections')
      .set({ lease_holder: holder, lease_until: until })
      .where('connection_id', '=', owner.connectionId)
      .where('tenant_id', '=', owner.tenantId)
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Extends the holder's claim; false when it lost it (it ran past its lease and another process took over). */
  async renew(owner: Owner, holder: string, until: string): Promise<boolean> {
    const result = await this.db
      .updateTable('google_workspace_connections')
      .set({ lease_until: until })
      .where('connection_id', '=', owner.connectionId)
      .where('tenant_id', '=', owner.tenantId)
      .where('lease_holder', '=', holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Ends the holder's claim and schedules the next sync. A "Sync now" asked for after this sync
   * started is kept, so it runs next.
   */
  async release(owner: Owner, holder: string, startedAt: string, nextSyncAt: string): Promise<void> {
    await this.db
      .updateTable('google_workspace_connections')
      .set((eb) => ({
        lease_holder: null,
        lease_until: null,
        next_sync_at: nextSyncAt,
        sync_requested_at: eb.case().when('sync_requested_at', '<=', startedAt).then(null).else(eb.ref('sync_requested_at')).end(),
        sync_trigger: eb.case().when('sync_requested_at', '<=', startedAt).then(null).else(eb.ref('sync_trigger')).end(),
      }))
      .where('connection_id', '=', owner.connectionId)
      .where('tenant_id', '=', owner.tenantId)
      .where('lease_holder', '=', holder)
      .execute();
  }

  /** Records a sync as started; any other record of the connection still `running` belonged to a process that stopped. */
  async startSync(row: SyncRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('google_workspace_syncs')
        .set({ status: 'interrupted', finished_at: row.started_at, error: 'The process running this sync stopped before it finished; the next sync completed what it left.' })
        .where('connection_id', '=', row.connection_id)
        .where('tenant_id', '=', row.tenant_id)
        .where('status', '=', 'running')
        .execute();
      await trx.insertInto('google_workspace_syncs').values(row).execute();
    });
  }

  async finishSync(owner: Owner, id: string, status: SyncStatus, counts: SyncCounts, error: string | null, at: string): Promise<void> {
    await this.db
      .updateTable('google_workspace_syncs')
      .set({ status, counts: JSON.stringify(counts), error, finished_at: at })
      .where('id', '=', id)
      .where('connection_id', '=', owner.connectionId)
      .where('tenant_id', '=', owner.tenantId)
      .execute();
  }

  /** The connection's syncs, newest first, after the (startedAt, id) of `before`. */
  syncs(owner: Owner, limit: number, before?: { startedAt: string; id: string }): Promise<SyncRow[]> {
    let query = this.db.selectFrom('google_workspace_syncs').selectAll().where('connection_id', '=', owner.connectionId).where('tenant_id', '=', owner.tenantId);
    if (before) {
      query = query.where((eb) => eb.or([eb('started_at', '<', before.startedAt), eb.and([eb('started_at', '=', before.startedAt), eb('id', '<', before.id)])]));
    }
    return query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** The last sync of each of these connections. */
  async lastSyncs(connectionIds: readonly string[]): Promise<Map<string, SyncRow>> {
    const out = new Map<string, SyncRow>();
    for (const id of connectionIds) {
      const [row] = await this.db.selectFrom('google_workspace_syncs').selectAll().where('connection_id', '=', id).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).execute();
      if (row) out.set(id, row);
    }
    return out;
  }

  /** The rows of these connections. */
  async rows(connectionIds: readonly string[]): Promise<GoogleConnectionRow[]> {
    if (connectionIds.length === 0) return [];
    return this.db.selectFrom('google_workspace_connections').selectAll().where('connection_id', 'in', connectionIds).execute();
  }

  /** The connection's SCIM users, groups and user memberships. */
  async held(owner: Owner): Promise<HeldDirectory> {
    const users = await this.db
      .selectFrom('scim_users')
      .select(['id', 'external_id', 'user_name', 'active', 'resource'])
      .where('tenant_id', '=', owner.tenantId)
      .where('connection_id', '=', owner.connectionId)
      .where('detached', '=', 0)
      .execute();
    const groups = await this.db
      .selectFrom('scim_groups')
      .select(['id', 'external_id', 'display_name'])
      .where('tenant_id', '=', owner.tenantId)
      .where('connection_id', '=', owner.connectionId)
      .where('detached', '=', 0)
      .execute();
    const members = new Map<string, string[]>();
    for (const ids of chunks(groups.map((g) => g.id), 500)) {
      const rows = await this.db
        .selectFrom('scim_group_members')
        .select(['group_id', 'member_id'])
        .where('tenant_id', '=', owner.tenantId)
        .where('group_id', 'in', ids)
        .where('member_type', '=', 'User')
        .execute();
      for (const row of rows) {
        const list = members.get(row.group_id);
        if (list) list.push(row.member_id);
        else members.set(row.group_id, [row.member_id]);
      }
    }
    return {
      users: users.map((u) => ({ id: u.id, externalId: u.external_id, userName: u.user_name, active: u.active === 1, resource: u.resource })),
      groups: groups.map((g) => ({ id: g.id, externalId: g.external_id, displayName: g.display_name })),
      members,
    };
  }
}
