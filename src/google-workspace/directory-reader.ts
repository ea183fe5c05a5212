/**
 * Reads a Workspace directory through the Directory API, page by page: users, groups, and each
 * group's members (derived membership, so users of nested groups count), with the whole domain or only
 * the chosen groups. Rate limits and server errors are waited out with full-jitter exponential backoff,
 * honouring Retry-After; the client's own retries are switched off so that one policy applies.
 */
import type { admin_directory_v1 } from '@googleapis/admin';
import { isRetryable, retryAfterMs } from './google-errors.js';
import type { Selection } from './types.js';

export type GoogleUser = admin_directory_v1.Schema$User;
export type GoogleGroup = admin_directory_v1.Schema$Group;

/** The directory as one sync saw it. */
export interface DirectorySnapshot {
  users: GoogleUser[];
  groups: GoogleGroup[];
  /** Google group id → the ids of its users (direct and through nested groups), each once. */
  members: Map<string, string[]>;
  /** Chosen groups (by e-mail) that Google does not have. */
  missingGroups: string[];
}

/** How long to wait between attempts. */
export interface BackoffPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { attempts: 6, baseMs: 1000, maxMs: 32_000 };

/** Members of this many groups are read at once. */
const MEMBER_READS_AT_ONCE = 4;
/** Google's largest pages. */
const USER_PAGE = 500;
const GROUP_PAGE = 200;
const MEMBER_PAGE = 200;
/** Requests go without the client's retries: this module waits and tries again itself. */
const NO_CLIENT_RETRY = { retry: false } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `call` until it succeeds, waiting after rate limits and server errors; other errors go through. */
export async function withBackoff<T>(call: () => Promise<T>, policy: BackoffPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.attempts || !isRetryable(error)) throw error;
      const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      await sleep(Math.max(retryAfterMs(error) ?? 0, Math.random() * ceiling));
    }
  }
}

export class DirectoryReader {
  constructor(
    private readonly api: admin_directory_v1.Admin,
    private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  /** Every item of a paged list. */
  private async all<T>(page: (pageToken: string | undefined) => Promise<{ items?: T[] | null; nextPageToken?: string | null }>): Promise<T[]> {
    const items: T[] = [];
    let pageToken: string | undefined;
    do {
      const answer = await withBackoff(() => page(pageToken), this.backoff);
      if (answer.items) items.push(...answer.items);
      pageToken = answer.nextPageToken ?? undefined;
    } while (pageToken);
    return items;
  }

  async users(): Promise<GoogleUser[]> {
    return this.all(async (pageToken) => {
      const { data } = await this.api.users.list({ customer: 'my_customer', maxResults: USER_PAGE, orderBy: 'email', projection: 'full', pageToken }, NO_CLIENT_RETRY);
      return { items: data.users, nextPageToken: data.nextPageToken };
    });
  }

  async groups(): Promise<GoogleGroup[]> {
    return this.all(async (pageToken) => {
      const { data } = await this.api.groups.list({ customer: 'my_customer', maxResults: GROUP_PAGE, pageToken }, NO_CLIENT_RETRY);
      return { items: data.groups, nextPageToken: data.nextPageToken };
    });
  }

  /** One user read: proves the grant can read the directory. */
  async probe(): Promise<void> {
    await withBackoff(() => this.api.users.list({ customer: 'my_customer', maxResults: 1 }, NO_CLIENT_RETRY), this.backoff);
  }

  /** The ids of the group's users, direct and through nested groups, each once. */
  async memberUsers(groupId: string): Promise<string[]> {
    const members = await this.all(async (pageToken) => {
      const { data } = await this.api.members.list({ groupKey: groupId, maxResults: MEMBER_PAGE, includeDerivedMembership: true, pageToken }, NO_CLIENT_RETRY);
      return { items: data.members, nextPageToken: data.nextPageToken };
    });
    return [...new Set(members.filter((m) => m.type === 'USER' && m.id).map((m) => m.id!))];
  }

  /** The directory as `selection` covers it. */
  async read(selection: Selection): Promise<DirectorySnapshot> {
    const [allUsers, allGroups] = await Promise.all([this.users(), this.groups()]);
    let groups = allGroups;
    const missingGroups: string[] = [];
    if (selection.mode === 'groups') {
      const byEmail = new Map(allGroups.map((g) => [(g.email ?? '').toLowerCase(), g]));
      groups = [];
      for (const email of selection.groups) {
        const group = byEmail.get(email.toLowerCase());
        if (group) groups.push(group);
        else missingGroups.push(email);
      }
    }
    const members = new Map<string, string[]>();
    const queue = groups.filter((g) => g.id);
    await Promise.all(
      Array.from({ length: Math.min(MEMBER_READS_AT_ONCE, queue.length) }, async () => {
        for (let group = queue.shift(); group; group = queue.shift()) members.set(group.id!, await this.memberUsers(group.id!));
      }),
    );
    let users = allUsers;
    if (selection.mode === 'groups') {
      const wanted = new Set([...members.values()].flat());
      users = allUsers.filter((u) => u.id && wanted.has(u.id));
    }
    return { users, groups, members, missingGroups };
  }
}
