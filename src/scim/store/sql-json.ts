/**
 * Dialect-specific SQL over the stored resource JSON (a text column on both engines), for the
 * attributes that have no column of their own. Every accessor yields the value as text and its
 * JSON type, so comparisons can be typed without casts that could fail on odd data.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../../db/dialect.js';

/** A JSON value in SQL: its text (NULL when absent) and its JSON type name. */
export interface JsonAccess {
  text: RawBuilder<unknown>;
  /** SQLite: json_type() names ('text', 'integer', 'real', 'true', 'false', 'object', 'array', 'null'); PostgreSQL: jsonb_typeof() names. */
  type: RawBuilder<unknown>;
}

/** `$."a"."b"`: a SQLite JSON path with every key quoted (URN keys contain ':' and '.'). */
function sqlitePath(path: readonly string[]): string {
  return `$${path.map((key) => `."${key}"`).join('')}`;
}

/** The value at `path` inside the JSON text `json`. */
export function jsonAt(dialect: Dialect, json: RawBuilder<unknown>, path: readonly string[]): JsonAccess {
  if (dialect.name === 'sqlite') {
    const p = sqlitePath(path);
    return { text: sql`json_extract(${json}, ${p})`, type: sql`json_type(${json}, ${p})` };
  }
  const at = sql`((${json})::jsonb #> ${[...path]}::text[])`;
  return { text: sql`((${json})::jsonb #>> ${[...path]}::text[])`, type: sql`jsonb_typeof(${at})` };
}

/** One element of a JSON array being iterated by `existsJsonElement`. */
export interface JsonElement {
  /** The element itself (a scalar element of a multi-valued primitive attribute). */
  self(): JsonAccess;
  /** A key of an object element; absent for scalar elements. */
  key(name: string): JsonAccess;
}

function sqliteElement(): JsonElement {
  return {
    // Objects and arrays read as their JSON text (json_each gives them no atom), so `pr` can see them.
    self: () => ({ text: sql`(case when je.type in ('object', 'array') then je.value else je.atom end)`, type: sql`je.type` }),
    key: (name) => {
      const p = sqlitePath([name]);
      // json_each.value is JSON text only for objects and arrays: guard before reading into it.
      return {
        text: sql`(case when je.type = 'object' then json_extract(je.value, ${p}) end)`,
        type: sql`(case when je.type = 'object' then json_type(je.value, ${p}) end)`,
      };
    },
  };
}

function postgresElement(): JsonElement {
  return {
    self: () => ({ text: sql`(je.v #>> '{}')`, type: sql`jsonb_typeof(je.v)` }),
    key: (name) => ({ text: sql`(je.v ->> ${name}::text)`, type: sql`jsonb_typeof(je.v -> ${name}::text)` }),
  };
}

/**
 * A path into the JSON as SQL: a SQLite JSON path string, or a PostgreSQL text[]; computed in SQL
 * when keys are looked up case-insensitively.
 */
type PathExpr = RawBuilder<unknown>;

function staticPath(dialect: Dialect, path: readonly string[]): PathExpr {
  return dialect.name === 'sqlite' ? sql`${sqlitePath(path)}` : sql`${[...path]}::text[]`;
}

function existsElementsAt(dialect: Dialect, json: RawBuilder<unknown>, p: PathExpr, cond: (element: JsonElement) => RawBuilder<unknown>): RawBuilder<unknown> {
  if (dialect.name === 'sqlite') {
    return sql`(json_type(${json}, ${p}) = 'array' and exists (select 1 from json_each(${json}, ${p}) je where ${cond(sqliteElement())}))`;
  }
  const at = sql`((${json})::jsonb #> ${p})`;
  return sql`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(${at}) = 'array' then ${at} else '[]'::jsonb end) je(v) where ${cond(postgresElement())})`;
}

/** `EXISTS` over the elements of the JSON array at `path`; a missing or non-array value has none. */
export function existsJsonElement(
  dialect: Dialect,
  json: RawBuilder<unknown>,
  path: readonly string[],
  cond: (element: JsonElement) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  return existsElementsAt(dialect, json, staticPath(dialect, path), cond);
}

