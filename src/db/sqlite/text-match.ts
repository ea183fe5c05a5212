/**
 * Case-exact substring tests on SQLite, whose LIKE folds ASCII case: the substring itself is
 * looked for (instr) or cut out and compared (substr).
 */
import { sql } from 'kysely';
import type { TextMatch } from '../text-match.js';

/** Length in code points, as SQLite's length() and substr() count. */
function sqlLength(text: string): number {
  return [...text].length;
}

export const sqliteTextMatch: TextMatch = {
  contains: (text, value) => sql`instr(${text}, ${value}) > 0`,
  startsWith: (text, value) => sql`substr(${text}, 1, ${sqlLength(value)}) = ${value}`,
  endsWith: (text, value) => sql`substr(${text}, ${-sqlLength(value)}) = ${value}`,
};
