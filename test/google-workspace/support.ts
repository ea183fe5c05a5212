/** Google Workspace tests: an app pointed at the local Google stand-in, and what they read back. */
import { afterAll, beforeAll, expect } from 'vitest';
import type { DialectName } from '../../src/db/open.js';
import type { EventsTable } from '../../src/db/tables.js';
import { SnapshotWriter } from '../../src/google-workspace/apply-snapshot.js';
import { GoogleSyncRunner, type SyncOutcome } from '../../src/google-workspace/sync-runner.js';
import { createTenant } from '../support/fixtures.js';
import { startGoogleStandIn, type GoogleStandIn } from '../support/google-workspace/stand-in.js';
import { PUBLIC_URL, useTestApp, type TestApp } from '../support/test-app.js';

export interface GoogleTest {
  t: TestApp;
  google: GoogleStandIn;
}

/** The stand-in, and an app whose Google endpoints and OAuth client are the stand-in's. */
export function useGoogleApp(dialect: DialectName, poolSize?: number, extraEnv: Record<string, string> = {}): GoogleTest {
  const env: Record<string, string> = { ...extraEnv };
  const ctx = {} as GoogleTest;
  // Registered before the app's hooks, so its URLs are in `env` when the app is built.
  beforeAll(async () => {
    ctx.google = await startGoogleStandIn();
    Object.assign(env, {
      GOOGLE_API_URL: ctx.google.apiUrl,
      GOOGLE_TOKEN_URL: ctx.google.tokenUrl,
      GOOGLE_AUTH_URL: ctx.google.authUrl,
      GOOGLE_OAUTH_CLIENT_ID: ctx.google.oauthClient.clientId,
      GOOGLE_OAUTH_CLIENT_SECRET: ctx.google.oauthClient.clientSecret,
    });
  });
  ctx.t = useTestApp(dialect, env, poolSize);
  afterAll(async () => {
    await ctx.google?.close();
  });
  return ctx;
}

/** A runner over the test app's services with short waits after rate limits. */
export function fastRunner(t: TestApp, options: { leaseMs?: number } = {}): GoogleSyncRunner {
  const config = t.config.googleWorkspace;
  return new GoogleSyncRunner(
    t.db.kysely,
    { ...config, redirectUri: `${PUBLIC_URL}/api/v1/google-workspace/oauth/callback` },
    t.config.encryption,
    new SnapshotWriter(t.app.services.users, t.app.services.groups),
    (id) => t.app.services.connections.provisioningUrl(id),
    { backoff: { attempts: 6, baseMs: 5, maxMs: 40 }, ...options },
  );
}

/** Creates a tenant and a Google Workspace connection of it. */
export async function createGoogleConnection(t: TestApp, tenantId: string, syncToUserManagement = true): Promise<{ id: string; tenantId: string }> {
  await createTenant(t, tenantId);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/tenants/${tenantId}/connections`,
    headers: { authorization: t.auth },
    payload: { type: 'google-workspace', connectionName: `${tenantId} Google`, syncToUserManagement },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, tenantId };
}

/**
 * Authorizes the connection with a fresh service account of the stand-in, acting as its admin, and
 * waits for the sync the authorization starts in the app's process.
 */
export async function authorizeServiceAccount(g: GoogleTest, connectionId: string, adminEmail = `admin@${g.google.directory.domain}`) {
  const res = await g.t.app.inject({
    method: 'PUT',
    url: `/api/v1/connections/${connectionId}/google-workspace/service-account`,
    headers: { authorization: g.t.auth },
    payload: { key: g.google.serviceAccountKey(), adminEmail },
  });
  expect(res.statusCode, res.body).toBe(200);
  await g.t.app.services.googleSync.settled();
  return res.json();
}

/** Runs one sync of the connection now (whatever its schedule says); fails the test unless it ran. */
export async function syncNow(runner: GoogleSyncRunner, connection: { id: string; tenantId: string }): Promise<SyncOutcome> {
  const outcome = await runner.sync({ tenantId: connection.tenantId, connectionId: connection.id });
  expect(outcome, 'another process held the sync').toBeDefined();
  return outcome!;
}

export async function state(t: TestApp, connectionId: string) {
  const res = await t.app.inject({ url: `/api/v1/connections/${connectionId}/google-workspace`, headers: { authorization: t.auth } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The connection's events, oldest first, read from the outbox table (no feed lag to wait for). */
export async function eventsOf(t: TestApp, connectionId: string): Promise<Pick<EventsTable, 'type' | 'resource_id' | 'data'>[]> {
  return t.db.kysely.selectFrom('events').select(['type', 'resource_id', 'data']).where('connection_id', '=', connectionId).orderBy('tx_order').orderBy('seq').execute();
}

/** Every directory user of the connection (the app's view), through the API. */
export async function directoryUsers(t: TestApp, connectionId: string): Promise<Record<string, unknown>[]> {
  const users: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const res: { statusCode: number; body: string; json(): { items: Record<string, unknown>[]; nextCursor: string | null } } = await t.app.inject({
      url: `/api/v1/connections/${connectionId}/users?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      headers: { authorization: t.auth },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    users.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return users;
}
