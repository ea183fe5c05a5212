/**
 * `reconcile`: repairs a mirror that missed events — restored from an old backup, or stopped longer
 * than the feed keeps events (EVENT_RETENTION_DAYS) — by comparing it with the directory API.
 *
 * 1. Note where the feed ends now (the newest event's cursor), before reading anything else.
 * 2. Read every tenant's users, groups and group members.
 * 3. In one transaction: insert, update and delete what differs, and set the checkpoint to the noted
 *    position. `follow` then replays the events after it. Those may be older than what step 2 read
 *    (changes made while it ran), but they come in order and end with the newest state: the mirror
 *    converges. Nothing that happened before the noted position is missed, since step 2 came after it.
 *
 * Run it while `follow` is stopped: both set the checkpoint.
 */
import { RollcallNotFoundError, type Rollcall } from '@rollcall/client';
import { FEED_CHECKPOINT, type Membership, type MirrorGroup, type MirrorStorage, type MirrorTx, type MirrorUser } from './storage/port.js';

/** What reconcile needs of the client. */
export type ReconcileSource = Pick<Rollcall, 'events' | 'directory' | 'tenants'>;

/** Rows changed, per table. */
export interface Counts {
  inserted: number;
  updated: number;
  deleted: number;
}

/** What reconcile did. */
export interface ReconcileReport {
  users: Counts;
  groups: Counts;
  memberships: Counts;
  /** The checkpoint set: the feed's end when reconcile started (undefined: the feed was empty). */
  checkpoint: string | undefined;
}

/** The directory as read through the API. */
interface Directory {
  users: Map<string, MirrorUser>;
  groups: Map<string, MirrorGroup>;
  memberships: Map<string, Membership>;
}

/** Before any event: what reconcile's writes are dated when the feed is empty. */
const BEGINNING = new Date(0).toISOString();
const PAGE = 500;

const memberKey = (m: Membership) => `${m.groupId}\u0000${m.userId}`;

async function readDirectory(source: ReconcileSource): Promise<Directory> {
  const directory: Directory = { users: new Map(), groups: new Map(), memberships: new Map() };
  for await (const tenant of source.tenants.list({ pageSize: PAGE })) {
    for await (const u of source.directory.users(tenant.tenantId, { limit: PAGE })) {
      const { id, tenantId, connectionId, userName, email, firstName, lastName, displayName, active } = u;
      directory.users.set(id, { id, tenantId, connectionId, userName, email, firstName, lastName, displayName, active });
    }
    for await (const g of source.directory.groups(tenant.tenantId, { limit: PAGE })) {
      directory.groups.set(g.id, { id: g.id, tenantId: g.tenantId, connectionId: g.connectionId, displayName: g.displayName });
    }
  }
  for (const groupId of directory.groups.keys()) {
    try {
      for await (const member of source.directory.members(groupId, { limit: PAGE })) {
        // Nested groups are members too; the mirror, like the events, keeps users' memberships only.
        const userId = member.type === 'user' ? member.id : undefined;
        if (userId) directory.memberships.set(memberKey({ groupId, userId }), { groupId, userId });
      }
    } catch (error) {
      // Deleted since it was listed: its group.deleted event is after the noted position and replays.
      if (!(error instanceof RollcallNotFoundError)) throw error;
    }
  }
  return directory;
}

const sameUser = (a: MirrorUser, b: MirrorUser) =>
  a.tenantId === b.tenantId &&
  a.connectionId === b.connectionId &&
  a.userName === b.userName &&
  a.email === b.email &&
  a.firstName === b.firstName &&
  a.lastName === b.lastName &&
  a.displayName === b.displayName &&
  a.active === b.active;

const sameGroup = (a: MirrorGroup, b: MirrorGroup) => a.tenantId === b.tenantId && a.connectionId === b.connectionId && a.displayName === b.displayName;

/**
 * Writes what differs. Rows written are dated `asOf`, the newest event's time when reconcile began:
 * a webhook delivered later that is older than that is then skipped as stale (apply.ts), since the
 * directory was read after it.
 */
async function repair(tx: MirrorTx, directory: Directory, asOf: string): Promise<Omit<ReconcileReport, 'checkpoint'>> {
  const report = { users: { inserted: 0, updated: 0, deleted: 0 }, groups: { inserted: 0, updated: 0, deleted: 0 }, memberships: { inserted: 0, updated: 0, deleted: 0 } };

  const users = new Map((await tx.users()).map((u) => [u.id, u]));
  for (const [id, wanted] of directory.users) {
    const have = users.get(id);
    if (have && sameUser(have, wanted)) continue;
    await tx.putUser(wanted, asOf, 'overwrite');
    report.users[have ? 'updated' : 'inserted']++;
  }
  for (const id of users.keys()) {
    if (directory.users.has(id)) continue;
    await tx.deleteUser(id, asOf);
    report.users.deleted++;
  }

  const groups = new Map((await tx.groups()).map((g) => [g.id, g]));
  for (const [id, wanted] of directory.groups) {
    const have = groups.get(id);
    if (have && sameGroup(have, wanted)) continue;
    await tx.putGroup(wanted, asOf, 'overwrite');
    report.groups[have ? 'updated' : 'inserted']++;
  }
  for (const id of groups.keys()) {
    if (directory.groups.has(id)) continue;
    await tx.deleteGroup(id, asOf);
    report.groups.deleted++;
  }

  // Read after the deletes above, which took their memberships with them.
  const memberships = new Map((await tx.memberships()).map((m) => [memberKey(m), m]));
  for (const [key, wanted] of directory.memberships) {
    if (memberships.has(key)) continue;
    await tx.addMember(wanted, asOf, 'overwrite');
    report.memberships.inserted++;
  }
  for (const [key, extra] of memberships) {
    if (directory.memberships.has(key)) continue;
    await tx.removeMember(extra, asOf, 'overwrite');
    report.memberships.deleted++;
  }
  return report;
}

/** Makes the mirror equal to the directory and points the checkpoint at the feed's end. */
export async function reconcile(storage: MirrorStorage, source: ReconcileSource): Promise<ReconcileReport> {
  const newest = (await source.events.list({ order: 'desc', limit: 1 })).items[0];
  const directory = await readDirectory(source);
  return storage.transaction(async (tx) => {
    const report = await repair(tx, directory, newest?.occurredAt ?? BEGINNING);
    await tx.setCheckpoint(FEED_CHECKPOINT, newest?.cursor);
    return { ...report, checkpoint: newest?.cursor };
  });
}

/** The report in one line, for the terminal. */
export function describeReport(report: ReconcileReport): string {
  const part = (name: string, c: Counts) => `${name} +${c.inserted} ~${c.updated} -${c.deleted}`;
  const where = report.checkpoint === undefined ? 'the start of the feed (it is empty)' : report.checkpoint;
  return `reconciled: ${part('users', report.users)}, ${part('groups', report.groups)}, ${part('memberships', report.memberships)}; follow continues after ${where}`;
}
