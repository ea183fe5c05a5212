/**
 * Makes a connection hold what Google holds. The difference between the directory Google answered
 * (a snapshot) and the connection's SCIM users and groups is applied through the SCIM services — the
 * same writes, transactions, events, attribute values and role changes as a pushed change — one
 * resource at a time, each atomic. A sync that stops half-way leaves every resource either as it was
 * or as Google has it, and the next sync's difference is what is left to do.
 *
 * Order: deletions first (a userName or displayName Google gave to another resource is then free),
 * then updates, then creates; users before groups, so that members exist when groups name them.
 */
import type { GroupService } from '../scim/service/group-service.js';
import type { UserService } from '../scim/service/user-service.js';
import { ScimError } from '../scim/errors.js';
import { PATCH_OP_SCHEMA } from '../scim/patch/apply-patch.js';
import { normalizeResource } from '../scim/resources/normalize.js';
import { parseProjection } from '../scim/resources/projection.js';
import type { ConnectionScope } from '../scim/store/scope.js';
import type { DirectorySnapshot } from './directory-reader.js';
import type { HeldDirectory } from './store.js';
import { groupNames, groupResource, userResource } from './to-scim.js';
import type { SyncCounts } from './types.js';

/** Writes run this many at a time: the database batches concurrent commits (SQLite) or spreads them over its pool. */
const WRITES_AT_ONCE = 8;

/** A group write's answer is not read: nothing renders its members. */
const WITHOUT_MEMBERS = parseProjection(undefined, 'members');

/** Order-insensitive JSON of a resource, to tell whether Google changed it. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Runs `work` over `items`, WRITES_AT_ONCE at a time; a failure is recorded, not thrown, unless it is not the resource's own. */
async function each<T>(items: readonly T[], describe: (item: T) => string, problems: string[], signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      signal.throwIfAborted();
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        // A 4xx is this resource's (a name taken, a value refused): the rest goes on. Anything else
        // (the database gone) stops the sync, to be recorded as failed.
        if (!(error instanceof ScimError) || error.status >= 500) throw error;
        problems.push(`${describe(item)}: ${error.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITES_AT_ONCE, items.length) }, worker));
}

export class SnapshotWriter {
  constructor(
    private readonly users: UserService,
    private readonly groups: GroupService,
  ) {}

  /**
   * Applies the difference; `counts` is filled as changes are made, so it tells what was done when
   * this throws (the database unreachable, or `signal` aborted because another process took over).
   */
  async apply(scope: ConnectionScope, baseUrl: string, snapshot: DirectorySnapshot, held: HeldDirectory, signal: AbortSignal, counts: SyncCounts): Promise<string[]> {
    const problems: string[] = [];

    // Users.
    const googleUsers = snapshot.users.filter((u) => u.id && u.primaryEmail);
    const seen = new Set(googleUsers.map((u) => u.id!));
    const goneUsers = held.users.filter((u) => u.externalId === null || !seen.has(u.externalId));
    await each(goneUsers, (u) => `Deleting user ${u.userName}`, problems, signal, async (u) => {
      await this.users.delete(scope, u.id);
      counts.usersDeleted++;
    });
    const heldUsers = new Map(held.users.filter((u) => u.externalId !== null).map((u) => [u.externalId!, u]));
    const userIds = new Map<string, string>();
    const changed: { id: string; body: Record<string, unknown>; deactivated: boolean }[] = [];
    const created: { googleId: string; body: Record<string, unknown> }[] = [];
    for (const user of googleUsers) {
      const body = userResource(user);
      const current = heldUsers.get(user.id!);
      if (!current) {
        created.push({ googleId: user.id!, body });
        continue;
      }
      userIds.set(user.id!, current.id);
      if (canonical(normalizeResource('User', body).resource) !== canonical(JSON.parse(current.resource))) {
        changed.push({ id: current.id, body, deactivated: current.active && body.active === false });
      }
    }
    await each(changed, (c) => `Updating user ${String(c.body.userName)}`, problems, signal, async (c) => {
      await this.users.replace(scope, baseUrl, c.id, c.body);
      if (c.deactivated) counts.usersDeactivated++;
      else counts.usersUpdated++;
    });
    await each(created, (c) => `Creating user ${String(c.body.userName)}`, problems, signal, async (c) => {
      const { resource } = await this.users.create(scope, baseUrl, c.body);
      userIds.set(c.googleId, resource.id as string);
      counts.usersCreated++;
    });

    // Groups.
    const googleGroups = snapshot.groups.filter((g) => g.id);
    const names = groupNames(googleGroups);
    const seenGroups = new Set(googleGroups.map((g) => g.id!));
    const goneGroups = held.groups.filter((g) => g.externalId === null || !seenGroups.has(g.externalId));
    await each(goneGroups, (g) => `Deleting group ${g.displayName}`, problems, signal, async (g) => {
      await this.groups.delete(scope, g.id);
      counts.groupsDeleted++;
    });
    const heldGroups = new Map(held.groups.filter((g) => g.externalId !== null).map((g) => [g.externalId!, g]));
    const deletedUsers = new Set(goneUsers.map((u) => u.id));
    const desiredMembers = (googleId: string) => [...new Set((snapshot.members.get(googleId) ?? []).flatMap((id) => (userIds.has(id) ? [userIds.get(id)!] : [])))];
    await each(googleGroups, (g) => `Writing group ${names.get(g.id!)}`, problems, signal, async (group) => {
      const displayName = names.get(group.id!)!;
      const body = groupResource(group, displayName);
      const members = desiredMembers(group.id!);
      const current = heldGroups.get(group.id!);
      if (!current) {
        await this.groups.create(scope, baseUrl, { ...body, members: members.map((value) => ({ value })) });
        counts.groupsCreated++;
        counts.membersAdded += members.length;
        return;
      }
      const had = new Set((held.members.get(current.id) ?? []).filter((id) => !deletedUsers.has(id)));
      const want = new Set(members);
      const add = members.filter((id) => !had.has(id));
      const remove = [...had].filter((id) => !want.has(id));
      const renamed = current.displayName !== displayName;
      if (!renamed && add.length === 0 && remove.length === 0) return;
      const Operations = [
        ...(renamed ? [{ op: 'replace', path: 'displayName', value: displayName }] : []),
        ...(add.length > 0 ? [{ op: 'add', path: 'members', value: add.map((value) => ({ value })) }] : []),
        ...(remove.length > 0 ? [{ op: 'remove', path: 'members', value: remove.map((value) => ({ value })) }] : []),
      ];
      await this.groups.patch(scope, baseUrl, current.id, { schemas: [PATCH_OP_SCHEMA], Operations }, undefined, WITHOUT_MEMBERS);
      if (renamed) counts.groupsUpdated++;
      counts.membersAdded += add.length;
      counts.membersRemoved += remove.length;
    });
    return problems;
  }
}
