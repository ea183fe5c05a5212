/**
 * A SCIM create is all or nothing: the user row, its email rows, its event, the kept count and
 * order block, and lastSync — on SQLite as one write of a group commit that may share a
 * transaction with other requests (src/db/sqlite/group-commit.ts), on PostgreSQL as one statement
 * (src/db/postgres/write-batch.ts). A create that fails leaves no trace, also among concurrent ones.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { countResources } from '../../src/scim/store/resource-counts.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { USER_URN, scimClient, type ScimClient } from '../support/scim-requests.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

const one = async (t: TestApp, query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(t.db.kysely)).rows[0].n);

describe.each(dialectsUnderTest())('SCIM create atomicity (%s)', (dialect) => {
  const t = useTestApp(dialect);
  const tenant = 'atomic';
  let conn: { id: string; token: string };
  let client: ScimClient;

  beforeAll(async () => {
    await createTenant(t, tenant);
    conn = await createConnection(t, tenant);
    client = scimClient(t, conn);
  });

  /** What the database holds for the connection, each piece counted on its own. */
  async function held() {
    return {
      users: await one(t, sql`select count(*) as n from scim_users where connection_id = ${conn.id}`),
      emails: await one(t, sql`select count(*) as n from scim_user_emails where connection_id = ${conn.id}`),
      events: await one(t, sql`select count(*) as n from events where connection_id = ${conn.id} and type = 'user.created'`),
      kept: await countResources(t.db.kysely, { tenantId: tenant, connectionId: conn.id }, 'User'),
      blocks: await one(t, sql`select coalesce(sum(n), 0) as n from scim_order_blocks where connection_id = ${conn.id} and resource_type = 'User'`),
    };
  }

  const user = (userName: string, email: string) => ({ schemas: [USER_URN], userName, emails: [{ value: email, type: 'work', primary: true }] });

  it('writes the user, its emails, its event, its count and its order block together', async () => {
    const created = await client.createUser(user('first@atomic.test', 'first@atomic.test'));
    expect(created.emails).toEqual([{ value: 'first@atomic.test', type: 'work', primary: true }]);
    expect(await held()).toEqual({ users: 1, emails: 1, events: 1, kept: 1, blocks: 1 });
    const [event] = (await sql<{ data: string }>`select data from events where resource_id = ${created.id as string}`.execute(t.db.kysely)).rows;
    expect(JSON.parse(event.data)).toMatchObject({ id: created.id, userName: 'first@atomic.test' });
  });

  it('a create refused with 409 writes none of it', async () => {
    const before = await held();
    const response = await client.post('/Users', user('FIRST@atomic.test', 'other@atomic.test'));
    expect(response.statusCode).toBe(409);
    expect(await held()).toEqual(before);
    expect(await one(t, sql`select count(*) as n from scim_user_emails where value_norm = 'other@atomic.test'`)).toBe(0);
  });

  it('concurrent creates, half of them refused, leave exactly the accepted ones', async () => {
    const before = await held();
    // Pairs with the same userName, started together: one of each pair is created, the other refused.
    const responses = await Promise.all(Array.from({ length: 24 }, (_, i) => client.post('/Users', user(`pair${i % 12}@atomic.test`, `pair${i}@atomic.test`))));
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(12);
    expect(statuses.filter((s) => s === 409)).toHaveLength(12);
    expect(await held()).toEqual({ users: before.users + 12, emails: before.emails + 12, events: before.events + 12, kept: before.kept + 12, blocks: before.blocks + 12 });
    // Each created user's email row is its own.
    for (const response of responses.filter((r) => r.statusCode === 201)) {
      const body = response.json<{ id: string; emails: { value: string }[] }>();
      expect(await one(t, sql`select count(*) as n from scim_user_emails where user_id = ${body.id} and value_norm = ${body.emails[0].value}`)).toBe(1);
    }
  });
});
