/**
 * Fuzz over the real HTTP server: a `rollcall serve` process takes thousands of random requests —
 * every route of the route table with random parameters, query strings, headers and bodies (valid
 * and broken JSON, deep nesting, odd Unicode, wrong media types), plus malformed HTTP on raw
 * sockets — for a bounded time. No answer is a 5xx (but /Me's documented 501), the process logs no
 * unhandled error, never crashes, and still serves afterwards.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../support/databases.js';
import type { ServeProcess } from '../support/process.js';
import { prng, type Prng } from '../support/scim-requests.js';
import { GROUP_URN, USER_URN, call, createConnection, envAuth, kill9, scim, serve, type Conn } from '../reliability/cluster.js';
import { routeTable, type Route } from './route-table.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 6);
const WORKERS = 6;
const SCIM_MESSAGES = 'urn:ietf:params:scim:api:messages:2.0';

/** The route table of the app, read from an app built in this process (it is the same code). */
async function routes(): Promise<Route[]> {
  const db = openDatabase('sqlite::memory:');
  await migrateToLatest(db);
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db });
  await app.ready();
  const table = routeTable(app).filter((r) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
  await app.close();
  await db.close();
  return table;
}

const WORDS = ['userName', 'displayName', 'emails', 'members', 'active', 'name.givenName', 'externalId', 'value', 'type', 'primary', 'title', 'groups', 'meta.lastModified', 'id', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value', 'x'];
const TOKENS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'and', 'or', 'not', '(', ')', '[', ']', '"a"', '"', 'true', 'null', '1', '-1.5e9', '"\\u0000"', '.', ' ', '"😀"', '"\'; drop table x; --"'];
const WEIRD = ['', ' ', 'x', '..', '%2e%2e', '%00', '%ZZ', '😀', 'a'.repeat(600), '\u202e', '0', '-1', 'null', '{}', '[]', '%25', 'nope', '00000000-0000-4000-8000-000000000000'];

function filter(r: Prng): string {
  const parts: string[] = [];
  for (let n = 1 + r.int(12); n > 0; n--) parts.push(r.chance(0.4) ? r.pick(WORDS) : r.pick(TOKENS));
  if (r.chance(0.03)) return '('.repeat(90 + r.int(30)) + 'id pr' + ')'.repeat(r.int(130));
  return parts.join(' ');
}

function value(r: Prng, depth = 0): unknown {
  switch (r.int(depth > 3 ? 7 : 10)) {
    case 0: return null;
    case 1: return r.chance(0.5);
    // eslint-disable-next-line no-loss-of-precision -- a number past 2^64 is one of the weird values sent
    case 2: return r.pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, 12345678901234567890]);
    case 3: return r.pick(WEIRD);
    case 4: return r.pick(WORDS);
    case 5: return filter(r);
    case 6: return r.pick(['http://127.0.0.1:9/hook', 'rc_scim_x', 'W/"1"', '2026-01-01T00:00:00Z', 'okta', 'azure-ad', '10.0.0.0/8', 'fe80::1%eth0']);
    case 7: return Array.from({ length: r.int(5) }, () => value(r, depth + 1));
    case 8: {
      // No prototype: a "__proto__" key is then an own key that JSON.stringify sends.
      const obj: Record<string, unknown> = Object.create(null);
      for (let n = r.int(6); n > 0; n--) obj[r.pick([...WORDS, 'op', 'path', 'Operations', 'schemas', 'url', 'events', 'tenantId', 'source', 'connectionName', 'ipAllowlist', 'expiresIn', 'permissions', '__proto__', 'constructor'])] = value(r, depth + 1);
      return obj;
    }
    default: return r.chance(0.5) ? { schemas: [USER_URN], userName: `fuzz${r.int(30)}` } : { schemas: [`${SCIM_MESSAGES}:PatchOp`], Operations: [{ op: r.pick(['add', 'replace', 'remove', 'x']), path: r.chance(0.5) ? `members[${filter(r)}]` : r.pick(WORDS), value: value(r, depth + 1) }] };
  }
}

