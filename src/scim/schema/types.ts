/** Attribute and schema definitions as RFC 7643 §7 describes them. */

export const ATTRIBUTE_TYPES = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex'] as const;
/** RFC 7643 §2.3 data types. */
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export const MUTABILITIES = ['readOnly', 'readWrite', 'immutable', 'writeOnly'] as const;
/** RFC 7643 §7 `mutability`. */
export type Mutability = (typeof MUTABILITIES)[number];

export const RETURNED = ['always', 'never', 'default', 'request'] as const;
/** RFC 7643 §7 `returned`. */
export type Returned = (typeof RETURNED)[number];

/** One attribute of a schema, exactly the fields RFC 7643 §7 lists (served by /Schemas as is). */
export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
}

/** A schema: its URN id, name and attributes (RFC 7643 §7). */
export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}
