/**
 * The Directory API's resources as Google returns them (users, groups, members), how the stand-in fills
 * in what a test leaves out, and how a stored resource is rendered into an answer
 * (https://developers.google.com/admin-sdk/directory/reference/rest/v1/users#User and …/groups, …/members).
 */
import { createHash } from 'node:crypto';

export type MemberRole = 'OWNER' | 'MANAGER' | 'MEMBER';
export type MemberType = 'USER' | 'GROUP' | 'CUSTOMER';
/** What users.list and users.get return: `basic` leaves out custom schemas, `custom` keeps the ones asked for. */
export type Projection = 'basic' | 'full' | 'custom';

/** Google's "never": the `lastLoginTime` of a user who has not signed in. */
export const NEVER = '1970-01-01T00:00:00.000Z';
/** When users and groups are created unless a test says otherwise, so that answers are the same every run. */
const DEFAULT_CREATION_TIME = '2024-06-03T09:30:00.000Z';

/** A user as the Directory API returns it (full projection). */
export interface GoogleUser {
  kind: 'admin#directory#user';
  id: string;
  etag: string;
  primaryEmail: string;
  name: { givenName: string; familyName: string; fullName: string };
  isAdmin: boolean;
  isDelegatedAdmin: boolean;
  lastLoginTime: string;
  creationTime: string;
  agreedToTerms: boolean;
  suspended: boolean;
  suspensionReason?: string;
  archived: boolean;
  changePasswordAtNextLogin: boolean;
  ipWhitelisted: boolean;
  emails: { address: string; primary?: boolean; type?: string; customType?: string }[];
  aliases?: string[];
  nonEditableAliases?: string[];
  phones?: { value: string; type: string; primary?: boolean; customType?: string }[];
  organizations?: { name?: string; title?: string; primary?: boolean; customType?: string; department?: string; costCenter?: string; description?: string }[];
  relations?: { value: string; type: string; customType?: string }[];
  externalIds?: { value: string; type: string; customType?: string }[];
  languages?: { languageCode: string; preference: string }[];
  customSchemas?: Record<string, Record<string, unknown>>;
  customerId: string;
  orgUnitPath: string;
  isMailboxSetup: boolean;
  isEnrolledIn2Sv: boolean;
  isEnforcedIn2Sv: boolean;
  includeInGlobalAddressList: boolean;
  thumbnailPhotoUrl?: string;
  thumbnailPhotoEtag?: string;
  /** Only on deleted users (users.list with showDeleted=true). */
  deletionTime?: string;
}

/** What a test gives to add a user: any field, the name in parts; the rest is filled in. */
export type UserInit = Partial<Omit<GoogleUser, 'kind' | 'etag' | 'name' | 'customerId' | 'isAdmin'>> & { name?: Partial<GoogleUser['name']> };
/** What a test may change of a user: anything but its id. */
export type UserPatch = Omit<UserInit, 'id'>;

/** A group as the Directory API returns it. */
export interface GoogleGroup {
  kind: 'admin#directory#group';
  id: string;
  etag: string;
  email: string;
  name: string;
  /** A string: the field is int64, which Google's JSON carries as a string. */
  directMembersCount: string;
  description: string;
  adminCreated: boolean;
  aliases?: string[];
  nonEditableAliases?: string[];
}

export type GroupInit = Partial<Pick<GoogleGroup, 'id' | 'email' | 'name' | 'description' | 'adminCreated' | 'aliases'>>;
export type GroupPatch = Omit<GroupInit, 'id'>;

/** A membership as the Directory API returns it. */
export interface GoogleMember {
  kind: 'admin#directory#member';
  etag: string;
  id: string;
  /** Absent for a CUSTOMER member (everyone in the domain). */
  email?: string;
  role: MemberRole;
  type: MemberType;
  status?: 'ACTIVE' | 'SUSPENDED';
}

