/**
 * Re-evaluating a connection's users after its mappings or the catalogue changed: in the background,
 * 500 users per transaction in id order, from a cursor kept in `attribute_evaluations`. A batch
 * first moves the cursor row only if it is where the batch read it (compare-and-set), so two
 * processes never evaluate the same batch twice; a user written by SCIM since it was read keeps
 * what that write evaluated (its version moved). A user whose values changed gets `user.updated`
 * with `changedAttributes` (`attributes.<key>`), when the connection syncs to user management.
 */
import { sql, type Kysely } from 'kysely';
import type { Source } from '../connections/sources.js';
import type { Dialect } from '../db/dialect.js';
import type { Database } from '../db/tables.js';
import { managerValue, toDirectoryUser } from '../directory/shape.js';
import { changedMappedAttributes } from '../events/scim-events.js';
import { EventStore } from '../events/store.js';
import type { NewEvent } from '../events/types.js';
import { exclusive } from '../jobs/exclusive.js';
import type { Job } from '../jobs/scheduler.js';
import { insertRows } from '../db/prepared-insert.js';
import type { ScimUserAttributeValuesTable } from '../db/tables.js';
import { chunks } from '../scim/store/scope.js';
import { resolveManagers } from './manager-store.js';
import { ConnectionAttributes, attributeColumns, attributeValueRows, storedMappings } from './mappings.js';
import { AttributeStore } from './store.js';
import type { AttributeTables } from './tables.js';

/** Users evaluated per transaction. */
export const EVALUATION_BATCH = 500;

export class AttributeReevaluation {
  private readonly store: AttributeStore;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {
    this.store = new AttributeStore(db);
  }

  /**
   * The background job. It first reads whether a re-evaluation is pending, without writing: an idle
   * deployment's job then takes no transaction that would hold back PostgreSQL's event feed. Then one
   * process per interval claims the pass (src/jobs/exclusive.ts) and runs batches while work is left.
   */
  job(): Job {
    const job: Job = { name: 'attributes.reevaluate', intervalMs: 1000, run: () => this.runBatch() };
    const claimed = exclusive(this.db, job);
    return { ...claimed, run: async () => (await this.pending()) && claimed.run() };
  }

  /** Whether any connection's re-evaluation is unfinished. */
  private async pending(): Promise<boolean> {
    const row = await this.db.withTables<AttributeTables>().selectFrom('attribute_evaluations').select('connection_id').where('finished_at', 'is', null).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /** Evaluates the next batch of one pending re-evaluation; false when none is pending. */
  async runBatch(): Promise<boolean> {
    const pending = await this.db
      .withTables<AttributeTables>()
      .selectFrom('attribute_evaluations')
      .selectAll()
      .where('finished_at', 'is', null)
      .orderBy('updated_at')
      .limit(1)
      .executeTakeFirst();
    if (!pending) return false;
    const owner = await this.store.owner(pending.connection_id, pending.tenant_id);
    if (!owner) return true; // deleted since: its row went with it
    const attributes = ConnectionAttributes.compile(await this.store.catalogue(), owner.source as Source, storedMappings(owner.mappings));
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const cursor = await trx
        .withTables<AttributeTables>()
        .updateTable('attribute_evaluations')
        .set({ updated_at: now })
        .where('connection_id', '=', pending.connection_id)
        .where('generation', '=', pending.generation)
        .where('after_id', '=', pending.after_id)
        .where('finished_at', 'is', null)
        .executeTakeFirst();
      if (Number(cursor.numUpdatedRows) === 0) return; // another process took this batch, or a change restarted the pass
      const users = await trx
        .selectFrom('scim_users')
        .selectAll()
        .where('tenant_id', '=', pending.tenant_id)
        .where('connection_id', '=', pending.connection_id)
        .where('id', '>', pending.after_id)
        .orderBy('id')
        .limit(EVALUATION_BATCH)
        .execute();
      const events: NewEvent[] = [];
      const updates: { before: (typeof users)[number]; after: (typeof users)[number] }[] = [];
      const valueRows: ScimUserAttributeValuesTable[] = [];
      for (const user of users) {
        const { values, ...columns } = attributeColumns(attributes, JSON.parse(user.resource) as Record<string, unknown>);
        if (columns.attributes === user.attributes && columns.attribute_problems === user.attribute_problems) continue;
        const result = await trx
          .updateTable('scim_users')
          .set({ ...columns, updated_at: now })
          .where('id', '=', user.id)
          .where('tenant_id', '=', pending.tenant_id)
          .where('version', '=', user.version)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) continue;
        valueRows.push(...attributeValueRows(attributes, { id: user.id, tenantId: user.tenant_id, connectionId: user.connection_id, createdAt: user.created_at }, values));
        updates.push({ before: user, after: { ...user, ...columns, updated_at: now } });
      }
      // The index rows of every user that changed, replaced in a few statements rather than two per user.
      for (const ids of chunks(updates.map(({ after }) => after.id), 500)) await trx.deleteFrom('scim_user_attribute_values').where('user_id', 'in', ids).execute();
      for (const rows of chunks(valueRows, 1000)) await insertRows(trx, this.dialect, 'scim_user_attribute_values', rows);
      if (owner.syncToUserManagement && updates.length > 0) {
        const managers = await resolveManagers(trx, pending.tenant_id, pending.connection_id, updates.map(({ after }) => managerValue(after)).filter((v) => v !== undefined));
        for (const { before, after } of updates) {
          const changedAttributes = changedMappedAttributes(before.attributes, after.attributes);
          if (changedAttributes.length > 0) events.push({ type: 'user.updated', resourceId: after.id, data: { ...toDirectoryUser(after, undefined, managers), changedAttributes } });
        }
      }
      if (events.length > 0) await new EventStore(trx, this.dialect).append({ tenantId: pending.tenant_id, connectionId: pending.connection_id }, events, now);
      const last = users.at(-1);
      await trx
        .withTables<AttributeTables>()
        .updateTable('attribute_evaluations')
        .set({
          after_id: last?.id ?? pending.after_id,
          processed: sql`processed + ${users.length}`,
          changed: sql`changed + ${updates.length}`,
          finished_at: users.length < EVALUATION_BATCH ? now : null,
          updated_at: now,
        })
        .where('connection_id', '=', pending.connection_id)
        .execute();
    });
    return true;
  }
}
