/** The SCIM stores on PostgreSQL: many writers at once, and each query a round trip. */
import { sql } from 'kysely';
import type { ScimDialect } from '../scim-dialect.js';
import { insertCounted } from './resource-counting.js';
import { postgresScimStorage } from './scim-storage.js';
import { usersWithGroups } from './user-pages.js';

export const postgresScim: ScimDialect = {
  storage: postgresScimStorage,
  insertResource: insertCounted,
  lockForWrite: (select) => select.forUpdate(),
  usersWithGroups,
  async lockBlocks(trx, list) {
    // Writers that arrive while this waits queue behind it: give up soon rather than stall them.
    await sql`set local lock_timeout = '100ms'`.execute(trx);
    await sql`select pg_advisory_xact_lock(hashtextextended(${list}, 0))`.execute(trx);
  },
};
