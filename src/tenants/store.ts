/** Storage of tenants (accounts). */
import { sql, type Kysely } from 'kysely';
import type { Database, TenantsTable } from '../db/tables.js';

export type TenantRow = TenantsTable;

/** Storage port of the tenants domain. */
export class TenantStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: TenantRow): Promise<void> {
    await this.db.insertInto('tenants').values(row).execute();
  }

  find(tenantId: string): Promise<TenantRow | undefined> {
    return this.db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
  }

  /** A page in creation order, with the total; `search` matches name or id, case-insensitively. */
  async list(page: { limit: number; offset: number; search?: string }): Promise<{ rows: TenantRow[]; total: number }> {
    let query = this.db.selectFrom('tenants');
    if (page.search) {
      const pattern = `%${page.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // SQLite has no default LIKE escape character: name it so `%` and `_` in the search stay literal.
      query = query.where(sql<boolean>`(lower(name) like ${pattern} escape '\\' or lower(id) like ${pattern} escape '\\')`);
    }
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  }

  /**
   * Deletes the tenant; its connections, tokens, users, groups and memberships go with it (foreign
   * key cascades; on PostgreSQL the memberships by migration 0011's trigger).
   */
  async delete(tenantId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.deleteFrom('tenants').where('id', '=', tenantId).executeTakeFirst();
      // The cascade has counted the tenant's users and groups down to zero (migrations 0008, 0009); the
      // count and block rows have no foreign key (a trigger writes them during that very cascade), so they go here.
      await trx.deleteFrom('scim_counts').where('tenant_id', '=', tenantId).execute();
      await trx.deleteFrom('scim_order_blocks').where('tenant_id', '=', tenantId).execute();
      return Number(result.numDeletedRows) > 0;
    });
  }
}
