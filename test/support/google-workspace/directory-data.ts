/**
 * The Workspace domain the stand-in serves: users, groups and memberships in memory, changed by tests
 * through small mutators, read by the Directory API handlers in a stable order. Ids come from a seeded
 * PRNG, so a seeded directory is the same every run.
 */
import { prng, type Prng } from '../prng.js';
import { seedDirectory, type SeedOptions } from './directory-seed.js';
import {
  applyUserPatch,
  newUser,
  renderGroup,
  renderMember,
  renderUser,
  slug,
  testDomainAlias,
  type GoogleGroup,
  type GoogleMember,
  type GoogleUser,
  type GroupInit,
  type GroupPatch,
  type MemberRole,
  type MemberType,
  type Projection,
  type StoredGroup,
  type StoredUser,
  type UserInit,
  type UserPatch,
} from './directory-resources.js';
import type { UserStanding } from './oauth.js';

/** How users.list may sort. */
export type UserOrder = 'email' | 'givenName' | 'familyName';

/** A listing entry: its sort key (unique, so a page token can name the last one seen) and the item. */
export interface Keyed<T> {
  key: string;
  item: T;
}

interface StoredMembership {
  role: MemberRole;
  type: MemberType;
  /** Members outside the directory (another domain's address) keep their address here. */
  email?: string;
}

