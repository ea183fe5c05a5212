/**
 * JSON through SQLite's JSON1 functions: json_extract() yields a scalar as its SQL value (a number
 * as a number, true/false as 1/0), json_type() names its type, and json_each() walks an array.
 * Paths are JSON path strings (`$."a"."b"`).
 */
import { sql, type RawBuilder } from 'kysely';
import type { ElementCondition, JsonAccess, JsonElement, JsonSql } from '../json-sql.js';

/** `$."a"."b"`: a JSON path with every key quoted (URN keys contain ':' and '.'). */
function jsonPath(path: readonly string[]): string {
  return `$${path.map((key) => `."${key}"`).join('')}`;
}

/** An element of the array json_each() walks as `je`. */
const element: JsonElement = {
  // Objects and arrays read as their JSON text (json_each gives them no atom), so `pr` can see them.
  self: () => ({ text: sql`(case when je.type in ('object', 'array') then je.value else je.atom end)`, type: sql`je.type` }),
  key: (name) => {
    const p = jsonPath([name]);
    // json_each.value is JSON text only for objects and arrays: guard before reading into it.
    return {
      text: sql`(case when je.type = 'object' then json_extract(je.value, ${p}) end)`,
      type: sql`(case when je.type = 'object' then json_type(je.value, ${p}) end)`,
    };
  },
};

/** `EXISTS` over the elements of the array at the path `p` (a JSON path string, maybe computed in SQL). */
function existsAt(json: RawBuilder<unknown>, p: RawBuilder<unknown>, cond: ElementCondition): RawBuilder<unknown> {
  return sql`(json_type(${json}, ${p}) = 'array' and exists (select 1 from json_each(${json}, ${p}) je where ${cond(element)}))`;
}

function isString(access: JsonAccess): RawBuilder<unknown> {
  return sql`${access.type} = 'text'`;
}

export const sqliteJson: JsonSql = {
  at(json, path) {
    const p = jsonPath(path);
    return { text: sql`json_extract(${json}, ${p})`, type: sql`json_type(${json}, ${p})` };
  },

  existsElement: (json, path, cond) => existsAt(json, sql`${jsonPath(path)}`, cond),

  atAnyCase(json, keys) {
    // The path is built in SQL, one key at a time, from the spelling each object actually holds.
    let p: RawBuilder<unknown> = sql`'$'`;
    for (const key of keys) {
      // Keys that match a valid attribute name case-insensitively hold no '"', so quoting them is safe.
      const found = sql`(select jk.key from json_each(${json}, ${p}) jk where lower(jk.key) = ${key.toLowerCase()} order by jk.key = ${key} desc limit 1)`;
      p = sql`(${p} || '."' || ${found} || '"')`;
    }
    return {
      access: { text: sql`json_extract(${json}, ${p})`, type: sql`json_type(${json}, ${p})` },
      existsElement: (cond) => existsAt(json, p, cond),
    };
  },

  // json_extract() reads false as 0, and json_type() names a false 'false'.
  defaultFalse: (access) => ({ text: sql`coalesce(${access.text}, 0)`, type: sql`coalesce(${access.type}, 'false')` }),

  isNumber: (access) => sql`${access.type} in ('integer', 'real')`,

  isBoolean(access, value) {
    const word = value ? 'true' : 'false';
    const asString = sql`(${isString(access)} and lower(${access.text}) = ${word})`;
    // json_type() names a boolean by its value: the type alone says which one it is.
    return sql`(${access.type} = ${word} or ${asString})`;
  },

  isString,

  // json_extract() already yields a number as an SQL number.
  number: (access) => access.text,
};
