/** Mapped attribute values (docs/attributes.md) as text: what the preview and the directory show. */

interface Address {
  streetAddress?: string | null;
  locality?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
  formatted?: string | null;
}

interface UserReference {
  id?: string | null;
  userName?: string | null;
  displayName?: string | null;
  value?: string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** A work address on one line: its `formatted` text, else its parts. */
function addressText(address: Address): string | undefined {
  const formatted = text(address.formatted);
  if (formatted) return formatted.replace(/\s*\n\s*/g, ', ');
  const parts = [address.streetAddress, [address.postalCode, address.locality].filter(text).join(' '), address.region, address.country].filter(text);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** A manager: the provisioned user it names, else what the provider sent and that it names nobody. */
function userText(user: UserReference): string | undefined {
  const name = text(user.displayName) ?? text(user.userName);
  if (user.id && name) return text(user.userName) && name !== user.userName ? `${name} (${user.userName})` : name;
  const value = text(user.value);
  return value ? `${value} (no provisioned user has this ID or user name)` : undefined;
}

/**
 * A value as text, or undefined when there is none (null, an empty list). Without its type (the
 * directory's users carry values only), an object with a `value` is a user reference, another an
 * address. Objects of other shapes show as JSON: a newer server's type still shows, as text.
 */
export function attributeValueText(value: unknown, type?: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  const kind = type ?? (isObject(value) ? ('value' in value ? 'user' : 'address') : undefined);
  if (kind === 'address' && isObject(value)) return addressText(value);
  if (kind === 'user' && isObject(value)) return userText(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The types as people read them; the API's own name follows in the catalogue's type select. */
const TYPE_LABELS: Record<string, string> = {
  string: 'text',
  number: 'number',
  boolean: 'true or false',
  date: 'date',
  'string[]': 'list of text',
  address: 'address',
  user: 'user',
};

/** What people read for a type: `string[]` is "list of text"; an unknown type shows as it is. */
export function attributeTypeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type;
}