function body(r: Prng): string | Buffer | undefined {
  switch (r.int(10)) {
    case 0: return undefined;
    case 1: return r.pick(['', '{', 'null', '[]', '"x"', '{"a":1}{"b":2}', 'NaN', '\u0000', '{"__proto__":{"polluted":1}}', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]']);
    case 2: return Buffer.from(Array.from({ length: r.int(200) }, () => r.int(256)));
    case 3: return JSON.stringify({ schemas: [`${SCIM_MESSAGES}:SearchRequest`], filter: filter(r), count: value(r), startIndex: value(r), attributes: value(r) });
    case 4: return JSON.stringify({ schemas: [`${SCIM_MESSAGES}:BulkRequest`], Operations: Array.from({ length: r.int(4) }, () => ({ method: r.pick(['POST', 'PATCH', 'DELETE', 'GET', 'x']), path: r.pick(['/Users', '/Groups', '/Users/x', 'bulkId:b1', '']), bulkId: r.pick(['b1', 'b2', undefined]), data: value(r, 1) })) });
    case 5: return JSON.stringify({ deep: JSON.parse('['.repeat(60) + ']'.repeat(60)) });
    default: return JSON.stringify(value(r));
  }
}

interface Ids {
  conn: Conn;
  envAuth: string;
  userId: string;
  groupId: string;
}

/** A random request for a route: parameters, query, headers and body. */
function request(r: Prng, route: Route, ids: Ids): { method: string; path: string; headers: Record<string, string>; body?: string | Buffer } {
  const isScim = route.url.startsWith('/directory/resources/scim/v2.0/');
  const method = r.chance(0.9) ? route.method : r.pick(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);
  const destructive = method === 'DELETE' || route.url.endsWith('/ip-allowlist');
  let path = route.url
    .replace(':connectionId', r.chance(0.95) ? ids.conn.id : encodeURIComponent(r.pick(WEIRD)))
    // The fuzz must not delete its own tenant or connection, or fence itself out with an allowlist.
    .replace(/:(id|groupId|tenantId|tokenId|deliveryId|key|urn|name)\b/g, (_, name: string) => {
      if (!destructive && r.chance(0.6)) {
        if (name === 'tenantId') return ids.conn.tenantId;
        if (name === 'urn') return USER_URN;
        if (name === 'name') return r.pick(['User', 'Group']);
        return r.pick([ids.userId, ids.groupId, ...(route.url.startsWith('/api/v1/connections') ? [] : [ids.conn.id])]);
      }
      return encodeURIComponent(r.pick(WEIRD));
    })
    .replace('/*', `/${encodeURIComponent(r.pick(WEIRD))}`);
  if (r.chance(0.05)) path = r.pick(['/', '/..', '/directory/resources/scim/v2.0', `/directory/resources/scim/v2.0/${ids.conn.id}/Users/x/y/z`, '/api', '/api/v1/nothing', `/%${'f'.repeat(5)}`]);
  const query: string[] = [];
  for (let n = r.chance(0.5) ? r.int(4) : 0; n > 0; n--) {
    const key = r.pick(['filter', 'count', 'startIndex', 'sortBy', 'sortOrder', 'attributes', 'excludedAttributes', 'limit', 'cursor', 'after', 'types', 'tenantId', 'status', 'connectionId', 'active', 'removeUsersAndGroups', 'from', 'sinceHours', 'x']);
    const v = key === 'filter' ? filter(r) : value(r);
    query.push(`${key}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`);
  }
  const headers: Record<string, string> = {};
  const auth = r.int(20);
  headers.authorization =
    auth === 0 ? 'Bearer rc_scim_forged'
    : auth === 1 ? 'Basic Zm9vOmJhcg=='
    : auth === 2 ? `Bearer ${'x'.repeat(r.int(4000))}`
    : isScim ? `Bearer ${ids.conn.token}` : ids.envAuth;
  if (r.chance(0.8)) headers['content-type'] = r.pick(['application/scim+json', 'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/scim+json; charset=utf-16', '*/*', 'x']);
  if (r.chance(0.15)) headers['if-match'] = r.pick(['W/"1"', '*', '"x"', 'W/"99999999999999999999"', ',,,']);
  if (r.chance(0.1)) headers['if-none-match'] = r.pick(['W/"1"', '*', 'x']);
  if (r.chance(0.1)) headers.prefer = r.pick(['return=minimal', 'return=representation', 'x']);
  if (r.chance(0.1)) headers.accept = r.pick(['application/xml', '*/*', 'text/html', 'application/scim+json;q=0']);
  if (r.chance(0.1)) headers['frontegg-tenant-id'] = r.pick([ids.conn.tenantId, ...WEIRD.filter((w) => /^[\x21-\x7e]*$/.test(w))]);
  if (r.chance(0.05)) headers['x-forwarded-for'] = r.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
  if (r.chance(0.05)) headers[`x-fuzz-${r.int(100)}`] = 'y'.repeat(r.int(6000));
  return { method, path: query.length > 0 ? `${path}?${query.join('&')}` : path, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body(r) };
}

/** Malformed HTTP that no HTTP client library would send. */
const RAW = [
  'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
  'POST /auth/vendor HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  'POST /auth/vendor HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":',
  'GET /healthz HTTP/9.9\r\n\r\n',
  'BREW /coffee HTCPCP/1.0\r\n\r\n',
  `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
  'GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n',
  '\x00\x01\x02\x03garbage\r\n\r\n',
  'GET /directory/resources/scim/v2.0/x/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \x7f\r\n\r\n',
];

function raw(port: number, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('data', (d: Buffer) => (reply += d.toString()));
    socket.on('error', () => resolve(reply));
    socket.on('close', () => resolve(reply));
    socket.write(payload, () => socket.end());
  });
}

for (const dialect of dialectsUnderTest()) {
  describe(`fuzz over HTTP [${dialect}]`, () => {
    let database: TestDatabase;
    let server: ServeProcess;
    let table: Route[];
    let ids: Ids;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      [server, table] = await Promise.all([serve(database.url, { SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0', AUTH_FAILURE_LIMIT: '0', LOG_LEVEL: 'error' }), routes()]);
      const auth = await envAuth(server.url);
      const conn = await createConnection(server.url, auth, 'fuzzed');
      const user = (await scim(server.url, conn, 'POST', '/Users', { schemas: [USER_URN], userName: 'fuzz.target' })).body;
      const group = (await scim(server.url, conn, 'POST', '/Groups', { schemas: [GROUP_URN], displayName: 'Fuzz group', members: [{ value: user.id }] })).body;
      ids = { conn, envAuth: auth, userId: user.id, groupId: group.id };
    });
    afterAll(async () => {
      if (server) await kill9(server);
      await database?.drop();
    });

    it(`answers ${SECONDS} s of random requests without a 5xx, an unhandled error or a crash`, async () => {
      const r = prng(Number(process.env.FUZZ_SEED ?? 8) + (dialect === 'postgres' ? 1 : 0));
      const pool = new Pool(server.url, { connections: WORKERS, headersTimeout: 15_000, bodyTimeout: 15_000 });
      const port = Number(new URL(server.url).port);
      const statuses = new Map<number, number>();
      const serverErrors: string[] = [];
      let requests = 0;
      let rawSent = 0;
      const deadline = Date.now() + SECONDS * 1000;
      const worker = async () => {
        while (Date.now() < deadline && serverErrors.length < 5) {
          if (r.chance(0.02)) {
            await raw(port, r.pick(RAW));
            rawSent++;
            continue;
          }
          const req = request(r, r.pick(table), ids);
          let status: number;
          let text = '';
          try {
            const res = await pool.request({ method: req.method, path: req.path, headers: req.headers, body: req.body });
            status = res.statusCode;
            text = await res.body.text();
          } catch (error) {
            // The client refused to send it (e.g. a header undici will not encode) or the server closed
            // the connection on a malformed request: not a server error, as long as the process lives.
            if (server.child.exitCode !== null) throw new Error(`the server died: ${server.output().slice(-2000)}`);
            status = -1;
            text = String(error);
          }
          requests++;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const documented = status === 501 && /\/Me(\/|\?|$)/.test(req.path);
          if (status >= 500 && !documented) serverErrors.push(`${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers).slice(0, 300)}\n${String(req.body ?? '').slice(0, 300)}\n→ ${status} ${text.slice(0, 300)}`);
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));
      await pool.close();
      expect(serverErrors).toEqual([]);
      expect(server.child.exitCode, 'the process is alive').toBeNull();
      expect(server.output(), 'no unhandled error was logged').not.toMatch(/unhandled error|uncaught|FATAL/i);
      expect(requests).toBeGreaterThan(1000);
      expect(rawSent).toBeGreaterThan(0);
      // The fuzz reached the logic, not only the error paths.
      expect([...statuses.keys()].filter((s) => s >= 200 && s < 300).length).toBeGreaterThan(0);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(50);
      // And it still serves.
      expect((await call(`${server.url}/healthz`)).status).toBe(200);
      expect((await scim(server.url, ids.conn, 'GET', '/ServiceProviderConfig')).status).toBe(200);
      expect((await scim(server.url, ids.conn, 'POST', '/Users', { schemas: [USER_URN], userName: 'after.fuzz' })).status).toBe(201);
    }, 60_000 + SECONDS * 1000);
  });
}
