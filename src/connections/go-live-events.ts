/**
 * What going live tells the app. A staging connection (syncToUserManagement off) emitted nothing
 * while its IdP pushed users and groups; switched on, its data enters the tenant directory, and the
 * app learns of it as if the IdP had created it all at that moment, in this order:
 *
 * 1. `user.created` for each user, with the data a SCIM create gives (its current `active` included);
 * 2. `group.created` for each group;
 * 3. `group.user_added` for each user membership (nested groups are not users, as for SCIM writes).
 *
 * Written in the transaction that flips the flag (GoLiveStore.update), read and appended a page at a
 * time, so a 20,000-user connection never sits in memory whole.
 */
import { managerValue, toDirectoryGroup, toDirectoryUser } from '../directory/shape.js';
import { membershipEvent } from '../events/scim-events.js';
import type { EventStore } from '../events/store.js';
import type { NewEvent } from '../events/types.js';
import type { GoLiveScope, GoLiveStore, Keyset, MembershipKeyset } from './go-live-store.js';

/** Rows read per page. */
export const GO_LIVE_PAGE = 1000;

/** How many events of each kind going live wrote. */
export interface GoLiveEventCounts {
  users: number;
  groups: number;
  memberships: number;
}

const keysetOf = (row: { created_at: string; id: string }): Keyset => ({ createdAt: row.created_at, id: row.id });

/** Calls `fn` with each page `read` answers after the key of the previous page's last row, until a short page. */
async function eachPage<R, K>(read: (after: K | undefined) => Promise<R[]>, keyOf: (row: R) => K, pageSize: number, fn: (rows: R[]) => Promise<void>): Promise<void> {
  let after: K | undefined;
  for (;;) {
    const rows = await read(after);
    if (rows.length > 0) await fn(rows);
    if (rows.length < pageSize) return;
    after = keyOf(rows[rows.length - 1]);
  }
}

/** Writes the go-live events of the connection in `scope` through `pages` and `events`, both bound to one transaction. */
export async function writeGoLiveEvents(pages: GoLiveStore, events: EventStore, scope: GoLiveScope, now: string, pageSize = GO_LIVE_PAGE): Promise<GoLiveEventCounts> {
  const counts: GoLiveEventCounts = { users: 0, groups: 0, memberships: 0 };

  // Users, with the `manager` attribute resolved as a SCIM create resolves it (UserService.create).
  await eachPage((after) => pages.userPage(scope, after, pageSize), keysetOf, pageSize, async (rows) => {
    const named = rows.map(managerValue).filter((value) => value !== undefined);
    const managers = named.length > 0 ? await pages.managers(scope, named) : undefined;
    await events.append(scope, rows.map((row) => ({ type: 'user.created', resourceId: row.id, data: { ...toDirectoryUser(row, undefined, managers) } })), now);
    counts.users += rows.length;
  });

  await eachPage((after) => pages.groupPage(scope, after, pageSize), keysetOf, pageSize, async (rows) => {
    await events.append(scope, rows.map((row) => ({ type: 'group.created', resourceId: row.id, data: { ...toDirectoryGroup(row) } })), now);
    counts.groups += rows.length;
  });

  // Memberships a page of groups at a time, each page's own memberships paged too, so neither many
  // groups nor a group of every user fills memory.
  await eachPage((after) => pages.groupIdPage(scope, after, pageSize), keysetOf, pageSize, async (groups) => {
    const ids = groups.map((group) => group.id);
    await eachPage((after: MembershipKeyset | undefined) => pages.userMembersOf(scope, ids, after, pageSize), (row) => row, pageSize, async (rows) => {
      const added: NewEvent[] = rows.map(({ groupId, userId }) => ({ ...membershipEvent(groupId, userId, true), resourceId: groupId }));
      await events.append(scope, added, now);
      counts.memberships += rows.length;
    });
  });
  return counts;
}