/** A user as stored: the resource without the fields computed when it is rendered. */
export type StoredUser = Omit<GoogleUser, 'etag' | 'isAdmin'>;
export type StoredGroup = Omit<GoogleGroup, 'etag' | 'directMembersCount'>;

/** Google's ETags are quoted opaque strings that change with the resource. */
export function etagOf(resource: unknown): string {
  return `"${createHash('sha1').update(JSON.stringify(resource)).digest('base64url')}"`;
}

/** The address Google gives every user and group on the domain's test-google-a.com twin. */
export function testDomainAlias(email: string): string {
  const [local, domain] = email.split('@');
  return `${local}@${domain}.test-google-a.com`;
}

/** An ASCII e-mail local part for a name: accents dropped, other letters spelled out. */
export function slug(text: string): string {
  return text
    .replace(/[łŁ]/g, 'l')
    .replace(/[øØ]/g, 'o')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** A stored user with every field Google always returns filled in. */
export function newUser(id: string, primaryEmail: string, customerId: string, init: UserInit): StoredUser {
  const givenName = init.name?.givenName ?? 'Test';
  const familyName = init.name?.familyName ?? 'User';
  const alias = testDomainAlias(primaryEmail);
  const user: StoredUser = {
    kind: 'admin#directory#user',
    id,
    primaryEmail,
    name: { givenName, familyName, fullName: init.name?.fullName ?? `${givenName} ${familyName}` },
    isDelegatedAdmin: false,
    lastLoginTime: NEVER,
    creationTime: DEFAULT_CREATION_TIME,
    agreedToTerms: true,
    suspended: false,
    archived: false,
    changePasswordAtNextLogin: false,
    ipWhitelisted: false,
    emails: [{ address: primaryEmail, primary: true }, ...(init.aliases ?? []).map((address) => ({ address })), { address: alias }],
    nonEditableAliases: [alias],
    customerId,
    orgUnitPath: '/',
    isMailboxSetup: true,
    isEnrolledIn2Sv: false,
    isEnforcedIn2Sv: false,
    includeInGlobalAddressList: true,
  };
  return applyUserPatch(user, { ...init, primaryEmail });
}

/** A user with `patch` applied; the full name follows the parts unless given. */
export function applyUserPatch(user: StoredUser, patch: UserPatch): StoredUser {
  const { name, ...rest } = patch;
  const next: StoredUser = { ...user, ...rest };
  if (name) {
    const givenName = name.givenName ?? user.name.givenName;
    const familyName = name.familyName ?? user.name.familyName;
    next.name = { givenName, familyName, fullName: name.fullName ?? `${givenName} ${familyName}` };
  }
  if (!next.suspended) delete next.suspensionReason;
  else next.suspensionReason ??= 'ADMIN';
  return next;
}

/** The user as an answer carries it. */
export function renderUser(user: StoredUser, isAdmin: boolean, projection: Projection, customFieldMask: string[]): GoogleUser {
  const rendered: Omit<GoogleUser, 'etag'> = { ...user, isAdmin };
  if (projection === 'basic' || !user.customSchemas) delete rendered.customSchemas;
  else if (projection === 'custom') {
    const kept = Object.entries(user.customSchemas).filter(([schema]) => customFieldMask.includes(schema));
    if (kept.length) rendered.customSchemas = Object.fromEntries(kept);
    else delete rendered.customSchemas;
  }
  // The ETag goes second, where Google puts it.
  const { kind, ...fields } = rendered;
  return { kind, etag: etagOf(rendered), ...fields };
}

export function renderGroup(group: StoredGroup, directMembersCount: number): GoogleGroup {
  const { kind, id, email, name, ...rest } = group;
  const body = { id, email, name, directMembersCount: String(directMembersCount), ...rest };
  return { kind, etag: etagOf(body), ...body };
}

export function renderMember(groupId: string, member: Omit<GoogleMember, 'kind' | 'etag'>): GoogleMember {
  return { kind: 'admin#directory#member', etag: etagOf([groupId, member]), ...member };
}