/**
 * The value at `keys` where each key is matched case-insensitively, an exact spelling first:
 * data no schema describes (custom extensions) keeps the client's spelling of its keys, and
 * attribute names and schema URNs are case-insensitive (RFC 7643 §2.1, RFC 7644 §3.10).
 * Yields the value, and `EXISTS` over its elements when it is an array.
 */
export function jsonAtAnyCase(
  dialect: Dialect,
  json: RawBuilder<unknown>,
  keys: readonly string[],
): { access: JsonAccess; existsElement(cond: (element: JsonElement) => RawBuilder<unknown>): RawBuilder<unknown> } {
  let p: PathExpr = dialect.name === 'sqlite' ? sql`'$'` : sql`array[]::text[]`;
  for (const key of keys) {
    const lower = key.toLowerCase();
    if (dialect.name === 'sqlite') {
      // Keys that match a valid attribute name case-insensitively hold no '"', so quoting them is safe.
      const found = sql`(select jk.key from json_each(${json}, ${p}) jk where lower(jk.key) = ${lower} order by jk.key = ${key} desc limit 1)`;
      p = sql`(${p} || '."' || ${found} || '"')`;
    } else {
      const at = sql`((${json})::jsonb #> ${p})`;
      const found = sql`(select jk from jsonb_object_keys(case when jsonb_typeof(${at}) = 'object' then ${at} else '{}'::jsonb end) jk where lower(jk) = ${lower} order by jk = ${key} desc limit 1)`;
      p = sql`(${p} || ${found})`;
    }
  }
  const access: JsonAccess =
    dialect.name === 'sqlite'
      ? { text: sql`json_extract(${json}, ${p})`, type: sql`json_type(${json}, ${p})` }
      : { text: sql`((${json})::jsonb #>> ${p})`, type: sql`jsonb_typeof((${json})::jsonb #> ${p})` };
  return { access, existsElement: (cond) => existsElementsAt(dialect, json, p, cond) };
}

/**
 * A boolean that reads as false when absent: RFC 7643 §2.4 says of the `primary` sub-attribute
 * "If not specified, the value of "primary" SHALL be assumed to be "false"".
 */
export function defaultFalse(dialect: Dialect, access: JsonAccess): JsonAccess {
  if (dialect.name === 'sqlite') return { text: sql`coalesce(${access.text}, 0)`, type: sql`coalesce(${access.type}, 'false')` };
  return { text: sql`coalesce(${access.text}, 'false')`, type: sql`coalesce(${access.type}, 'boolean')` };
}

/** SQL true when a JsonAccess holds a number. */
export function isJsonNumber(dialect: Dialect, access: JsonAccess): RawBuilder<unknown> {
  return dialect.name === 'sqlite' ? sql`${access.type} in ('integer', 'real')` : sql`${access.type} = 'number'`;
}

/**
 * SQL true when a JsonAccess holds this boolean, or the string "true"/"false" in any case: the
 * filter evaluator tolerates Entra ID's "True"/"False" strings (RFC 7643 §2.3.2 says boolean),
 * which only data no schema coerces (custom extensions) can still hold.
 */
export function isJsonBoolean(dialect: Dialect, access: JsonAccess, value: boolean): RawBuilder<unknown> {
  const word = value ? 'true' : 'false';
  const asString = sql`(${isJsonString(dialect, access)} and lower(${access.text}) = ${word})`;
  if (dialect.name === 'sqlite') return sql`(${access.type} = ${word} or ${asString})`;
  return sql`((${access.type} = 'boolean' and ${access.text} = ${word}) or ${asString})`;
}

/** SQL true when a JsonAccess holds a string. */
export function isJsonString(dialect: Dialect, access: JsonAccess): RawBuilder<unknown> {
  return dialect.name === 'sqlite' ? sql`${access.type} = 'text'` : sql`${access.type} = 'string'`;
}

/** The number in a JsonAccess (guard with isJsonNumber). */
export function jsonNumber(dialect: Dialect, access: JsonAccess): RawBuilder<unknown> {
  return dialect.name === 'sqlite' ? access.text : sql`(case when ${access.type} = 'number' then (${access.text})::numeric end)`;
}

/** Escapes LIKE wildcards; pair with `escape '\'`. */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
