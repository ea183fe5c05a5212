/**
 * PostgreSQL connections lost under load — every backend of the database terminated, as a failover or
 * a restart does — and a database that does not answer at all. The process stays up; a request that
 * lost its connection answers 503 with Retry-After, never 500; nothing acknowledged is lost; requests
 * and background jobs recover by themselves, without a restart.
 */
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { isDatabaseUnavailable } from '../../src/db/errors.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { SCIM_ERROR_SCHEMA } from '../../src/scim/errors.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../support/databases.js';
import type { ServeProcess } from '../support/process.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { GROUP_URN, USER_URN, call, createConnection, envAuth, kill9, scim, serve, tally, type Conn, type Res } from './cluster.js';

const CLIENTS = 8;
/** Storms in a row, so that a connection lost at an unlucky moment (a client checked out between two queries) has its chances. */
const STORMS = 4;
/** Never sent to the server (trust authentication does not ask for it): it must not show in the log either. */
const PASSWORD = 'pg-faults-password-0123';

/** The abuse limits are off: the clients here send bursts on purpose. */
const UNLIMITED = { SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0', AUTH_FAILURE_LIMIT: '0' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What is wrong with a 503 answer, if anything: it must carry Retry-After and a SCIM error body. */
function badUnavailable(res: Res): string | undefined {
  const retryAfter = Number(res.headers.get('retry-after'));
  if (!(retryAfter > 0)) return `503 without Retry-After: ${res.headers.get('retry-after')}`;
  if (!res.headers.get('content-type')?.startsWith('application/scim+json')) return `503 as ${res.headers.get('content-type')}`;
  const body = res.body as { schemas?: unknown; status?: unknown; detail?: unknown } | undefined;
  if (JSON.stringify(body?.schemas) !== JSON.stringify([SCIM_ERROR_SCHEMA]) || body?.status !== '503' || typeof body.detail !== 'string') return `503 body ${res.text}`;
  return undefined;
}

describe('isDatabaseUnavailable', () => {
  const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

  it('recognises a lost, refused or not yet accepted connection', () => {
    const errors = [
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('timeout exceeded when trying to connect'),
      coded('57P01', 'terminating connection due to administrator command'),
      coded('57P03', 'the database system is starting up'),
      coded('08006'),
      coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'),
      coded('ECONNRESET', 'read ECONNRESET'),
      new AggregateError([coded('ECONNREFUSED')], ''),
      new Error('connection lost before COMMIT', { cause: coded('57P02') }),
      coded('SQLITE_CANTOPEN'),
      coded('SQLITE_IOERR_SHORT_READ'),
    ];
    for (const error of errors) expect(isDatabaseUnavailable(error), error.message).toBe(true);
  });

  it('leaves client mistakes, conflicts and bugs alone', () => {
    const errors = [new Error('boom'), new TypeError('x is undefined'), coded('23505'), coded('40001'), coded('57014', 'canceling statement due to statement timeout'), coded('SQLITE_BUSY'), undefined, null, 'Connection terminated'];
    for (const error of errors) expect(isDatabaseUnavailable(error), String(error)).toBe(false);
  });
});

describe.skipIf(!dialectsUnderTest().includes('postgres'))('PostgreSQL connections lost', () => {
  let database: TestDatabase;
  let server: ServeProcess;
  let receiver: Receiver;
  let admin: pg.Client;
  let auth: string;
  let conn: Conn;

  const alive = () => server.child.exitCode === null && server.child.signalCode === null;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const url = new URL(database.url);
    url.password = PASSWORD;
    receiver = await startReceiver();
    server = await serve(url.toString(), { LOG_LEVEL: 'warn', ...UNLIMITED });
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    auth = await envAuth(server.url);
    conn = await createConnection(server.url, auth, 'pg-faults');
    // Deliveries keep the webhook jobs busy throughout.
    const webhook = await call(`${server.url}/api/v1/webhooks`, { method: 'POST', headers: { authorization: auth }, body: { url: receiver.url } });
    expect(webhook.status, webhook.text).toBe(201);
  });

  afterAll(async () => {
    if (server) await kill9(server);
    await admin?.end();
    await receiver?.close();
    await database?.drop();
  });

  it('stays up while every backend is terminated under load, answers 503 at worst, loses nothing acknowledged and recovers', async () => {
    const name = new URL(database.url).pathname.slice(1);
    const created = new Map<string, string>();
    /** The members each group was created with, by displayName: a transaction of several statements. */
    const groups = new Map<string, string[]>();
    const createdGroups = new Set<string>();
    const statuses: number[] = [];
    const wrong: string[] = [];
    const record = (what: string, res: Res) => {
      statuses.push(res.status);
      if (res.status === 503) {
        const problem = badUnavailable(res);
        if (problem) wrong.push(`${what}: ${problem}`);
      } else if (!(res.status >= 200 && res.status < 300) && res.status !== 409) wrong.push(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
    };

    for (let storm = 0; storm < STORMS && alive(); storm++) {
      let stop = false;
      // IdP-like clients: each creates a user, then reads a page, and every fourth time creates a group
      // of its last users (a transaction of several statements), until told to stop.
      const clients = Array.from({ length: CLIENTS }, async (_, k) => {
        const mine: string[] = [];
        for (let n = 0; !stop; n++) {
          const userName = `storm${storm}-${k}-${n}`;
          const post = await scim(server.url, conn, 'POST', '/Users', { schemas: [USER_URN], userName });
          record(`POST ${userName}`, post);
          if (post.status === 201) {
            created.set(post.body.id, userName);
            mine.push(post.body.id);
          }
          record('GET /Users?count=5', await scim(server.url, conn, 'GET', '/Users?count=5'));
          if (n % 4 === 3) {
            const displayName = `group${storm}-${k}-${n}`;
            const members = mine.slice(-3);
            groups.set(displayName, members);
            const group = await scim(server.url, conn, 'POST', '/Groups', { schemas: [GROUP_URN], displayName, members: members.map((value) => ({ value })) });
            record(`POST /Groups ${displayName}`, group);
            if (group.status === 201) createdGroups.add(displayName);
          }
        }
      });
      await sleep(300);
      for (let i = 0; i < 5; i++) {
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
        await sleep(300);
      }
      stop = true;
      await Promise.all(clients);
    }

    expect(alive(), `the process exited:\n${server.output().slice(-3000)}`).toBe(true);
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(created.size).toBeGreaterThan(100);
    process.stdout.write(`[pg-faults] ${STORMS} storms: ${JSON.stringify(tally(statuses))}\n`);

    // Requests succeed again, on the same process.
    const after = await scim(server.url, conn, 'POST', '/Users', { schemas: [USER_URN], userName: 'after.the.storm' });
    expect(after.status, after.text).toBe(201);
    expect((await call(`${server.url}/tenants/resources/tenants/v1`, { headers: { authorization: auth } })).status).toBe(200);

    // Every acknowledged create is there, and the count kept with the rows agrees with the rows: no half-applied write.
    const listed = new Set<string>();
    let total = 0;
    for (let start = 1; ; start += 1000) {
      const page = await scim(server.url, conn, 'GET', `/Users?startIndex=${start}&count=1000`);
      expect(page.status, page.text).toBe(200);
      total = page.body.totalResults;
      for (const user of page.body.Resources as { id: string }[]) listed.add(user.id);
      if (page.body.Resources.length < 1000) break;
    }
    expect([...created.keys()].filter((id) => !listed.has(id))).toEqual([]);
    expect(listed.has(after.body.id)).toBe(true);
    expect(total).toBe(listed.size);
    // Every group is whole — its members all there — whether its create was acknowledged or cut off.
    const found = new Map<string, string[]>();
    for (let start = 1; ; start += 1000) {
      const page = await scim(server.url, conn, 'GET', `/Groups?startIndex=${start}&count=1000`);
      expect(page.status, page.text).toBe(200);
      for (const group of page.body.Resources as { displayName: string; members?: { value: string }[] }[]) found.set(group.displayName, (group.members ?? []).map((m) => m.value));
      if (page.body.Resources.length < 1000) break;
    }
    expect([...createdGroups].filter((name) => !found.has(name))).toEqual([]);
    for (const [name, members] of found) expect(new Set(members), name).toEqual(new Set(groups.get(name)));

    // The webhook jobs survived: the create made after the storm is delivered.
    const deadline = Date.now() + 20_000;
    while (!receiver.received.some((r) => r.body.includes(after.body.id)) && Date.now() < deadline) await sleep(100);
    expect(receiver.received.some((r) => r.body.includes(after.body.id)), 'delivered after the storm').toBe(true);

    // Each lost connection is a warning, and the log never shows the database password.
    const lines = server.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; msg: string });
    const lost = lines.filter((line) => line.msg === 'database connection lost');
    expect(lost.length).toBeGreaterThan(0);
    expect(new Set(lost.map((line) => line.level))).toEqual(new Set([40]));
    expect(server.output()).not.toContain(PASSWORD);
    expect(alive()).toBe(true);
  }, 60_000);

  describe('when the database does not answer', () => {
    let proxy: TcpProxy;
    let db: Db;
    let app: FastifyInstance;

    beforeAll(async () => {
      const target = new URL(database.url);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const through = new URL(database.url);
      through.hostname = '127.0.0.1';
      through.port = String(proxy.port);
      db = openDatabase(through.toString(), { poolSize: 4 });
      const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'https://rollcall.test', DATABASE_URL: through.toString(), ...UNLIMITED });
      app = await buildApp({ config, db });
      await app.ready();
    });

    afterAll(async () => {
      await proxy?.restore();
      await app?.close();
      await db?.close();
      await proxy?.close();
    });

    it('answers 503 with Retry-After on SCIM and management routes, then serves again once it is back', async () => {
      const users = `/directory/resources/scim/v2.0/${conn.id}/Users`;
      const scimHeaders = { authorization: `Bearer ${conn.token}`, 'content-type': 'application/scim+json' };
      expect((await app.inject({ url: users, headers: scimHeaders })).statusCode).toBe(200);
      await proxy.cut();

      for (const [method, payload] of [['GET', undefined], ['POST', { schemas: [USER_URN], userName: 'while.down' }]] as const) {
        const res = await app.inject({ method, url: users, headers: scimHeaders, payload });
        expect(res.statusCode, res.body).toBe(503);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
        expect(res.json()).toEqual({ schemas: [SCIM_ERROR_SCHEMA], status: '503', detail: expect.any(String) });
      }
      const tenants = await app.inject({ url: '/tenants/resources/tenants/v1', headers: { authorization: auth } });
      expect(tenants.statusCode, tenants.body).toBe(503);
      expect(Number(tenants.headers['retry-after'])).toBeGreaterThan(0);
      expect(tenants.headers['content-type']).toMatch(/^application\/json/);
      expect(tenants.json()).toMatchObject({ statusCode: 503, code: 'unavailable' });
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(503);
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(503);

      await proxy.restore();
      expect((await app.inject({ url: users, headers: scimHeaders })).statusCode).toBe(200);
      expect((await app.inject({ url: '/tenants/resources/tenants/v1', headers: { authorization: auth } })).statusCode).toBe(200);
    });
  });
});
