/**
 * The mirror on SQLite (better-sqlite3): one connection in WAL mode. better-sqlite3 is synchronous
 * and a connection holds one transaction at a time, so transactions are queued here and run one
 * after another, each BEGIN IMMEDIATE … COMMIT.
 */
import Database from 'better-sqlite3';
import type { AppliedEvent, Membership, MirrorGroup, MirrorStorage, MirrorTx, MirrorUser, WriteRule } from './port.js';

/** The schema, created on every start. STRICT: SQLite checks the column types like PostgreSQL does. */
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
  active INTEGER NOT NULL,
  changed_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS users_tenant ON users (tenant_id);
CREATE TABLE IF NOT EXISTS "groups" (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  changed_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS groups_tenant ON "groups" (tenant_id);
CREATE TABLE IF NOT EXISTS memberships (
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  PRIMARY KEY (group_id, user_id)
) STRICT;
CREATE INDEX IF NOT EXISTS memberships_user ON memberships (user_id);
CREATE TABLE IF NOT EXISTS applied_events (
  event_id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  seq INTEGER NOT NULL,
  redeliveries INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS applied_events_seq ON applied_events (seq);
CREATE TABLE IF NOT EXISTS checkpoint (
  name TEXT PRIMARY KEY,
  cursor TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS tombstones (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  removed_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS removed_memberships (
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  removed_at TEXT NOT NULL,
  PRIMARY KEY (group_id, user_id)
) STRICT;
`;

const USER_COLUMNS = 'id, tenant_id, connection_id, user_name, email, first_name, last_name, display_name, active, changed_at';
const USER_VALUES = '@id, @tenantId, @connectionId, @userName, @email, @firstName, @lastName, @displayName, @active, @changedAt';
const USER_UPDATE = `tenant_id = excluded.tenant_id, connection_id = excluded.connection_id, user_name = excluded.user_name, email = excluded.email,
  first_name = excluded.first_name, last_name = excluded.last_name, display_name = excluded.display_name, active = excluded.active, changed_at = excluded.changed_at`;
const GROUP_UPDATE = 'tenant_id = excluded.tenant_id, connection_id = excluded.connection_id, display_name = excluded.display_name, changed_at = excluded.changed_at';
/** `if-newer`: nothing for a deleted resource, and an update only over an older change (see apply.ts). */
const NOT_REMOVED = 'WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE id = @id)';

interface UserRow {
  id: string;
  tenant_id: string;
  connection_id: string;
  user_name: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  display_name: string | null;
  active: number;
}

function prepare(db: Database.Database) {
  return {
    journal: db.prepare<[{ id: string; type: string; appliedAt: string }], { redeliveries: number }>(
      `INSERT INTO applied_events (event_id, type, applied_at, seq)
       VALUES (@id, @type, @appliedAt, (SELECT coalesce(max(seq), 0) + 1 FROM applied_events))
       ON CONFLICT (event_id) DO UPDATE SET redeliveries = redeliveries + 1
       RETURNING redeliveries`,
    ),
    putUser: db.prepare(`INSERT INTO users (${USER_COLUMNS}) VALUES (${USER_VALUES}) ON CONFLICT (id) DO UPDATE SET ${USER_UPDATE}`),
    putUserIfNewer: db.prepare(
      `INSERT INTO users (${USER_COLUMNS}) SELECT ${USER_VALUES} ${NOT_REMOVED}
       ON CONFLICT (id) DO UPDATE SET ${USER_UPDATE} WHERE users.changed_at <= excluded.changed_at`,
    ),
    putGroup: db.prepare(
      `INSERT INTO "groups" (id, tenant_id, connection_id, display_name, changed_at) VALUES (@id, @tenantId, @connectionId, @displayName, @changedAt)
       ON CONFLICT (id) DO UPDATE SET ${GROUP_UPDATE}`,
    ),
    putGroupIfNewer: db.prepare(
      `INSERT INTO "groups" (id, tenant_id, connection_id, display_name, changed_at) SELECT @id, @tenantId, @connectionId, @displayName, @changedAt ${NOT_REMOVED}
       ON CONFLICT (id) DO UPDATE SET ${GROUP_UPDATE} WHERE "groups".changed_at <= excluded.changed_at`,
    ),
    deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
    deleteGroup: db.prepare('DELETE FROM "groups" WHERE id = ?'),
    deleteUserMemberships: db.prepare('DELETE FROM memberships WHERE user_id = ?'),
    deleteGroupMemberships: db.prepare('DELETE FROM memberships WHERE group_id = ?'),
    tombstone: db.prepare('INSERT INTO tombstones (id, kind, removed_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING'),
    liftTombstone: db.prepare('DELETE FROM tombstones WHERE id = ?'),
    memberBlocked: db.prepare<{ groupId: string; userId: string; changedAt: string }, { one: number }>(
      `SELECT 1 AS one FROM tombstones WHERE id IN (@groupId, @userId)
       UNION ALL SELECT 1 FROM removed_memberships WHERE group_id = @groupId AND user_id = @userId AND removed_at > @changedAt`,
    ),
    addMember: db.prepare(
      `INSERT INTO memberships (group_id, user_id, changed_at) VALUES (@groupId, @userId, @changedAt)
       ON CONFLICT (group_id, user_id) DO UPDATE SET changed_at = max(changed_at, excluded.changed_at)`,
    ),
    removeMember: db.prepare('DELETE FROM memberships WHERE group_id = @groupId AND user_id = @userId'),
    removeMemberIfNewer: db.prepare('DELETE FROM memberships WHERE group_id = @groupId AND user_id = @userId AND changed_at <= @removedAt'),
    memberExists: db.prepare<{ groupId: string; userId: string }, { one: number }>('SELECT 1 AS one FROM memberships WHERE group_id = @groupId AND user_id = @userId'),
    recordRemoval: db.prepare(
      `INSERT INTO removed_memberships (group_id, user_id, removed_at) VALUES (@groupId, @userId, @removedAt)
       ON CONFLICT (group_id, user_id) DO UPDATE SET removed_at = max(removed_at, excluded.removed_at)`,
    ),
    setCheckpoint: db.prepare('INSERT INTO checkpoint (name, cursor) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor'),
    clearCheckpoint: db.prepare('DELETE FROM checkpoint WHERE name = ?'),
    checkpoint: db.prepare<[string], { cursor: string }>('SELECT cursor FROM checkpoint WHERE name = ?'),
    users: db.prepare<[], UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`),
    groups: db.prepare<[], MirrorGroup>('SELECT id, tenant_id AS tenantId, connection_id AS connectionId, display_name AS displayName FROM "groups" ORDER BY id'),
    memberships: db.prepare<[], Membership>('SELECT group_id AS groupId, user_id AS userId FROM memberships ORDER BY group_id, user_id'),
    appliedEvents: db.prepare<[], AppliedEvent>('SELECT event_id AS eventId, type, applied_at AS appliedAt, redeliveries FROM applied_events ORDER BY seq'),
  };
}
type Statements = ReturnType<typeof prepare>;

const userParams = (user: MirrorUser, changedAt: string) => ({ ...user, active: user.active ? 1 : 0, changedAt });

function toUser(row: UserRow): MirrorUser {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    userName: row.user_name,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    displayName: row.display_name,
    active: row.active === 1,
  };
}

