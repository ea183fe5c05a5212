/**
 * The environment's attribute catalogue: which predefined attributes are on, the vendor's custom
 * attributes, and the URN of the SCIM extension that advertises the custom ones to identity providers.
 */
import { validationFailed } from '../http/api-errors.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../scim/schema/urns.js';
import { PREDEFINED_ATTRIBUTES, predefinedAttribute } from './predefined.js';
import { CUSTOM_TYPES, type ActiveAttribute, type CustomAttribute, type CustomType } from './types.js';

/** The URN of the custom attributes' SCIM extension until the vendor names another. */
export const DEFAULT_CUSTOM_SCHEMA = 'urn:ietf:params:scim:schemas:extension:rollcall:2.0:User';
/** At most this many custom attributes. */
export const MAX_CUSTOM_ATTRIBUTES = 100;
/** A key: a letter, then letters, digits or underscores; what a SCIM attribute name may be too. */
export const ATTRIBUTE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** A URN as RFC 8141 shapes it, without the characters SCIM paths give a meaning to. */
const SCHEMA_URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}(:[A-Za-z0-9._~%!$&'*+,;=@-]+)+$/;
const RESERVED_SCHEMAS = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA].map((u) => u.toLowerCase());

/** What the directory API shows of every user whatever the catalogue says. */
export const STANDARD_ATTRIBUTES = [
  { key: 'userName', type: 'string', description: 'The unique user name the provider sends (userName)' },
  { key: 'email', type: 'string', description: 'The primary email (else the first)' },
  { key: 'firstName', type: 'string', description: 'Given name (name.givenName)' },
  { key: 'lastName', type: 'string', description: 'Family name (name.familyName)' },
  { key: 'displayName', type: 'string', description: 'Display name' },
  { key: 'active', type: 'boolean', description: 'Whether the user is active' },
] as const;
const STANDARD_KEYS = new Set(STANDARD_ATTRIBUTES.map((a) => a.key.toLowerCase()));

/** The catalogue as stored and compiled. */
export interface Catalogue {
  /** The predefined keys that are on, in PREDEFINED_ATTRIBUTES order. */
  predefined: string[];
  custom: CustomAttribute[];
  customSchema: string;
}

/** Nothing on: the catalogue of an environment that never set one. */
export const EMPTY_CATALOGUE: Readonly<Catalogue> = Object.freeze({ predefined: [], custom: [], customSchema: DEFAULT_CUSTOM_SCHEMA });

/** A catalogue as a PUT sends it (validated by the route schema's shape, checked here for meaning). */
export interface CatalogueInput {
  predefined: string[];
  custom: { key: string; type: string; description?: string; required?: boolean }[];
  customSchema?: string;
}

/** Checks a catalogue a PUT sends; throws validation_failed naming the field. */
export function validCatalogue(input: CatalogueInput): Catalogue {
  const predefined = new Set<string>();
  input.predefined.forEach((key, i) => {
    if (!predefinedAttribute(key)) throw validationFailed(`"${key}" is not a predefined attribute; they are: ${PREDEFINED_ATTRIBUTES.map((a) => a.key).join(', ')}`, `predefined.${i}`);
    predefined.add(key);
  });
  if (input.custom.length > MAX_CUSTOM_ATTRIBUTES) throw validationFailed(`At most ${MAX_CUSTOM_ATTRIBUTES} custom attributes`, 'custom');
  const seen = new Set<string>();
  const custom = input.custom.map((attribute, i): CustomAttribute => {
    const field = `custom.${i}`;
    const { key } = attribute;
    if (!ATTRIBUTE_KEY.test(key)) throw validationFailed(`"${key}" is not a valid key: a letter, then up to 63 letters, digits or underscores`, `${field}.key`);
    const lower = key.toLowerCase();
    if (predefinedAttribute(key) || PREDEFINED_ATTRIBUTES.some((a) => a.key.toLowerCase() === lower)) throw validationFailed(`"${key}" is a predefined attribute: switch it on under "predefined" instead`, `${field}.key`);
    if (STANDARD_KEYS.has(lower)) throw validationFailed(`"${key}" is a standard attribute of every user`, `${field}.key`);
    if (seen.has(lower)) throw validationFailed(`"${key}" is defined twice (keys compare case-insensitively)`, `${field}.key`);
    seen.add(lower);
    if (!(CUSTOM_TYPES as readonly string[]).includes(attribute.type)) throw validationFailed(`type must be one of: ${CUSTOM_TYPES.join(', ')}`, `${field}.type`);
    return { key, type: attribute.type as CustomType, description: attribute.description ?? '', required: attribute.required === true };
  });
  const customSchema = input.customSchema ?? DEFAULT_CUSTOM_SCHEMA;
  if (!SCHEMA_URN.test(customSchema) || customSchema.length > 200) throw validationFailed('customSchema must be a URN (urn:<namespace>:<name>…), at most 200 characters', 'customSchema');
  if (RESERVED_SCHEMAS.includes(customSchema.toLowerCase())) throw validationFailed('customSchema must not be a schema SCIM defines', 'customSchema');
  return { predefined: PREDEFINED_ATTRIBUTES.map((a) => a.key).filter((key) => predefined.has(key)), custom, customSchema };
}

/** A stored catalogue row as a Catalogue (absent: nothing on). */
export function storedCatalogue(row: { predefined: string; custom: string; custom_schema: string } | undefined | null): Catalogue {
  if (!row) return EMPTY_CATALOGUE;
  const keys = new Set(JSON.parse(row.predefined) as string[]);
  return {
    predefined: PREDEFINED_ATTRIBUTES.map((a) => a.key).filter((key) => keys.has(key)),
    custom: JSON.parse(row.custom) as CustomAttribute[],
    customSchema: row.custom_schema,
  };
}

/** The attributes that are on, predefined first, in catalogue order. */
export function activeAttributes(catalogue: Catalogue): ActiveAttribute[] {
  return [
    ...catalogue.predefined.map((key): ActiveAttribute => ({ key, type: predefinedAttribute(key)!.type, kind: 'predefined', required: false })),
    ...catalogue.custom.map((a): ActiveAttribute => ({ key: a.key, type: a.type, kind: 'custom', required: a.required })),
  ];
}
