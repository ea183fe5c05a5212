/**
 * The mirror on PostgreSQL (pg): a pool, one client per transaction, so the webhook server's
 * concurrent requests commit in parallel. Same statements as sqlite.ts, in PostgreSQL's dialect.
 */
import pg from 'pg';
import type { AppliedEvent, Membership, MirrorGroup, MirrorStorage, MirrorTx, MirrorUser, WriteRule } from './port.js';

/** The schema, created on every start under an advisory lock (CREATE … IF NOT EXISTS races otherwise). */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  email TEXT,
  first_name TEXT,
  last_name TEXT,
  display_name TEXT,
  active BOOLEAN NOT NULL,
  changed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS users_tenant ON users (tenant_id);
CREATE TABLE IF NOT EXISTS "groups" (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  changed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS groups_tenant ON "groups" (tenant_id);
CREATE TABLE IF NOT EXISTS memberships (
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX IF NOT EXISTS memberships_user ON memberships (user_id);
CREATE TABLE IF NOT EXISTS applied_events (
  event_id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  redeliveries INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS checkpoint (
  name TEXT PRIMARY KEY,
  cursor TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tombstones (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  removed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS removed_memberships (
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  removed_at TEXT NOT NULL,
  PRIMARY KEY (group_id, user_id)
);
`;

const USER_COLUMNS = 'id, tenant_id, connection_id, user_name, email, first_name, last_name, display_name, active, changed_at';
const USER_UPDATE = `tenant_id = excluded.tenant_id, connection_id = excluded.connection_id, user_name = excluded.user_name, email = excluded.email,
  first_name = excluded.first_name, last_name = excluded.last_name, display_name = excluded.display_name, active = excluded.active, changed_at = excluded.changed_at`;
const GROUP_UPDATE = 'tenant_id = excluded.tenant_id, connection_id = excluded.connection_id, display_name = excluded.display_name, changed_at = excluded.changed_at';

const SQL = {
  journal: `INSERT INTO applied_events (event_id, type, applied_at) VALUES ($1, $2, $3)
    ON CONFLICT (event_id) DO UPDATE SET redeliveries = applied_events.redeliveries + 1
    RETURNING redeliveries`,
  putUser: `INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO UPDATE SET ${USER_UPDATE}`,
  // `if-newer`: nothing for a deleted resource, and an update only over an older change (see apply.ts).
  putUserIfNewer: `INSERT INTO users (${USER_COLUMNS}) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9::boolean, $10
    WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE id = $1)
    ON CONFLICT (id) DO UPDATE SET ${USER_UPDATE} WHERE users.changed_at <= excluded.changed_at`,
  putGroup: `INSERT INTO "groups" (id, tenant_id, connection_id, display_name, changed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET ${GROUP_UPDATE}`,
  putGroupIfNewer: `INSERT INTO "groups" (id, tenant_id, connection_id, display_name, changed_at) SELECT $1, $2, $3, $4, $5
    WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE id = $1)
    ON CONFLICT (id) DO UPDATE SET ${GROUP_UPDATE} WHERE "groups".changed_at <= excluded.changed_at`,
  deleteUser: 'DELETE FROM users WHERE id = $1',
  deleteGroup: 'DELETE FROM "groups" WHERE id = $1',
  deleteUserMemberships: 'DELETE FROM memberships WHERE user_id = $1',
  deleteGroupMemberships: 'DELETE FROM memberships WHERE group_id = $1',
  tombstone: 'INSERT INTO tombstones (id, kind, removed_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
  liftTombstone: 'DELETE FROM tombstones WHERE id = $1',
  memberBlocked: `SELECT 1 AS one FROM tombstones WHERE id IN ($1, $2)
    UNION ALL SELECT 1 FROM removed_memberships WHERE group_id = $1 AND user_id = $2 AND removed_at > $3`,
  addMember: `INSERT INTO memberships (group_id, user_id, changed_at) VALUES ($1, $2, $3)
    ON CONFLICT (group_id, user_id) DO UPDATE SET changed_at = greatest(memberships.changed_at, excluded.changed_at)`,
  removeMember: 'DELETE FROM memberships WHERE group_id = $1 AND user_id = $2',
  removeMemberIfNewer: 'DELETE FROM memberships WHERE group_id = $1 AND user_id = $2 AND changed_at <= $3',
  memberExists: 'SELECT 1 AS one FROM memberships WHERE group_id = $1 AND user_id = $2',
  recordRemoval: `INSERT INTO removed_memberships (group_id, user_id, removed_at) VALUES ($1, $2, $3)
    ON CONFLICT (group_id, user_id) DO UPDATE SET removed_at = greatest(removed_memberships.removed_at, excluded.removed_at)`,
  setCheckpoint: 'INSERT INTO checkpoint (name, cursor) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor',
  clearCheckpoint: 'DELETE FROM checkpoint WHERE name = $1',
  checkpoint: 'SELECT cursor FROM checkpoint WHERE name = $1',
  users: `SELECT id, tenant_id AS "tenantId", connection_id AS "connectionId", user_name AS "userName", email, first_name AS "firstName",
    last_name AS "lastName", display_name AS "displayName", active FROM users ORDER BY id`,
  groups: 'SELECT id, tenant_id AS "tenantId", connection_id AS "connectionId", display_name AS "displayName" FROM "groups" ORDER BY id',
  memberships: 'SELECT group_id AS "groupId", user_id AS "userId" FROM memberships ORDER BY group_id, user_id',
  appliedEvents: 'SELECT event_id AS "eventId", type, applied_at AS "appliedAt", redeliveries FROM applied_events ORDER BY seq',
};

/** Two transactions of the webhook server can lock the same memberships in opposite orders; one is then retried. */
const RETRYABLE = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure
const ATTEMPTS = 3;

const userValues = (u: MirrorUser, changedAt: string) => [u.id, u.tenantId, u.connectionId, u.userName, u.email, u.firstName, u.lastName, u.displayName, u.active, changedAt];

/** The statements of one transaction, on its own client. */
class PostgresTx implements MirrorTx {
  constructor(private readonly client: pg.PoolClient) {}

  private async count(text: string, values: unknown[]): Promise<number> {
    return (await this.client.query(text, values)).rowCount ?? 0;
  }

  async recordApplied(event: { id: string; type: string }, appliedAt: string): Promise<boolean> {
    const { rows } = await this.client.query<{ redeliveries: number }>(SQL.journal, [event.id, event.type, appliedAt]);
    return rows[0]?.redeliveries === 0;
  }

  async putUser(user: MirrorUser, changedAt: string, rule: WriteRule): Promise<boolean> {
    if (rule === 'if-newer') return (await this.count(SQL.putUserIfNewer, userValues(user, changedAt))) > 0;
    await this.client.query(SQL.liftTombstone, [user.id]);
    await this.client.query(SQL.putUser, userValues(user, changedAt));
    return true;
  }

  async deleteUser(id: string, removedAt: string): Promise<void> {
    await this.client.query(SQL.deleteUser, [id]);
    await this.client.query(SQL.deleteUserMemberships, [id]);
    await this.client.query(SQL.tombstone, [id, 'user', removedAt]);
  }

  async putGroup(group: MirrorGroup, changedAt: string, rule: WriteRule): Promise<boolean> {
    const values = [group.id, group.tenantId, group.connectionId, group.displayName, changedAt];
    if (rule === 'if-newer') return (await this.count(SQL.putGroupIfNewer, values)) > 0;
    await this.client.query(SQL.liftTombstone, [group.id]);
    await this.client.query(SQL.putGroup, values);
    return true;
  }

  async deleteGroup(id: string, removedAt: string): Promise<void> {
    await this.client.query(SQL.deleteGroup, [id]);
    await this.client.query(SQL.deleteGroupMemberships, [id]);
    await this.client.query(SQL.tombstone, [id, 'group', removedAt]);
  }

  async addMember(m: Membership, changedAt: string, rule: WriteRule): Promise<boolean> {
    if (rule === 'if-newer' && (await this.count(SQL.memberBlocked, [m.groupId, m.userId, changedAt])) > 0) return false;
    await this.client.query(SQL.addMember, [m.groupId, m.userId, changedAt]);
    return true;
  }

  async removeMember(m: Membership, removedAt: string, rule: WriteRule): Promise<boolean> {
    await this.client.query(SQL.recordRemoval, [m.groupId, m.userId, removedAt]);
    if (rule === 'overwrite') {
      await this.client.query(SQL.removeMember, [m.groupId, m.userId]);
      return true;
    }
    // Nothing deleted and the row still there: it was added by a later change.
    if ((await this.count(SQL.removeMemberIfNewer, [m.groupId, m.userId, removedAt])) > 0) return true;
    return (await this.count(SQL.memberExists, [m.groupId, m.userId])) === 0;
  }

  async setCheckpoint(name: string, cursor: string | undefined): Promise<void> {
    if (cursor === undefined) await this.client.query(SQL.clearCheckpoint, [name]);
    else await this.client.query(SQL.setCheckpoint, [name, cursor]);
  }

  async users(): Promise<MirrorUser[]> {
    return (await this.client.query<MirrorUser>(SQL.users)).rows;
  }

  async groups(): Promise<MirrorGroup[]> {
    return (await this.client.query<MirrorGroup>(SQL.groups)).rows;
  }

  async memberships(): Promise<Membership[]> {
    return (await this.client.query<Membership>(SQL.memberships)).rows;
  }
}

/** The mirror in a PostgreSQL database. */
export class PostgresStorage implements MirrorStorage {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;

  constructor(connectionString: string) {
    this.pool = new pg.Pool({ connectionString, max: 10 });
    // An idle client losing its connection (the server restarted) is replaced on next use; without a
    // listener the error would end the process.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('directory-mirror schema'))");
      await client.query(SCHEMA);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async transaction<T>(work: (tx: MirrorTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(new PostgresTx(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
        const code = (error as { code?: unknown }).code;
        if (attempt < ATTEMPTS && typeof code === 'string' && RETRYABLE.has(code)) continue;
        throw error;
      } finally {
        // A client whose rollback failed is discarded, not returned to the pool mid-transaction.
        client.release(broken);
      }
    }
  }

  async checkpoint(name: string): Promise<string | undefined> {
    return (await this.pool.query<{ cursor: string }>(SQL.checkpoint, [name])).rows[0]?.cursor;
  }

  async appliedEvents(): Promise<AppliedEvent[]> {
    return (await this.pool.query<AppliedEvent>(SQL.appliedEvents)).rows;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