/** The statements of the running transaction (the connection runs one at a time). */
class SqliteTx implements MirrorTx {
  constructor(private readonly s: Statements) {}

  async recordApplied(event: { id: string; type: string }, appliedAt: string): Promise<boolean> {
    return this.s.journal.get({ id: event.id, type: event.type, appliedAt })?.redeliveries === 0;
  }

  async putUser(user: MirrorUser, changedAt: string, rule: WriteRule): Promise<boolean> {
    if (rule === 'if-newer') return this.s.putUserIfNewer.run(userParams(user, changedAt)).changes > 0;
    this.s.liftTombstone.run(user.id);
    this.s.putUser.run(userParams(user, changedAt));
    return true;
  }

  async deleteUser(id: string, removedAt: string): Promise<void> {
    this.s.deleteUser.run(id);
    this.s.deleteUserMemberships.run(id);
    this.s.tombstone.run(id, 'user', removedAt);
  }

  async putGroup(group: MirrorGroup, changedAt: string, rule: WriteRule): Promise<boolean> {
    if (rule === 'if-newer') return this.s.putGroupIfNewer.run({ ...group, changedAt }).changes > 0;
    this.s.liftTombstone.run(group.id);
    this.s.putGroup.run({ ...group, changedAt });
    return true;
  }

  async deleteGroup(id: string, removedAt: string): Promise<void> {
    this.s.deleteGroup.run(id);
    this.s.deleteGroupMemberships.run(id);
    this.s.tombstone.run(id, 'group', removedAt);
  }

  async addMember(m: Membership, changedAt: string, rule: WriteRule): Promise<boolean> {
    const params = { groupId: m.groupId, userId: m.userId, changedAt };
    if (rule === 'if-newer' && this.s.memberBlocked.get(params)) return false;
    this.s.addMember.run(params);
    return true;
  }

  async removeMember(m: Membership, removedAt: string, rule: WriteRule): Promise<boolean> {
    const params = { groupId: m.groupId, userId: m.userId, removedAt };
    this.s.recordRemoval.run(params);
    if (rule === 'overwrite') {
      this.s.removeMember.run(params);
      return true;
    }
    // Nothing deleted and the row still there: it was added by a later change.
    return this.s.removeMemberIfNewer.run(params).changes > 0 || !this.s.memberExists.get(params);
  }

  async setCheckpoint(name: string, cursor: string | undefined): Promise<void> {
    if (cursor === undefined) this.s.clearCheckpoint.run(name);
    else this.s.setCheckpoint.run(name, cursor);
  }

  async users(): Promise<MirrorUser[]> {
    return this.s.users.all().map(toUser);
  }

  async groups(): Promise<MirrorGroup[]> {
    return this.s.groups.all();
  }

  async memberships(): Promise<Membership[]> {
    return this.s.memberships.all();
  }
}

/** The mirror in a SQLite file. */
export class SqliteStorage implements MirrorStorage {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private statements: Statements | undefined;
  /** The tail of the transaction queue. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before the webhook server answers 2xx; NORMAL could lose the last
    // commits on power loss, and Rollcall would not send those events again.
    this.db.pragma('synchronous = FULL');
    // Another process (reconcile beside follow) waits for the write lock instead of failing at once.
    this.db.pragma('busy_timeout = 10000');
  }

  async migrate(): Promise<void> {
    this.db.exec(SCHEMA);
    this.statements = prepare(this.db);
  }

  private get s(): Statements {
    if (!this.statements) throw new Error('SqliteStorage: call migrate() first');
    return this.statements;
  }

  transaction<T>(work: (tx: MirrorTx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(new SqliteTx(this.s));
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async checkpoint(name: string): Promise<string | undefined> {
    return this.s.checkpoint.get(name)?.cursor;
  }

  async appliedEvents(): Promise<AppliedEvent[]> {
    return this.s.appliedEvents.all();
  }

  async close(): Promise<void> {
    await this.queue;
    this.db.close();
  }
}
