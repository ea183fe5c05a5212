/**
 * A process killed (SIGKILL) in the middle of a Google Workspace sync loses nothing and half-applies
 * nothing: every user and group it wrote is whole, with its one event; its sync record is marked
 * interrupted once its claim expires; and the next sync, in another process, completes the rest.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/open.js';
import { createTestDatabase, dialectsUnderTest } from '../support/databases.js';
import { startServe } from '../support/process.js';
import { startGoogleStandIn } from '../support/google-workspace/stand-in.js';

const USERS = 3000;
const LEASE_SECONDS = 2;

describe.each(dialectsUnderTest())('a Google Workspace sync killed mid-way (%s)', (dialect) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('leaves whole resources, and the next sync in another process completes it', { timeout: 120_000 }, async () => {
    const google = await startGoogleStandIn();
    cleanup.push(() => google.close());
    google.directory.seed({ users: USERS, groups: 40, membersPerGroup: 60, seed: 77 });
    const database = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    const env = {
      DATABASE_URL: database.url,
      ROLLCALL_CLIENT_ID: 'crash-test',
      ROLLCALL_CLIENT_SECRET: 'crash-test-secret-0123456789abcdef',
      GOOGLE_API_URL: google.apiUrl,
      GOOGLE_TOKEN_URL: google.tokenUrl,
      GOOGLE_AUTH_URL: google.authUrl,
      GOOGLE_SYNC_LEASE_SECONDS: String(LEASE_SECONDS),
    };
    const serve = await startServe(env);
    // stop() waits for an exit that a killed process has already made.
    cleanup.push(async () => (serve.child.exitCode === null && serve.child.signalCode === null ? serve.stop() : undefined));
    const token = ((await (await fetch(`${serve.url}/auth/vendor`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: env.ROLLCALL_CLIENT_ID, secret: env.ROLLCALL_CLIENT_SECRET }) })).json()) as { token: string }).token;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${serve.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect((await api('POST', '/tenants/resources/tenants/v1', { tenantId: 'crash', name: 'Crash' })).status).toBe(201);
    const connection = await api('POST', '/api/v1/tenants/crash/connections', { type: 'google-workspace', connectionName: 'Crash Google' });
    const connectionId = connection.body.id as string;

    // The authorization starts the sync in that process; it is killed once part of the users are in.
    const db = openDatabase(database.url, { poolSize: 5 });
    cleanup.push(() => db.close());
    const authorized = await api('PUT', `/api/v1/connections/${connectionId}/google-workspace/service-account`, { key: google.serviceAccountKey(), adminEmail: `admin@${google.directory.domain}` });
    expect(authorized.status, JSON.stringify(authorized.body)).toBe(200);
    const usersIn = async () => Number((await db.kysely.selectFrom('scim_users').select((eb) => eb.fn.countAll<number>().as('n')).where('connection_id', '=', connectionId).executeTakeFirstOrThrow()).n);
    for (let n = await usersIn(); n < 500; n = await usersIn()) await new Promise((r) => setTimeout(r, 20));
    serve.child.kill('SIGKILL');
    await new Promise((resolve) => serve.child.once('exit', resolve));
    const left = await usersIn();
    expect(left).toBeGreaterThanOrEqual(500);
    expect(left).toBeLessThan(USERS);

    // Whatever it wrote is whole: each user with its one event.
    const eventsOf = (type: string) => db.kysely.selectFrom('events').select('resource_id').where('connection_id', '=', connectionId).where('type', '=', type).execute();
    expect((await eventsOf('user.created')).length).toBe(left);

    // Another process takes over once the claim expires, and completes the sync.
    const config = loadConfig({ ...env, LOG_LEVEL: 'silent', PUBLIC_URL: 'https://rollcall.test' });
    const app = await buildApp({ config, db });
    cleanup.push(() => app.close());
    await new Promise((r) => setTimeout(r, LEASE_SECONDS * 1000 + 200));
    const outcome = await app.services.googleSync.sync({ tenantId: 'crash', connectionId });
    expect(outcome).toMatchObject({ status: 'succeeded', error: null });
    expect(outcome!.counts.usersCreated).toBe(USERS - left);
    expect(await usersIn()).toBe(USERS);
    const created = await eventsOf('user.created');
    expect(created).toHaveLength(USERS);
    expect(new Set(created.map((e) => e.resource_id)).size).toBe(USERS);
    const syncs = await db.kysely
      .withTables<{ google_workspace_syncs: { connection_id: string; status: string; started_at: string } }>()
      .selectFrom('google_workspace_syncs')
      .select('status')
      .where('connection_id', '=', connectionId)
      .orderBy('started_at')
      .execute();
    expect(syncs.map((s) => s.status)).toEqual(['interrupted', 'succeeded']);
    // Memberships as Google has them, whether the killed process or the next one wrote the group.
    const domainUsers = new Set(google.directory.users().map((u) => u.id));
    for (const group of google.directory.groups().slice(0, 5)) {
      const want = new Set(google.directory.members(group.id).filter((m) => m.type === 'USER' && domainUsers.has(m.id)).map((m) => m.id));
      const rows = await db.kysely
        .selectFrom('scim_group_members')
        .innerJoin('scim_groups', 'scim_groups.id', 'scim_group_members.group_id')
        .innerJoin('scim_users', 'scim_users.id', 'scim_group_members.member_id')
        .select('scim_users.external_id')
        .where('scim_groups.external_id', '=', group.id)
        .where('scim_groups.connection_id', '=', connectionId)
        .execute();
      expect(new Set(rows.map((r) => r.external_id))).toEqual(want);
    }
  });
});
