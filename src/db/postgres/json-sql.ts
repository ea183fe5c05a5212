/**
 * JSON through PostgreSQL's jsonb operators: the text column is cast to jsonb, `#>` reaches a
 * value and `#>>` its text, jsonb_typeof() names its type, and jsonb_array_elements() walks an
 * array. Paths are text[] parameters.
 */
import { sql, type RawBuilder } from 'kysely';
import type { ElementCondition, JsonAccess, JsonElement, JsonSql } from '../json-sql.js';

/** An element of the array jsonb_array_elements() walks as `je(v)`. */
const element: JsonElement = {
  self: () => ({ text: sql`(je.v #>> '{}')`, type: sql`jsonb_typeof(je.v)` }),
  key: (name) => ({ text: sql`(je.v ->> ${name}::text)`, type: sql`jsonb_typeof(je.v -> ${name}::text)` }),
};

/** `EXISTS` over the elements of the array at the path `p` (a text[], maybe computed in SQL). */
function existsAt(json: RawBuilder<unknown>, p: RawBuilder<unknown>, cond: ElementCondition): RawBuilder<unknown> {
  const at = sql`((${json})::jsonb #> ${p})`;
  // jsonb_array_elements() raises an error on anything but an array: give it an empty one instead.
  return sql`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(${at}) = 'array' then ${at} else '[]'::jsonb end) je(v) where ${cond(element)})`;
}

function isString(access: JsonAccess): RawBuilder<unknown> {
  return sql`${access.type} = 'string'`;
}

export const postgresJson: JsonSql = {
  at(json, path) {
    const at = sql`((${json})::jsonb #> ${[...path]}::text[])`;
    return { text: sql`((${json})::jsonb #>> ${[...path]}::text[])`, type: sql`jsonb_typeof(${at})` };
  },

  existsElement: (json, path, cond) => existsAt(json, sql`${[...path]}::text[]`, cond),

  atAnyCase(json, keys) {
    // The path is built in SQL, one key at a time, from the spelling each object actually holds.
    let p: RawBuilder<unknown> = sql`array[]::text[]`;
    for (const key of keys) {
      const at = sql`((${json})::jsonb #> ${p})`;
      // jsonb_object_keys() raises an error on anything but an object: give it an empty one instead.
      const found = sql`(select jk from jsonb_object_keys(case when jsonb_typeof(${at}) = 'object' then ${at} else '{}'::jsonb end) jk where lower(jk) = ${key.toLowerCase()} order by jk = ${key} desc limit 1)`;
      p = sql`(${p} || ${found})`;
    }
    return {
      access: { text: sql`((${json})::jsonb #>> ${p})`, type: sql`jsonb_typeof((${json})::jsonb #> ${p})` },
      existsElement: (cond) => existsAt(json, p, cond),
    };
  },

  // `#>>` reads false as 'false', and jsonb_typeof() names it 'boolean'.
  defaultFalse: (access) => ({ text: sql`coalesce(${access.text}, 'false')`, type: sql`coalesce(${access.type}, 'boolean')` }),

  isNumber: (access) => sql`${access.type} = 'number'`,

  isBoolean(access, value) {
    const word = value ? 'true' : 'false';
    const asString = sql`(${isString(access)} and lower(${access.text}) = ${word})`;
    return sql`((${access.type} = 'boolean' and ${access.text} = ${word}) or ${asString})`;
  },

  isString,

  // `#>>` yields text: cast only a number, so odd data never reaches a cast that would fail.
  number: (access) => sql`(case when ${access.type} = 'number' then (${access.text})::numeric end)`,
};
