/** The vocabulary of user attributes: the types a value can have and the three kinds of attribute. */

/** Types a custom attribute may have. */
export const CUSTOM_TYPES = ['string', 'number', 'boolean', 'date', 'string[]'] as const;
/** The type of a custom attribute's value. */
export type CustomType = (typeof CUSTOM_TYPES)[number];

/**
 * Every type a mapped value can have: the custom types, a work address (`{streetAddress, locality,
 * region, postalCode, country, formatted}`) and a reference to another user of the connection
 * (`{id, userName, displayName}`, resolved when the directory API reads it).
 */
export type AttributeType = CustomType | 'address' | 'user';

/** A predefined attribute: offered by Rollcall, switched on by the vendor. */
export interface PredefinedAttribute {
  key: string;
  type: AttributeType;
  description: string;
}

/** A custom attribute: defined by the vendor. */
export interface CustomAttribute {
  key: string;
  type: CustomType;
  description: string;
  /** Whether the customer's admin must map it (a connection without a source for it is flagged). */
  required: boolean;
}

/** An attribute that is on: a predefined one switched on, or a custom one. */
export interface ActiveAttribute {
  key: string;
  type: AttributeType;
  kind: 'predefined' | 'custom';
  required: boolean;
}

/** The mapped values of one user: each active attribute's key with its typed value or null. */
export type AttributeValues = Record<string, unknown>;

/** Why one attribute of one user has no value although its source had one. */
export interface ConversionProblem {
  key: string;
  reason: string;
}
