/**
 * Google's users and groups as SCIM resources, so that they are stored, mapped to attributes, shown and
 * announced exactly as pushed ones are. The Google id is the `externalId`, which is how a later sync
 * finds the resource again.
 */
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../scim/schema/urns.js';
import type { GoogleGroup, GoogleUser } from './directory-reader.js';

type Json = Record<string, unknown>;

/** The object of a field Google types loosely (`any` in its client) as an array of objects. */
function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((v): v is Json => v !== null && typeof v === 'object') : [];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** Google's primary element, else its first. */
function primary(items: Json[]): Json | undefined {
  return items.find((item) => item.primary === true) ?? items[0];
}

/** Drops undefined members, and returns undefined for an object left empty. */
function compact(object: Json): Json | undefined {
  const out = Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
  return Object.keys(out).length > 0 ? out : undefined;
}

const PHONE_TYPES = new Set(['work', 'home', 'mobile', 'fax', 'pager', 'other']);

/** A Google user (projection full) as the body of a SCIM User. */
export function userResource(user: GoogleUser): Json {
  const primaryEmail = user.primaryEmail!;
  const emails = [{ value: primaryEmail, type: 'work', primary: true }];
  for (const email of list(user.emails)) {
    const address = text(email.address);
    if (address && address.toLowerCase() !== primaryEmail.toLowerCase()) emails.push({ value: address, type: email.type === 'home' ? 'home' : 'other', primary: false });
  }
  const phones = list(user.phones).flatMap((phone) => {
    const value = text(phone.value);
    if (!value) return [];
    const type = typeof phone.type === 'string' && PHONE_TYPES.has(phone.type) ? phone.type : 'other';
    return [{ value, type, ...(phone.primary === true ? { primary: true } : {}) }];
  });
  const organization = primary(list(user.organizations));
  const employeeNumber = list(user.externalIds).find((id) => id.type === 'organization');
  const manager = list(user.relations).find((relation) => relation.type === 'manager');
  const language = primary(list(user.languages));
  const name = compact({ givenName: text(user.name?.givenName), familyName: text(user.name?.familyName), formatted: text(user.name?.fullName) });
  const enterprise = compact({
    employeeNumber: text(employeeNumber?.value),
    department: text(organization?.department),
    costCenter: text(organization?.costCenter),
    organization: text(organization?.name),
    manager: text(manager?.value) ? { value: text(manager?.value) } : undefined,
  });
  return {
    schemas: enterprise ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    externalId: user.id,
    userName: primaryEmail,
    active: user.suspended !== true && user.archived !== true,
    ...(name ? { name } : {}),
    ...(text(user.name?.fullName) ? { displayName: user.name!.fullName } : {}),
    ...(text(organization?.title) ? { title: organization!.title } : {}),
    ...(text(language?.languageCode) ? { preferredLanguage: language!.languageCode } : {}),
    emails,
    ...(phones.length > 0 ? { phoneNumbers: phones } : {}),
    ...(enterprise ? { [ENTERPRISE_USER_SCHEMA]: enterprise } : {}),
  };
}

/**
 * Each group's displayName: its name, unique within the connection as SCIM requires. Google does not
 * require unique names, so groups that share one are told apart by their e-mail address.
 */
export function groupNames(groups: readonly GoogleGroup[]): Map<string, string> {
  const count = new Map<string, number>();
  const base = (g: GoogleGroup) => text(g.name) ?? g.email ?? g.id!;
  for (const group of groups) count.set(base(group).toLowerCase(), (count.get(base(group).toLowerCase()) ?? 0) + 1);
  return new Map(groups.map((g) => [g.id!, count.get(base(g).toLowerCase())! > 1 && g.email ? `${base(g)} (${g.email})` : base(g)]));
}

/** A Google group (without members) as the body of a SCIM Group. */
export function groupResource(group: GoogleGroup, displayName: string): Json {
  return { schemas: [GROUP_SCHEMA], externalId: group.id, displayName };
}
