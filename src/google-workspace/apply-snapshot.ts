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

/** One application of a snapshot: where it writes, what it counted, what failed. */
interface Run {
  scope: ConnectionScope;
  baseUrl: string;
  signal: AbortSignal;
  counts: SyncCounts;
  problems: string[];
}

/** What the users' phase leaves for the groups': Google user id → Rollcall id, and the ids it deleted. */
interface AppliedUsers {
  ids: Map<string, string>;
  deleted: Set<string>;
}

/**
 * Runs `work` over `items`, WRITES_AT_ONCE at a time, until `run.signal` aborts. A 4xx is that
 * resource's (a name taken, a value refused) and is recorded while the rest goes on; anything else (the
 * database gone) stops the sync, to be recorded as failed.
 */
async function each<T>(run: Run, items: readonly T[], describe: (item: T) => string, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      run.signal.throwIfAborted();
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        if (!(error instanceof ScimError) || error.status >= 500) throw error;
        run.problems.push(`${describe(item)}: ${error.message}`);
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
   * Answers the changes that failed, in words.
   */
  async apply(scope: ConnectionScope, baseUrl: string, snapshot: DirectorySnapshot, held: HeldDirectory, signal: AbortSignal, counts: SyncCounts): Promise<string[]> {
    const run: Run = { scope, baseUrl, signal, counts, problems: [] };
    const users = await this.applyUsers(run, snapshot, held);
    await this.applyGroups(run, snapshot, held, users);
    return run.problems;
  }

  /** Deletes, changes and creates users; answers the Rollcall id of each Google user held now, and the users deleted. */
  private async applyUsers(run: Run, snapshot: DirectorySnapshot, held: HeldDirectory): Promise<AppliedUsers> {
    const { scope, baseUrl, counts } = run;
    const googleUsers = snapshot.users.filter((u) => u.id && u.primaryEmail);
    const seen = new Set(googleUsers.map((u) => u.id!));
    const gone = held.users.filter((u) => u.externalId === null || !seen.has(u.externalId));
    await each(run, gone, (u) => `Deleting user ${u.userName}`, async (u) => {
      await this.users.delete(scope, u.id);
      counts.usersDeleted++;
    });
    const heldUsers = new Map(held.users.filter((u) => u.externalId !== null).map((u) => [u.externalId!, u]));
    const ids = new Map<string, string>();
    const changed: { id: string; body: Record<string, unknown>; deactivated: boolean }[] = [];
    const created: { googleId: string; body: Record<string, unknown> }[] = [];
    for (const user of googleUsers) {
      const body = userResource(user);
      const current = heldUsers.get(user.id!);
      if (!current) {
        created.push({ googleId: user.id!, body });
        continue;
      }
      ids.set(user.id!, current.id);
      if (canonical(normalizeResource('User', body).resource) !== canonical(JSON.parse(current.resource))) {
        changed.push({ id: current.id, body, deactivated: current.active && body.active === false });
      }
    }
    await each(run, changed, (c) => `Updating user ${String(c.body.userName)}`, async (c) => {
      await this.users.replace(scope, baseUrl, c.id, c.body);
      if (c.deactivated) counts.usersDeactivated++;
      else counts.usersUpdated++;
    });
    await each(run, created, (c) => `Creating user ${String(c.body.userName)}`, async (c) => {
      const { resource } = await this.users.create(scope, baseUrl, c.body);
      ids.set(c.googleId, resource.id as string);
      counts.usersCreated++;
    });
    return { ids, deleted: new Set(gone.map((u) => u.id)) };
  }

  /** Deletes groups Google no longer has, creates new ones with their members, and PATCHes names and members of the others. */
  private async applyGroups(run: Run, snapshot: DirectorySnapshot, held: HeldDirectory, users: AppliedUsers): Promise<void> {
    const { scope, baseUrl, counts } = run;
    const googleGroups = snapshot.groups.filter((g) => g.id);
    const names = groupNames(googleGroups);
    const seen = new Set(googleGroups.map((g) => g.id!));
    const gone = held.groups.filter((g) => g.externalId === null || !seen.has(g.externalId));
    await each(run, gone, (g) => `Deleting group ${g.displayName}`, async (g) => {
      await this.groups.delete(scope, g.id);
      counts.groupsDeleted++;
    });
    const heldGroups = new Map(held.groups.filter((g) => g.externalId !== null).map((g) => [g.externalId!, g]));
    const desiredMembers = (googleId: string) => [...new Set((snapshot.members.get(googleId) ?? []).flatMap((id) => (users.ids.has(id) ? [users.ids.get(id)!] : [])))];
    await each(run, googleGroups, (g) => `Writing group ${names.get(g.id!)}`, async (group) => {
      const displayName = names.get(group.id!)!;
      const members = desiredMembers(group.id!);
      const current = heldGroups.get(group.id!);
      if (!current) {
        await this.groups.create(scope, baseUrl, { ...groupResource(group, displayName), members: members.map((value) => ({ value })) });
        counts.groupsCreated++;
        counts.membersAdded += members.length;
        return;
      }
      // A deleted user left its groups with its deletion.
      const had = new Set((held.members.get(current.id) ?? []).filter((id) => !users.deleted.has(id)));
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
  }
}
