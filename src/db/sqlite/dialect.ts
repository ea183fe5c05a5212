/** The embedded database: one file, one writer at a time. */
import type { Dialect } from '../dialect.js';

export const sqliteDialect: Dialect = {
  name: 'sqlite',
};
