/** Serialising the changes of one connection's settings. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';

/**
 * Locks the connection row for the rest of the transaction `trx`: a no-op UPDATE takes PostgreSQL's
 * row lock and SQLite's write lock, so two changes of one connection (its tokens, compatibility
 * switches, attribute mappings) run one after the other and both count. False when the connection
 * of that tenant does not exist.
 */
export async function lockConnection(trx: Kysely<Database>, tenantId: string, connectionId: string): Promise<boolean> {
  const result = await trx
    .updateTable('connections')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', connectionId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
