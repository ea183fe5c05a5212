/** The indexed columns of a user row, derived from its stored resource. */
import type { ScimUserEmailsTable } from '../../db/tables.js';
import type { StoredResource } from '../resources/normalize.js';

type Email = { value?: unknown; type?: unknown; primary?: unknown };

function emailsOf(resource: StoredResource): Email[] {
  return Array.isArray(resource.emails) ? (resource.emails as Email[]).filter((e) => e && typeof e.value === 'string') : [];
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Columns of `scim_users` that mirror the resource. */
export function userColumns(resource: StoredResource) {
  const userName = resource.userName as string;
  const displayName = text(resource.displayName);
  const name = (resource.name ?? {}) as Record<string, unknown>;
  const emails = emailsOf(resource);
  const primary = emails.find((e) => e.primary === true) ?? emails[0];
  return {
    user_name: userName,
    user_name_norm: userName.toLowerCase(),
    external_id: text(resource.externalId),
    display_name: displayName,
    display_name_norm: displayName?.toLowerCase() ?? null,
    given_name: text(name.givenName),
    family_name: text(name.familyName),
    email_norm: primary ? (primary.value as string).toLowerCase() : null,
    active: resource.active === false ? 0 : 1,
  };
}

/**
 * Rows of `scim_user_emails` for the resource's emails. An email without a value gets a row too
 * (value '', which the filter reads as absent): `emails[type eq "work"]` must still find it.
 */
export function emailRows(userId: string, connectionId: string, resource: StoredResource): ScimUserEmailsTable[] {
  const emails = Array.isArray(resource.emails) ? (resource.emails as Email[]).filter((e) => e !== null && typeof e === 'object') : [];
  return emails.map((email, position) => ({
    user_id: userId,
    position,
    connection_id: connectionId,
    value_norm: typeof email.value === 'string' ? email.value.toLowerCase() : '',
    type: typeof email.type === 'string' ? email.type.toLowerCase() : null,
    is_primary: email.primary === true ? 1 : 0,
  }));
}
