/**
 * The storage port: what the mirror asks of its database, implemented once per database
 * (sqlite.ts, postgres.ts) with the same method names. Callers never ask which one runs.
 */

/** A user as the mirror keeps it: the directory user's columns an app typically needs. */
export interface MirrorUser {
  id: string;
  tenantId: string;
  connectionId: string;
  userName: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  active: boolean;
}

/** A group as the mirror keeps it. */
export interface MirrorGroup {
  id: string;
  tenantId: string;
  connectionId: string;
  displayName: string;
}

/** A user's membership of a group (direct, users only: nested groups are not users). */
export interface Membership {
  groupId: string;
  userId: string;
}

/** One row of the journal: an event applied, and how many times it came again afterwards. */
export interface AppliedEvent {
  eventId: string;
  type: string;
  appliedAt: string;
  redeliveries: number;
}

/**
 * How a write treats what is already there. `overwrite`: the caller knows the change is the newest
 * (the feed, read in order; reconcile, from the directory), so it also lifts a tombstone of the id.
 * `if-newer`: the change may be late (webhooks), so it is skipped when the row holds a change at
 * least as new, or when the resource was deleted (see apply.ts).
 */
export type WriteRule = 'overwrite' | 'if-newer';

/** The statements of one transaction. Every method runs inside it; nothing commits until it ends. */
export interface MirrorTx {
  /**
   * Journals the event; true the first time. Again (a redelivery): false, and the row's
   * `redeliveries` counts it, so a transport that repeats itself shows in the journal.
   */
  recordApplied(event: { id: string; type: string }, appliedAt: string): Promise<boolean>;

  /** Writes the user as of `changedAt` (when Rollcall made the change); false when skipped by `rule`. */
  putUser(user: MirrorUser, changedAt: string, rule: WriteRule): Promise<boolean>;
  /** Deletes the user and its memberships, and remembers that it was deleted (a tombstone: ids are never reused). */
  deleteUser(id: string, removedAt: string): Promise<void>;
  putGroup(group: MirrorGroup, changedAt: string, rule: WriteRule): Promise<boolean>;
  /** Deletes the group and its memberships, and remembers that it was deleted (a tombstone). */
  deleteGroup(id: string, removedAt: string): Promise<void>;
  /**
   * Adds the membership as of `changedAt` (the user or group need not be there yet). `if-newer` skips
   * it when the user or group was deleted, or the membership was removed by a later change.
   */
  addMember(membership: Membership, changedAt: string, rule: WriteRule): Promise<boolean>;
  /** Removes the membership as of `removedAt`; `if-newer` keeps one added by a later change (false). */
  removeMember(membership: Membership, removedAt: string, rule: WriteRule): Promise<boolean>;

  /** The position after which the feed is read next; undefined to start at the beginning. */
  setCheckpoint(name: string, cursor: string | undefined): Promise<void>;

  /** Everything mirrored, for reconcile to compare with the directory. */
  users(): Promise<MirrorUser[]>;
  groups(): Promise<MirrorGroup[]>;
  memberships(): Promise<Membership[]>;
}

/** A mirror database. */
export interface MirrorStorage {
  /** Which database this is, for messages. */
  readonly kind: 'sqlite' | 'postgres';
  /** Creates the tables when missing (safe to run on every start, also by several processes at once). */
  migrate(): Promise<void>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Transactions may be requested concurrently (the webhook server does); each sees only its own.
   */
  transaction<T>(work: (tx: MirrorTx) => Promise<T>): Promise<T>;
  checkpoint(name: string): Promise<string | undefined>;
  /** The journal, oldest first. */
  appliedEvents(): Promise<AppliedEvent[]>;
  close(): Promise<void>;
}

/** The checkpoint that `follow` reads and writes, and `reconcile` sets. */
export const FEED_CHECKPOINT = 'feed';
