/**
 * Shared steps of the safe-deprovisioning reliability tests (deprovisioning-*.test.ts): a `rollcall
 * serve` without SCIM limits, users created and deactivated as an identity provider does, and readers
 * of the event feed, the held changes and the app's view of a connection's users, every page.
 */
import { expect } from 'vitest';
import type { Db } from '../../src/db/open.js';
import type { ServeProcess } from '../support/process.js';
import { feedCaughtUp } from '../webhooks/helpers.js';
import { BULK_REQUEST, USER_URN, call, patchOp, scim, serve, type Conn, type Res } from './cluster.js';

/** The tests send bursts on purpose: no SCIM rate, cost or concurrency limit. */
const UNLIMITED = { SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0' };

/** Starts `rollcall serve` on `databaseUrl` without SCIM limits. */
export const serveUnlimited = (databaseUrl: string): Promise<ServeProcess> => serve(databaseUrl, UNLIMITED);

/** A management API request with one credential; JSON in and out. */
export type Api = (method: string, path: string, body?: unknown) => Promise<Res>;

/** Requests to `baseUrl` with `auth` (an environment token). */
export const managementApi =
  (baseUrl: string, auth: string): Api =>
  (method, path, body) =>
    call(`${baseUrl}${path}`, { method, body, headers: { authorization: auth } });

/** Creates `count` users (leaver<i>@<domain>) in one SCIM Bulk request; their IDs in order. */
export async function createUsers(baseUrl: string, conn: Conn, count: number, domain: string): Promise<string[]> {
  const created = await scim(baseUrl, conn, 'POST', '/Bulk', {
    schemas: [BULK_REQUEST],
    Operations: Array.from({ length: count }, (_, i) => ({ method: 'POST', bulkId: `u${i}`, path: '/Users', data: { schemas: [USER_URN], userName: `leaver${i}@${domain}` } })),
  });
  expect(created.status, created.text.slice(0, 300)).toBe(200);
  return (created.body.Operations as { status: string; location: string }[]).map((o) => {
    expect(o.status).toBe('201');
    return o.location.split('/').at(-1)!;
  });
}

/** The identity provider deactivates a user: SCIM PATCH active=false. */
export const deactivate = (baseUrl: string, conn: Conn, userId: string): Promise<Res> =>
  scim(baseUrl, conn, 'PATCH', `/Users/${userId}`, patchOp({ op: 'replace', path: 'active', value: false }));

/** An event of the feed, as these tests read it. */
export interface FeedEvent {
  type: string;
  data: { id?: string; reason?: string; deprovisioned?: number; activeUsers?: number };
}

/** Every event of `types` in feed order, once the feed has settled (PostgreSQL: no older transaction still open). */
export async function feed(api: Api, db: Db, types: string): Promise<FeedEvent[]> {
  await feedCaughtUp({ db });
  const out: FeedEvent[] = [];
  for (let after = ''; ; ) {
    const page = await api('GET', `/api/v1/events?types=${types}&limit=1000${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    expect(page.status, page.text).toBe(200);
    if (page.body.items.length === 0) return out;
    out.push(...page.body.items);
    after = page.body.nextCursor;
  }
}

/** A held (or discarded) change, as these tests read it. */
export interface HeldChange {
  id: string;
  userId: string;
  change: string;
  status: string;
}

/** The connection's held changes, oldest first, every page of `pageSize`. */
export async function heldChanges(api: Api, connectionId: string, pageSize: number): Promise<HeldChange[]> {
  const out: HeldChange[] = [];
  for (let cursor = ''; ; ) {
    const page = await api('GET', `/api/v1/connections/${connectionId}/held-changes?limit=${pageSize}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status, page.text).toBe(200);
    out.push(...page.body.items);
    if (page.body.nextCursor === null) return out;
    cursor = page.body.nextCursor;
  }
}

/** The connection's users as the app sees them (directory API), every page of `pageSize`; `filter`: more of the query, as `&active=true`. */
export async function appUsers(api: Api, connectionId: string, pageSize: number, filter = ''): Promise<{ id: string; active: boolean }[]> {
  const out: { id: string; active: boolean }[] = [];
  for (let cursor = ''; ; ) {
    const page = await api('GET', `/api/v1/connections/${connectionId}/users?limit=${pageSize}${filter}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status, page.text).toBe(200);
    out.push(...page.body.items);
    if (page.body.nextCursor === null) return out;
    cursor = page.body.nextCursor;
  }
}