const lower = (email: string) => email.toLowerCase();
const byKey = <T>(a: Keyed<T>, b: Keyed<T>) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class DirectoryData {
  /** Super-admins' e-mails: the users an access token may act as to read the directory. */
  readonly admins = new Set<string>();
  private ids: Prng = prng(1);
  private readonly usersById = new Map<string, StoredUser>();
  private readonly deletedById = new Map<string, StoredUser>();
  private readonly userIdByEmail = new Map<string, string>();
  private readonly groupsById = new Map<string, StoredGroup>();
  private readonly groupIdByEmail = new Map<string, string>();
  private readonly memberships = new Map<string, Map<string, StoredMembership>>();
  /** Sorted listings, rebuilt after a change. */
  private version = 0;
  private readonly sorted = new Map<string, { version: number; list: Keyed<unknown>[] }>();

  constructor(
    readonly customerId: string,
    readonly domain: string,
  ) {
    this.admins.add(`admin@${domain}`);
    this.reset(1);
  }

  /** Replaces the directory with `users` users (admin@domain, which lists first, and generated ones) and `groups` groups. */
  seed(options: SeedOptions): void {
    this.reset(options.seed ?? 1);
    seedDirectory(this, options);
  }

  /** Only the admin user is left; ids restart from `seed`. */
  reset(seed = 1): void {
    this.ids = prng(seed);
    for (const map of [this.usersById, this.deletedById, this.userIdByEmail, this.groupsById, this.groupIdByEmail, this.memberships]) map.clear();
    this.changed();
    this.addUser({
      primaryEmail: `admin@${this.domain}`,
      name: { givenName: 'Avery', familyName: 'Admin' },
      organizations: [{ title: 'IT Administrator', primary: true, customType: '', department: 'IT', costCenter: 'CC-9000', description: 'Workspace super-admin' }],
      lastLoginTime: '2024-06-10T08:00:00.000Z',
      orgUnitPath: '/IT',
    });
  }

  // Users.

  addUser(init: UserInit = {}): GoogleUser {
    const id = init.id ?? this.newId(() => `1${this.digits(20)}`, (candidate) => this.usersById.has(candidate) || this.deletedById.has(candidate));
    if (this.usersById.has(id)) throw new Error(`a user with id ${id} exists`);
    const given = init.name?.givenName ?? 'Test';
    const family = init.name?.familyName ?? 'User';
    const primaryEmail = init.primaryEmail ?? this.freeAddress(`${slug(given)}.${slug(family)}`);
    const user = newUser(id, primaryEmail, this.customerId, init);
    for (const address of [user.primaryEmail, ...(user.aliases ?? [])]) this.claimAddress(address);
    this.usersById.set(id, user);
    for (const address of [user.primaryEmail, ...(user.aliases ?? [])]) this.userIdByEmail.set(lower(address), id);
    this.changed();
    return this.renderUser(user);
  }

  /** Changes a user; a new primary address keeps the old one as an alias, as Google does on a rename. */
  updateUser(key: string, patch: UserPatch): GoogleUser {
    const user = this.requireUser(key);
    let next = applyUserPatch(user, patch);
    if (patch.primaryEmail && lower(patch.primaryEmail) !== lower(user.primaryEmail)) {
      this.claimAddress(patch.primaryEmail);
      this.userIdByEmail.set(lower(patch.primaryEmail), user.id);
      const alias = testDomainAlias(patch.primaryEmail);
      next = {
        ...next,
        aliases: [...(next.aliases ?? []), user.primaryEmail],
        nonEditableAliases: [alias],
        emails: patch.emails ?? [
          { address: patch.primaryEmail, primary: true },
          ...user.emails.filter((email) => !email.primary && email.address !== testDomainAlias(user.primaryEmail)),
          { address: user.primaryEmail },
          { address: alias },
        ],
      };
    }
    for (const alias of patch.aliases ?? []) {
      if (this.userIdByEmail.get(lower(alias)) === user.id) continue;
      this.claimAddress(alias);
      this.userIdByEmail.set(lower(alias), user.id);
    }
    this.usersById.set(user.id, next);
    this.changed();
    return this.renderUser(next);
  }

  suspendUser(key: string, suspended = true): GoogleUser {
    return this.updateUser(key, { suspended });
  }

  /** Deletes a user: gone from listings and groups, still listed by users.list with showDeleted=true. */
  deleteUser(key: string): void {
    const user = this.requireUser(key);
    this.usersById.delete(user.id);
    for (const [address, id] of this.userIdByEmail) if (id === user.id) this.userIdByEmail.delete(address);
    for (const members of this.memberships.values()) members.delete(user.id);
    this.deletedById.set(user.id, { ...user, deletionTime: '2024-06-20T10:00:00.000Z' });
    this.changed();
  }

  // Groups.

  addGroup(init: GroupInit = {}): GoogleGroup {
    const id = init.id ?? this.newId(() => `0${this.base36(14)}`, (candidate) => this.groupsById.has(candidate));
    const name = init.name ?? 'Test Group';
    const email = init.email ?? this.freeAddress(slug(name) || 'group');
    for (const address of [email, ...(init.aliases ?? [])]) this.claimAddress(address);
    const group: StoredGroup = {
      kind: 'admin#directory#group',
      id,
      email,
      name,
      description: init.description ?? '',
      adminCreated: init.adminCreated ?? true,
      ...(init.aliases?.length ? { aliases: init.aliases } : {}),
      nonEditableAliases: [testDomainAlias(email)],
    };
    this.groupsById.set(id, group);
    this.memberships.set(id, new Map());
    for (const address of [email, ...(init.aliases ?? [])]) this.groupIdByEmail.set(lower(address), id);
    this.changed();
    return this.renderGroup(group);
  }

  updateGroup(key: string, patch: GroupPatch): GoogleGroup {
    const group = this.requireGroup(key);
    if (patch.email && lower(patch.email) !== lower(group.email)) {
      this.claimAddress(patch.email);
      this.groupIdByEmail.set(lower(patch.email), group.id);
    }
    const next: StoredGroup = { ...group, ...patch };
    if (patch.email) next.nonEditableAliases = [testDomainAlias(patch.email)];
    this.groupsById.set(group.id, next);
    this.changed();
    return this.renderGroup(next);
  }

  /** Deletes a group, with its memberships and its membership in other groups. */
  deleteGroup(key: string): void {
    const group = this.requireGroup(key);
    this.groupsById.delete(group.id);
    this.memberships.delete(group.id);
    for (const [address, id] of this.groupIdByEmail) if (id === group.id) this.groupIdByEmail.delete(address);
    for (const members of this.memberships.values()) members.delete(group.id);
    this.changed();
  }

  // Memberships.

  /**
   * Adds a member: a user or a group (by id or address), the customer (its id: everyone in the domain),
   * or an address outside the directory, which Google lists as a USER.
   */
  addMember(groupKey: string, memberKey: string, type?: MemberType, role: MemberRole = 'MEMBER'): GoogleMember {
    const group = this.requireGroup(groupKey);
    const user = type === undefined || type === 'USER' ? this.findUser(memberKey) : undefined;
    const nested = !user && (type === undefined || type === 'GROUP') ? this.findGroup(memberKey) : undefined;
    let id: string;
    let membership: StoredMembership;
    if (user) [id, membership] = [user.id, { role, type: 'USER' }];
    else if (nested) [id, membership] = [nested.id, { role, type: 'GROUP' }];
    else if (memberKey === this.customerId || type === 'CUSTOMER') [id, membership] = [this.customerId, { role, type: 'CUSTOMER' }];
    else if (memberKey.includes('@') && (type === undefined || type === 'USER')) {
      const known = [...(this.memberships.values())].flatMap((members) => [...members]).find(([, m]) => m.email && lower(m.email) === lower(memberKey));
      id = known?.[0] ?? this.newId(() => `1${this.digits(20)}`, (candidate) => this.usersById.has(candidate));
      membership = { role, type: 'USER', email: memberKey };
    } else throw new Error(`no ${type ?? 'user or group'} ${memberKey}`);
    if (nested?.id === group.id) throw new Error('a group cannot be a member of itself');
    this.memberships.get(group.id)?.set(id, membership);
    this.changed();
    return this.renderMembership(group.id, id, membership);
  }

  removeMember(groupKey: string, memberKey: string): void {
    const group = this.requireGroup(groupKey);
    const members = this.memberships.get(group.id);
    const id = this.findUser(memberKey)?.id ?? this.findGroup(memberKey)?.id ?? [...(members ?? [])].find(([, m]) => m.email && lower(m.email) === lower(memberKey))?.[0] ?? memberKey;
    if (!members?.delete(id)) throw new Error(`${memberKey} is not a member of ${groupKey}`);
    this.changed();
  }

  // Readers, as a test reads them: copies, in the API's default order.

  users(options: { deleted?: boolean } = {}): GoogleUser[] {
    return this.sortedUsers('email', options.deleted ?? false).map(({ item }) => structuredClone(this.renderUser(item)));
  }

  groups(): GoogleGroup[] {
    return this.sortedGroups().map(({ item }) => structuredClone(this.renderGroup(item)));
  }

  members(groupKey: string, options: { derived?: boolean } = {}): GoogleMember[] {
    return this.memberList(this.requireGroup(groupKey).id, options.derived ?? false).map(({ item }) => structuredClone(item));
  }

  user(key: string): GoogleUser | undefined {
    const user = this.findUser(key);
    return user && structuredClone(this.renderUser(user));
  }

  group(key: string): GoogleGroup | undefined {
    const group = this.findGroup(key);
    return group && structuredClone(this.renderGroup(group));
  }

  // What the Directory API handlers read.

  findUser(key: string): StoredUser | undefined {
    return this.usersById.get(key) ?? this.usersById.get(this.userIdByEmail.get(lower(key)) ?? '');
  }

  findGroup(key: string): StoredGroup | undefined {
    return this.groupsById.get(key) ?? this.groupsById.get(this.groupIdByEmail.get(lower(key)) ?? '');
  }

  /** Whether Google would issue a token for the user at this address. */
  userStanding(email: string): UserStanding {
    const user = this.findUser(email);
    if (user) return user.suspended ? 'suspended' : 'active';
    return [...this.deletedById.values()].some((deleted) => lower(deleted.primaryEmail) === lower(email)) ? 'deleted' : 'unknown';
  }

  isAdmin(email: string): boolean {
    for (const admin of this.admins) if (lower(admin) === lower(email)) return true;
    return false;
  }

  renderUser(user: StoredUser, projection: Projection = 'full', customFieldMask: string[] = []): GoogleUser {
    return renderUser(user, this.isAdmin(user.primaryEmail), projection, customFieldMask);
  }

  renderGroup(group: StoredGroup): GoogleGroup {
    return renderGroup(group, this.memberships.get(group.id)?.size ?? 0);
  }

  /** Users (or deleted users) sorted by `order`; ties broken by address and id so every key is unique. */
  sortedUsers(order: UserOrder, deleted: boolean): readonly Keyed<StoredUser>[] {
    return this.cached(`users:${order}:${deleted}`, () =>
      [...(deleted ? this.deletedById : this.usersById).values()].map((user) => {
        // The id ends every key: deleted users may share an address (deleted, created again, deleted).
        const tail = `${lower(user.primaryEmail)}\u0000${user.id}`;
        const name = order === 'givenName' ? user.name.givenName : user.name.familyName;
        return { key: order === 'email' ? tail : `${name.toLowerCase()}\u0000${tail}`, item: user };
      }),
    );
  }

  sortedGroups(): readonly Keyed<StoredGroup>[] {
    return this.cached('groups', () => [...this.groupsById.values()].map((group) => ({ key: lower(group.email), item: group })));
  }

  /**
   * A group's members sorted by address. Derived membership adds what nested groups hold, at any depth,
   * each member once: users of nested groups, and the nested groups themselves stay listed.
   */
  memberList(groupId: string, derived: boolean): Keyed<GoogleMember>[] {
    const seen = new Map<string, GoogleMember>();
    const queue = [groupId];
    for (let at = 0; at < queue.length; at++) {
      for (const [id, membership] of this.memberships.get(queue[at]) ?? []) {
        if (seen.has(id) || id === groupId) continue;
        // Indirect members are listed as plain members whatever their role in the nested group.
        seen.set(id, this.renderMembership(groupId, id, at === 0 ? membership : { ...membership, role: 'MEMBER' }));
        if (derived && membership.type === 'GROUP') queue.push(id);
      }
    }
    return [...seen.values()].map((item) => ({ key: `${lower(item.email ?? '')}\u0000${item.id}`, item })).sort(byKey);
  }

  /** The groups `memberId` is a direct member of. */
  groupIdsHolding(memberId: string): Set<string> {
    return new Set([...this.memberships].filter(([, members]) => members.has(memberId)).map(([groupId]) => groupId));
  }

  // Internals.

  private renderMembership(groupId: string, id: string, membership: StoredMembership): GoogleMember {
    const user = membership.type === 'USER' ? this.usersById.get(id) : undefined;
    const email = user?.primaryEmail ?? (membership.type === 'GROUP' ? this.groupsById.get(id)?.email : membership.email);
    return renderMember(groupId, {
      id,
      ...(email ? { email } : {}),
      role: membership.role,
      type: membership.type,
      status: user?.suspended ? 'SUSPENDED' : 'ACTIVE',
    });
  }

  private cached<T>(name: string, build: () => Keyed<T>[]): readonly Keyed<T>[] {
    const hit = this.sorted.get(name);
    if (hit?.version === this.version) return hit.list as Keyed<T>[];
    const list = build().sort(byKey);
    this.sorted.set(name, { version: this.version, list });
    return list;
  }

  private changed(): void {
    this.version++;
  }

  private requireUser(key: string): StoredUser {
    const user = this.findUser(key);
    if (!user) throw new Error(`no user ${key}`);
    return user;
  }

  private requireGroup(key: string): StoredGroup {
    const group = this.findGroup(key);
    if (!group) throw new Error(`no group ${key}`);
    return group;
  }

  /** Addresses are unique across users, groups and their aliases, as in Google. */
  private claimAddress(address: string): void {
    if (this.userIdByEmail.has(lower(address)) || this.groupIdByEmail.has(lower(address))) throw new Error(`${address} is taken`);
  }

  /** `local@domain`, or `local2@domain`, `local3@domain`… when taken. */
  freeAddress(local: string): string {
    for (let n = 1; ; n++) {
      const address = `${local}${n === 1 ? '' : n}@${this.domain}`;
      if (!this.userIdByEmail.has(address) && !this.groupIdByEmail.has(address)) return address;
    }
  }

  private newId(make: () => string, taken: (id: string) => boolean): string {
    for (;;) {
      const id = make();
      if (!taken(id)) return id;
    }
  }

  private digits(count: number): string {
    return Array.from({ length: count }, () => this.ids.int(10)).join('');
  }

  private base36(count: number): string {
    return Array.from({ length: count }, () => this.ids.int(36).toString(36)).join('');
  }
}
