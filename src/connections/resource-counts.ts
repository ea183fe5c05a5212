/** How many users and groups each connection provisioned, counted in the database. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { chunks } from '../scim/store/scope.js';

/** A connection's resource counts. */
export interface ResourceCount {
  users: number;
  groups: number;
  /** Users with a mapped attribute value that did not convert. */
  attributeProblemUsers: number;
}

/** Storage side of the connection overview's counts. */
export class ResourceCounts {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Users and groups of each of the tenant's connections, from the counts the database keeps with
   * every insert and delete (migration 0008): a few rows per connection, whatever its size.
   */
  async of(tenantId: string, connectionIds: readonly string[]): Promise<Map<string, ResourceCount>> {
    const out = new Map<string, ResourceCount>(connectionIds.map((id) => [id, { users: 0, groups: 0, attributeProblemUsers: 0 }]));
    for (const part of chunks([...new Set(connectionIds)], 500)) {
      const rows = await this.db
        .selectFrom('scim_counts')
        .select(['connection_id', 'resource_type', sql<number | string>`sum(n)`.as('n')])
        .where('tenant_id', '=', tenantId)
        .where('connection_id', 'in', part)
        .groupBy(['connection_id', 'resource_type'])
        .execute();
      for (const row of rows) {
        const counts = out.get(row.connection_id)!;
        if (row.resource_type === 'User') counts.users = Number(row.n);
        else counts.groups = Number(row.n);
      }
      // Few users per connection, usually none: the partial index of migration 0018 holds just them.
      const problems = await this.db
        .selectFrom('scim_users')
        .select(['connection_id', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('tenant_id', '=', tenantId)
        .where('connection_id', 'in', part)
        .where('attribute_problems', 'is not', null)
        .groupBy('connection_id')
        .execute();
      for (const row of problems) out.get(row.connection_id)!.attributeProblemUsers = Number(row.n);
    }
    return out;
  }
}
