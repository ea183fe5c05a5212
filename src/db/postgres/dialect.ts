/** The production database: shared by every process, many writers at once. */
import type { Dialect } from '../dialect.js';

export const postgresDialect: Dialect = {
  name: 'postgres',
};
