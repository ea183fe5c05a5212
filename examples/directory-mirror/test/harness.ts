/**
 * What the mirror's tests share: a fresh mirror database per dialect, events as Rollcall writes
 * them, and the two sides compared — the mirror's tables and the directory as the API lists it.
 */
import type { Rollcall } from '@rollcall/client';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';
import type { DialectName } from '../../../src/db/open.js';
import { openStorage } from '../src/storage/open.js';
import type { Membership, MirrorGroup, MirrorStorage, MirrorUser } from '../src/storage/port.js';

/** An empty mirror database of `dialect`, opened; `close` closes and drops it. */
export async function testMirror(dialect: DialectName): Promise<{ storage: MirrorStorage; database: TestDatabase; close: () => Promise<void> }> {
  const database = await createTestDatabase(dialect);
  const storage = await openStorage(database.url);
  const close = async () => {
    await storage.close().catch(() => undefined);
    await database.drop();
  };
  return { storage, database, close };
}

/** Users, groups and memberships, sorted, to compare with toEqual. */
export interface DirectoryState {
  users: MirrorUser[];
  groups: MirrorGroup[];
  memberships: Membership[];
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byMembership = (a: Membership, b: Membership) => (a.groupId + ' ' + a.userId < b.groupId + ' ' + b.userId ? -1 : 1);

/** What the mirror holds. */
export async function mirrorState(storage: MirrorStorage): Promise<DirectoryState> {
  return storage.transaction(async (tx) => ({
    users: (await tx.users()).sort(byId),
    groups: (await tx.groups()).sort(byId),
    memberships: (await tx.memberships()).sort(byMembership),
  }));
}

/**
 * What the directory API lists for every tenant: what the mirror must equal. Read here on its own,
 * not with reconcile's code, so a mistake there cannot hide in both sides.
 */
export async function directoryState(rollcall: Rollcall): Promise<DirectoryState> {
  const state: DirectoryState = { users: [], groups: [], memberships: [] };
  for await (const tenant of rollcall.tenants.list()) {
    for await (const u of rollcall.directory.users(tenant.tenantId)) {
      state.users.push({ id: u.id, tenantId: u.tenantId, connectionId: u.connectionId, userName: u.userName, email: u.email, firstName: u.firstName, lastName: u.lastName, displayName: u.displayName, active: u.active });
    }
    for await (const g of rollcall.directory.groups(tenant.tenantId)) {
      state.groups.push({ id: g.id, tenantId: g.tenantId, connectionId: g.connectionId, displayName: g.displayName });
      for await (const m of rollcall.directory.members(g.id)) if (m.type === 'user' && m.id) state.memberships.push({ groupId: g.id, userId: m.id });
    }
  }
  state.users.sort(byId);
  state.groups.sort(byId);
  state.memberships.sort(byMembership);
  return state;
}

/** A feed event as the mirror's code reads it (the client's FeedEvent, untyped enough to build by hand). */
export interface TestEvent {
  id: string;
  type: string;
  tenantId: string;
  connectionId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
  cursor: string;
}

/** The whole feed, oldest first. */
export async function wholeFeed(rollcall: Rollcall): Promise<TestEvent[]> {
  const events: TestEvent[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await rollcall.events.list({ after, limit: 1000 });
    events.push(...(page.items as TestEvent[]));
    if (page.items.length === 0) return events;
    after = page.nextCursor;
  }
}

/**
 * The whole feed, once everything written so far is in it. On PostgreSQL the feed shows an event
 * only when no transaction older than its own is still running anywhere on the server, so its end
 * can lag a moment behind the writes. `isMarker` picks an event written after all the others: once
 * it shows, every earlier one does.
 */
export async function settledFeed(rollcall: Rollcall, isMarker: (event: TestEvent) => boolean, timeoutMs = 30_000): Promise<TestEvent[]> {
  let feed: TestEvent[] = [];
  await waitUntil('the marker event to reach the feed', async () => (feed = await wholeFeed(rollcall)).some(isMarker), timeoutMs, 100);
  return feed;
}

/** The cursor of the newest event of the feed, or undefined when it is empty. */
export async function feedEnd(rollcall: Rollcall): Promise<string | undefined> {
  return (await rollcall.events.list({ order: 'desc', limit: 1 })).items[0]?.cursor;
}

/** Polls `check` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Builds events the way Rollcall writes them, with increasing times and cursors. */
export class EventFactory {
  private seq = 0;
  private clock = Date.parse('2026-01-01T00:00:00.000Z');

  constructor(
    readonly tenantId = 'acme',
    readonly connectionId = 'conn-1',
  ) {}

  /** The next event; `at` pins its time (ISO) instead of the next tick of the clock. */
  next(type: string, data: Record<string, unknown>, at?: string): TestEvent {
    this.seq++;
    this.clock += 1000;
    return { id: `evt-${this.seq}`, type, tenantId: this.tenantId, connectionId: this.connectionId, occurredAt: at ?? new Date(this.clock).toISOString(), data, cursor: `cursor-${this.seq}` };
  }

  user(id: string, fields: Partial<MirrorUser> = {}): Record<string, unknown> {
    return { id, tenantId: this.tenantId, connectionId: this.connectionId, userName: `${id}@example.com`, email: `${id}@example.com`, firstName: 'First', lastName: 'Last', displayName: 'First Last', active: true, ...fields };
  }

  group(id: string, displayName = `Group ${id}`): Record<string, unknown> {
    return { id, tenantId: this.tenantId, connectionId: this.connectionId, displayName };
  }
}
