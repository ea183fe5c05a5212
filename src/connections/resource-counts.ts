/** How many users and groups each connection provisioned, counted in the database. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { chunks } from '../scim/store/scope.js';

/** A connection's resource counts. */
export interface ResourceCount {
  users: number;
  groups: number;
}

/** Storage side of the connection overview's counts. */
export class ResourceCounts {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Users and groups of each of the tenant's connections. Tenant and connection lead several indexes
   * of both tables (scim_users_tenant_connection_page …), so each count is read from an index, never
   * the rows. No `detached = 0` term: rows become detached only when their connection is deleted,
   * so a live connection has none, and the term would force a read of every row.
   */
  async of(tenantId: string, connectionIds: readonly string[]): Promise<Map<string, ResourceCount>> {
    const out = new Map<string, ResourceCount>(connectionIds.map((id) => [id, { users: 0, groups: 0 }]));
    for (const part of chunks([...new Set(connectionIds)], 500)) {
      const [users, groups] = await Promise.all(
        (['scim_users', 'scim_groups'] as const).map((table) =>
          this.db
            .selectFrom(table as 'scim_users')
            .select(['connection_id', (eb) => eb.fn.countAll<number>().as('count')])
            .where('tenant_id', '=', tenantId)
            .where('connection_id', 'in', part)
            .groupBy('connection_id')
            .execute(),
        ),
      );
      for (const row of users!) out.get(row.connection_id)!.users = Number(row.count);
      for (const row of groups!) out.get(row.connection_id)!.groups = Number(row.count);
    }
    return out;
  }
}
