/**
 * Builders for attribute definitions. They fill in the defaults of RFC 7643 §2.2, so each schema
 * file lists only what differs from them. They still return every RFC 7643 §7 field, because
 * /Schemas serves these objects as they are.
 */
import type { AttributeDef, Mutability } from './types.js';

/** The characteristics a builder may override (name, description and sub-attributes are arguments). */
export type AttributeOverrides = Partial<Omit<AttributeDef, 'name' | 'description' | 'subAttributes'>>;

/** RFC 7643 §2.2: the characteristics an attribute has "if not otherwise stated". */
const DEFAULTS = {
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
} as const satisfies AttributeOverrides;

/** A simple attribute: RFC 7643 §2.2 defaults, then `overrides`. Keys come out in RFC 7643 §7 order. */
export function attribute(name: string, description: string, overrides: AttributeOverrides = {}): AttributeDef {
  const c = { ...DEFAULTS, ...overrides };
  const def: AttributeDef = {
    name,
    type: c.type,
    multiValued: c.multiValued,
    description,
    required: c.required,
    caseExact: c.caseExact,
    mutability: c.mutability,
    returned: c.returned,
    uniqueness: c.uniqueness,
  };
  if (c.canonicalValues) def.canonicalValues = [...c.canonicalValues];
  if (c.referenceTypes) def.referenceTypes = [...c.referenceTypes];
  return def;
}

/** A complex attribute (RFC 7643 §2.3.8) with its sub-attributes. */
export function complexAttribute(
  name: string,
  description: string,
  subAttributes: AttributeDef[],
  overrides: AttributeOverrides = {},
): AttributeDef {
  return { ...attribute(name, description, { ...overrides, type: 'complex' }), subAttributes };
}

/** Descriptions and variations of the `value`/`display`/`type`/`primary` sub-attributes. */
export interface MultiValuedSpec {
  value: string;
  /** e.g. `photos.value` is a reference, `x509Certificates.value` is binary. */
  valueOverrides?: AttributeOverrides;
  type: string;
  canonicalTypes?: string[];
  /** `false` when the attribute has no `primary` (e.g. `groups`). */
  primary: string | false;
  /** Applied to every sub-attribute, e.g. `readOnly` for `User.groups`. */
  mutability?: Mutability;
}

const DISPLAY_DESCRIPTION = 'A human-readable name, primarily used for display purposes.  READ-ONLY.';

/** The sub-attributes RFC 7643 §2.4 gives every multi-valued attribute: value, display, type, primary. */
export function multiValuedSubAttributes(spec: MultiValuedSpec): AttributeDef[] {
  const mutability: AttributeOverrides = spec.mutability ? { mutability: spec.mutability } : {};
  const subs = [
    attribute('value', spec.value, { ...spec.valueOverrides, ...mutability }),
    attribute('display', DISPLAY_DESCRIPTION, mutability),
    attribute('type', spec.type, {
      ...mutability,
      ...(spec.canonicalTypes ? { canonicalValues: spec.canonicalTypes } : {}),
    }),
  ];
  if (spec.primary !== false) subs.push(attribute('primary', spec.primary, { ...mutability, type: 'boolean' }));
  return subs;
}

/** Freezes a definition and everything under it: schemas are shared by every request. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
