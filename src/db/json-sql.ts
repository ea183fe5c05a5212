/**
 * SQL over a resource's JSON (a text column on both databases), for attributes with no column of
 * their own. Each database answers through its own JSON functions (src/db/sqlite/json-sql.ts,
 * src/db/postgres/json-sql.ts). Every accessor yields the value as text and its JSON type, so
 * comparisons can be typed without casts that could fail on odd data.
 */
import type { RawBuilder } from 'kysely';

/** A JSON value in SQL: its text (NULL when absent) and its JSON type name. */
export interface JsonAccess {
  text: RawBuilder<unknown>;
  /**
   * The type's name as the database spells it: SQLite's json_type() ('text', 'integer', 'real',
   * 'true', 'false', 'object', 'array', 'null'), PostgreSQL's jsonb_typeof(). Both say 'object' and
   * 'array', which code common to both may compare with; for the others ask `JsonSql`.
   */
  type: RawBuilder<unknown>;
}

/** One element of a JSON array, inside the condition of `JsonSql.existsElement`. */
export interface JsonElement {
  /** The element itself (a scalar element of a multi-valued primitive attribute). */
  self(): JsonAccess;
  /** A key of an object element; absent for scalar elements. */
  key(name: string): JsonAccess;
}

/** A condition on one element of a JSON array. */
export type ElementCondition = (element: JsonElement) => RawBuilder<unknown>;

/** A value found by case-insensitive keys: itself, and `EXISTS` over its elements when it is an array. */
export interface JsonAnyCase {
  access: JsonAccess;
  existsElement(cond: ElementCondition): RawBuilder<unknown>;
}

/** How a database reads and tests JSON stored as text. */
export interface JsonSql {
  /** The value at `path` inside the JSON text `json`. */
  at(json: RawBuilder<unknown>, path: readonly string[]): JsonAccess;
  /** `EXISTS` over the elements of the JSON array at `path`; a missing or non-array value has none. */
  existsElement(json: RawBuilder<unknown>, path: readonly string[], cond: ElementCondition): RawBuilder<unknown>;
  /**
   * The value at `keys` where each key is matched case-insensitively, an exact spelling first:
   * data no schema describes (custom extensions) keeps the client's spelling of its keys, and
   * attribute names and schema URNs are case-insensitive (RFC 7643 §2.1, RFC 7644 §3.10).
   */
  atAnyCase(json: RawBuilder<unknown>, keys: readonly string[]): JsonAnyCase;
  /**
   * A boolean that reads as false when absent: RFC 7643 §2.4 says of the `primary` sub-attribute
   * "If not specified, the value of "primary" SHALL be assumed to be "false"".
   */
  defaultFalse(access: JsonAccess): JsonAccess;
  /** SQL true when the value is a number. */
  isNumber(access: JsonAccess): RawBuilder<unknown>;
  /**
   * SQL true when the value is this boolean, or the string "true"/"false" in any case: the filter
   * evaluator tolerates Entra ID's "True"/"False" strings (RFC 7643 §2.3.2 says boolean), which only
   * data no schema coerces (custom extensions) can still hold.
   */
  isBoolean(access: JsonAccess, value: boolean): RawBuilder<unknown>;
  /** SQL true when the value is a string. */
  isString(access: JsonAccess): RawBuilder<unknown>;
  /** The value as an SQL number, to compare with one (guard with `isNumber`). */
  number(access: JsonAccess): RawBuilder<unknown>;
}
