/**
 * Substring tests on PostgreSQL need no help: the test is a LIKE (src/db/postgres/text-match.ts),
 * and the planner answers it from the column's pg_trgm index (migration 0013) when that is cheaper.
 */
import type { SubstringSearch } from '../substring-search.js';

export const postgresSubstringSearch: SubstringSearch = {
  narrow: (_searched, _value, exact) => exact,
};
