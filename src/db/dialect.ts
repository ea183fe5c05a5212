/**
 * What differs between the databases, as one object per database (src/db/sqlite/, src/db/postgres/):
 * chosen once, by the URL a database is opened with (src/db/open.ts), and handed to the stores.
 * Code outside src/db asks the dialect to do something; it never asks which database it runs on.
 */
export const DIALECTS = ['sqlite', 'postgres'] as const;
/** Which database engine a store talks to. */
export type DialectName = (typeof DIALECTS)[number];

export interface Dialect {
  /** The engine's name, for what is reported (the health check, logs). */
  readonly name: DialectName;
}
