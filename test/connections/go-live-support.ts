/** Helpers of the go-live tests: staging data written straight to the tables, and the event feed read in order. */
import { expect } from 'vitest';
import { feedCaughtUp } from '../webhooks/helpers.js';
import type { TestApp } from '../support/test-app.js';

export const CONFIGS = '/directory/resources/v1/configurations/scim2';
export const previewUrl = (connectionId: string) => `/api/v1/connections/${connectionId}/go-live-preview`;

/** PATCHes the connection's syncToUserManagement with the environment token; asserts 204. */
export async function switchSync(t: TestApp, connectionId: string, on: boolean): Promise<void> {
  const res = await t.app.inject({ method: 'PATCH', url: `${CONFIGS}/${connectionId}`, headers: { authorization: t.auth }, payload: { syncToUserManagement: on } });
  expect(res.statusCode, res.body).toBe(204);
}

/** A feed event as the API answers it. */
export type FeedEvent = { type: string; connectionId: string | null; data: any; cursor: string };

/** Every event of the tenant after `after` (the feed's start when absent), in feed order. */
export async function feedOf(t: TestApp, tenantId: string, after?: string): Promise<{ items: FeedEvent[]; cursor: string | undefined }> {
  await feedCaughtUp(t);
  const items: FeedEvent[] = [];
  let cursor = after;
  for (;;) {
    const res = await t.app.inject({ url: `/api/v1/events?tenantId=${encodeURIComponent(tenantId)}&limit=1000${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`, headers: { authorization: t.auth } });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<{ items: FeedEvent[]; nextCursor: string }>();
    items.push(...page.items);
    cursor = page.nextCursor;
    if (page.items.length < 1000) return { items, cursor };
  }
}

/** Base instant of inserted rows: row i is created i milliseconds later, so (created_at, id) order is i's. */
const BASE = Date.parse('2026-01-01T00:00:00.000Z');
const at = (i: number) => new Date(BASE + i).toISOString();

/**
 * Inserts `n` users of a connection as the SCIM store stores them (row i is `${prefix}-${i}`,
 * userName `${prefix}-${i}@example.test`), in one transaction: fast enough for thousands.
 */
export async function insertUsers(t: TestApp, tenantId: string, connectionId: string, prefix: string, n: number): Promise<string[]> {
  const rows = Array.from({ length: n }, (_, i) => {
    const id = `${prefix}-${String(i).padStart(6, '0')}`;
    const userName = `${id}@example.test`;
    const resource = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, active: i % 10 !== 9, emails: [{ value: userName, primary: true }] };
    return {
      id,
      tenant_id: tenantId,
      connection_id: connectionId,
      user_name: userName,
      user_name_norm: userName,
      external_id: null,
      display_name: null,
      display_name_norm: null,
      given_name: null,
      family_name: null,
      email_norm: userName,
      active: resource.active ? 1 : 0,
      resource: JSON.stringify(resource),
      version: 1,
      created_at: at(i),
      updated_at: at(i),
      attributes: null,
      attribute_problems: null,
    };
  });
  await t.db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 200) await trx.insertInto('scim_users').values(rows.slice(i, i + 200)).execute();
  });
  return rows.map((row) => row.id);
}

/** Inserts a group of a connection with these user members. */
export async function insertGroup(t: TestApp, tenantId: string, connectionId: string, id: string, memberIds: readonly string[], i = 0): Promise<void> {
  await t.db.kysely.transaction().execute(async (trx) => {
    const resource = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: id };
    await trx
      .insertInto('scim_groups')
      .values({ id, tenant_id: tenantId, connection_id: connectionId, display_name: id, display_name_norm: id.toLowerCase(), external_id: null, resource: JSON.stringify(resource), version: 1, created_at: at(i), updated_at: at(i) })
      .execute();
    const members = memberIds.map((member_id) => ({ group_id: id, member_id, member_type: 'User', tenant_id: tenantId, connection_id: connectionId, created_at: at(i) }));
    for (let j = 0; j < members.length; j += 500) await trx.insertInto('scim_group_members').values(members.slice(j, j + 500)).execute();
  });
}
