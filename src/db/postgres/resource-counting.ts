/**
 * PostgreSQL: a new user or group is counted into scim_counts and its order block by the
 * per-statement AFTER INSERT triggers of migrations 0008 and 0009 (one trigger call per statement,
 * whatever its rows), so an insert is the insert alone — as are the inserts of the create statement
 * (create-statement.ts), which the same triggers count.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { insertResourceRow, type NewResourceRow } from '../scim-dialect.js';
import type { Database } from '../tables.js';
import type { ConnectionScope } from '../../scim/store/scope.js';

/** Inserts a user or group through `db`; the triggers count it. */
export async function insertCounted(db: Kysely<Database>, dialect: Dialect, _scope: ConnectionScope, resource: NewResourceRow): Promise<void> {
  await insertResourceRow(db, dialect, resource);
}
