/** Helpers of the directory API tests: provisioning through the real SCIM routes, and reading lists. */
import { expect } from 'vitest';
import { createConnection } from '../support/fixtures.js';
import { scimClient, type ScimClient } from '../support/scim-requests.js';
import type { TestApp } from '../support/test-app.js';

/** A connection created through the management API, with a SCIM client for it. */
export interface Provisioner extends ScimClient {
  id: string;
  user(userName: string, extra?: Record<string, unknown>): Promise<Record<string, any>>;
  group(displayName: string, memberIds?: string[]): Promise<Record<string, any>>;
}

export async function provisioner(t: TestApp, tenantId: string, syncToUserManagement = true): Promise<Provisioner> {
  const connection = await createConnection(t, tenantId, 'okta', syncToUserManagement);
  const client = scimClient(t, connection);
  return {
    ...client,
    id: connection.id,
    user: (userName, extra = {}) => client.createUser({ userName, emails: [{ value: userName, primary: true }], ...extra }),
    group: (displayName, memberIds = []) => client.createGroup({ displayName, members: memberIds.map((value) => ({ value })) }),
  };
}

/** GET with the environment token; asserts the status and returns the JSON body. */
export async function getJson(t: TestApp, url: string, status = 200): Promise<any> {
  const res = await t.app.inject({ url, headers: { authorization: t.auth } });
  expect(res.statusCode, `GET ${url}: ${res.body}`).toBe(status);
  return res.json();
}

/** Every item of a cursor-paged list, following nextCursor; checks each page's size. */
export async function allPages(t: TestApp, url: string, limit: number, from: string | null = null): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let cursor: string | null = from;
  let pages = 0;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const page: { items: any[]; nextCursor: string | null } = await getJson(t, `${url}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    pages++;
    if (page.nextCursor !== null) expect(page.items).toHaveLength(limit);
    else expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    expect(pages).toBeLessThan(1000);
  } while (cursor !== null);
  return { items, pages };
}

/** Ids of a list page's items, sorted. */
export const sortedIds = (items: { id: string }[]) => items.map((i) => i.id).sort();

type FeedEvent = { type: string; connectionId: string | null; data: any };

/**
 * The tenant's events of these types, in feed order. On PostgreSQL the feed holds back events until
 * every older transaction has ended (a request-log flush may still be running), so this polls until
 * `ready` holds, for up to five seconds.
 */
export async function eventsOf(t: TestApp, tenantId: string, types: string[], ready: (events: FeedEvent[]) => boolean = () => true): Promise<FeedEvent[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const body = await getJson(t, `/api/v1/events?tenantId=${encodeURIComponent(tenantId)}&types=${types.join(',')}&limit=1000`);
    if (ready(body.items) || Date.now() > deadline) return body.items;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Asserts a management API error: status, code and (when given) the field it names. */
export function expectError(res: { statusCode: number; json(): any; body: string }, status: number, field?: string): any {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(body.statusCode).toBe(status);
  expect(typeof body.message).toBe('string');
  if (field !== undefined) expect(body.field).toBe(field);
  return body;
}
