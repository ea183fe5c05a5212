/**
 * Dialect-specific SQL over the stored resource JSON (a text column on both engines), for the
 * attributes that have no column of their own. Every accessor yields the value as text and its
 * JSON type, so comparisons can be typed without casts that could fail on odd data.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from '../../db/open.js';

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
export function jsonAt(dialect: DialectName, json: RawBuilder<unknown>, path: readonly string[]): JsonAccess {
  if (dialect === 'sqlite') {
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
    self: () => ({ text: sql`je.atom`, type: sql`je.type` }),
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
    self: () => ({ text: sql`(case when jsonb_typeof(je.v) not in ('object', 'array') then je.v #>> '{}' end)`, type: sql`jsonb_typeof(je.v)` }),
    key: (name) => ({ text: sql`(je.v ->> ${name}::text)`, type: sql`jsonb_typeof(je.v -> ${name}::text)` }),
  };
}

/** `EXISTS` over the elements of the JSON array at `path`; a missing or non-array value has none. */
export function existsJsonElement(
  dialect: DialectName,
  json: RawBuilder<unknown>,
  path: readonly string[],
  cond: (element: JsonElement) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  if (dialect === 'sqlite') {
    const p = sqlitePath(path);
    return sql`(json_type(${json}, ${p}) = 'array' and exists (select 1 from json_each(${json}, ${p}) je where ${cond(sqliteElement())}))`;
  }
  const at = sql`((${json})::jsonb #> ${[...path]}::text[])`;
  return sql`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(${at}) = 'array' then ${at} else '[]'::jsonb end) je(v) where ${cond(postgresElement())})`;
}

/** SQL true when a JsonAccess holds a number. */
export function isJsonNumber(dialect: DialectName, access: JsonAccess): RawBuilder<unknown> {
  return dialect === 'sqlite' ? sql`${access.type} in ('integer', 'real')` : sql`${access.type} = 'number'`;
}

/** SQL true when a JsonAccess holds this boolean. */
export function isJsonBoolean(dialect: DialectName, access: JsonAccess, value: boolean): RawBuilder<unknown> {
  if (dialect === 'sqlite') return sql`${access.type} = ${value ? 'true' : 'false'}`;
  return sql`(${access.type} = 'boolean' and ${access.text} = ${value ? 'true' : 'false'})`;
}

/** SQL true when a JsonAccess holds a string. */
export function isJsonString(dialect: DialectName, access: JsonAccess): RawBuilder<unknown> {
  return dialect === 'sqlite' ? sql`${access.type} = 'text'` : sql`${access.type} = 'string'`;
}

/** The number in a JsonAccess (guard with isJsonNumber). */
export function jsonNumber(dialect: DialectName, access: JsonAccess): RawBuilder<unknown> {
  return dialect === 'sqlite' ? access.text : sql`(case when ${access.type} = 'number' then (${access.text})::numeric end)`;
}

/** Escapes LIKE wildcards; pair with `escape '\'`. */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
