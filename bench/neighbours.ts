/**
 * `npm run bench:neighbours` — what one connection's expensive requests cost the others. A "noisy"
 * tenant holds 100,000 users and a 100,000-member group; a "quiet" tenant holds 100 users. The quiet
 * tenant's `GET /Users?count=1` and `/healthz` are timed at concurrency 1, first alone, then while the
 * noisy connection sends substring filters at 50 requests a second, then while 8 loops read its
 * large group; last, one substring filter the trigram index narrows. Each database is loaded and
 * measured on a server without the SCIM limits, then measured again on one with them (the defaults,
 * or SCIM_COST_LIMIT and SCIM_CONCURRENCY_LIMIT from the environment) and 50 requests a second. Runs
 * on SQLite, and on PostgreSQL too when BENCH_DATABASE_URL is set.
 *
 *   npm run bench:neighbours
 *   npm run bench:neighbours -- --users 20000 --seconds 5
 *   SCIM_COST_LIMIT=500 npm run bench:neighbours   (the limits to measure with; their defaults otherwise)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { loadConfig } from '../src/config.js';
import { call, type LoadResult } from './load.js';
import { startRollcall, withPostgresDatabase } from './processes.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const USERS = Number(option('users') ?? 100_000);
const SECONDS = Number(option('seconds') ?? 10);
const CLIENT = { clientId: 'bench', secret: 'bench-secret-0123456789-abcdefgh' };
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface Connection {
  origin: string;
  base: string;
  headers: Record<string, string>;
}

async function connection(origin: string, tenantId: string): Promise<Connection> {
  const json = { 'content-type': 'application/json' };
  const { token } = (await call(origin, json, { method: 'POST', path: '/auth/vendor', body: JSON.stringify(CLIENT) })) as { token: string };
  const auth = { ...json, authorization: `Bearer ${token}` };
  await call(origin, auth, { method: 'POST', path: '/tenants/resources/tenants/v1', body: JSON.stringify({ tenantId, name: tenantId }) });
  const created = (await call(origin, { ...auth, 'frontegg-tenant-id': tenantId }, {
    method: 'POST',
    path: '/directory/resources/v1/configurations/scim2',
    body: JSON.stringify({ source: 'okta', connectionName: tenantId, syncToUserManagement: true }),
  })) as { id: string; token: string };
  return { origin, base: `/directory/resources/scim/v2.0/${created.id}`, headers: { 'content-type': 'application/scim+json', authorization: `Bearer ${created.token}` } };
}

const user = (tenant: string, i: number) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: `${tenant}${i}@example.com`,
  displayName: `${tenant} person ${i}`,
  name: { givenName: `Given${i}`, familyName: `Family${i}` },
  emails: [{ value: `${tenant}${i}@example.com`, type: 'work', primary: true }],
  active: true,
});

/** Creates users [0, count) through Bulk and returns their ids. */
async function users(c: Connection, tenant: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const Operations = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) Operations.push({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: user(tenant, i) });
    const answer = (await call(c.origin, c.headers, { method: 'POST', path: `${c.base}/Bulk`, body: JSON.stringify({ schemas: [BULK], Operations }) })) as {
      Operations: { location: string }[];
    };
    for (const op of answer.Operations) ids.push(op.location.slice(op.location.lastIndexOf('/') + 1));
  }
  return ids;
}

async function group(c: Connection, ids: string[]): Promise<string> {
  const created = (await call(c.origin, c.headers, { method: 'POST', path: `${c.base}/Groups`, body: JSON.stringify({ displayName: 'everyone' }) })) as { id: string };
  for (let i = 0; i < ids.length; i += 1000) {
    const members = ids.slice(i, i + 1000).map((value) => ({ value }));
    await call(c.origin, c.headers, { method: 'PATCH', path: `${c.base}/Groups/${created.id}`, body: JSON.stringify({ schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: members }] }) });
  }
  return created.id;
}

/** What the noisy connection got back while it ran. */
interface Noise {
  statuses: Record<string, number>;
  stop(): Promise<void>;
}

/** Sends `path` at `perSecond` (open loop: a slow answer does not slow the sender), up to 64 in flight. */
function openLoop(c: Connection, path: string, perSecond: number): Noise {
  const pool = new Pool(c.origin, { connections: 64 });
  const statuses: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    if (inFlight.size >= 64) return;
    const p = pool
      .request({ method: 'GET', path, headers: c.headers })
      .then(async (res) => {
        await res.body.dump();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      })
      .catch(() => {
        statuses.error = (statuses.error ?? 0) + 1;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, 1000 / perSecond);
  return {
    statuses,
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      await pool.close();
    },
  };
}

/** `loops` closed loops sending `path` as fast as their answers come. */
function closedLoops(c: Connection, path: string, loops: number): Noise {
  const pool = new Pool(c.origin, { connections: loops });
  const statuses: Record<string, number> = {};
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        const res = await pool.request({ method: 'GET', path, headers: c.headers });
        await res.body.dump();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode === 429) await new Promise((r) => setTimeout(r, 1000 * Number(res.headers['retry-after'] ?? 1)));
      } catch {
        statuses.error = (statuses.error ?? 0) + 1;
      }
    }
  };
  const all = Array.from({ length: loops }, loop);
  return {
    statuses,
    async stop() {
      running = false;
      await Promise.all(all);
      await pool.close();
    },
  };
}

/** Latencies of `path` sent every 50 ms (20 a second, well inside the quiet connection's limit) for SECONDS seconds. */
async function paced(origin: string, path: string, headers: Record<string, string>): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: 1 });
  const latencies: number[] = [];
  const unexpected: Record<string, number> = {};
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  // A slot missed while an answer was late is skipped, not made up for: the rate stays at most 20/s.
  for (let next = Date.now(); next < end; next = Math.max(next + 50, Date.now())) {
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    const t0 = performance.now();
    try {
      const res = await pool.request({ method: 'GET', path, headers });
      await res.body.dump();
      if (res.statusCode !== 200) unexpected[res.statusCode] = (unexpected[res.statusCode] ?? 0) + 1;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - t0);
  }
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { requests: sorted.length, seconds: SECONDS, rps: sorted.length / SECONDS, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0, errors, unexpected };
}

/** The quiet connection's `GET /Users?count=1` and `/healthz`, side by side. */
async function probes(quiet: Connection): Promise<{ list: LoadResult; health: LoadResult }> {
  const [list, health] = await Promise.all([paced(quiet.origin, `${quiet.base}/Users?count=1`, quiet.headers), paced(quiet.origin, '/healthz', {})]);
  return { list, health };
}

const counts = (s: Record<string, number>) => Object.entries(s).map(([k, v]) => `${k}×${v}`).join(' ');
const ms = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(1));
const line = (label: string, r: LoadResult) =>
  `  ${label.padEnd(30)} p50 ${ms(r.p50).padStart(7)} ms   p99 ${ms(r.p99).padStart(7)} ms   max ${ms(r.max).padStart(7)} ms${r.errors ? `   ${r.errors} errors` : ''}${Object.keys(r.unexpected).length ? `   ${counts(r.unexpected)}` : ''}`;

/** The noisy tenant's data, loaded once. */
interface Setup {
  noisy: Connection;
  quiet: Connection;
  groupId: string;
}

async function setUp(label: string, origin: string): Promise<Setup> {
  const noisy = await connection(origin, 'noisy');
  const quiet = await connection(origin, 'quiet');
  process.stdout.write(`\n${label}: loading ${USERS.toLocaleString('en')} users and a ${USERS.toLocaleString('en')}-member group…\n`);
  const ids = await users(noisy, 'noisy', USERS);
  const groupId = await group(noisy, ids);
  await users(quiet, 'quiet', 100);
  return { noisy, quiet, groupId };
}

/** The three measurements against one server (its origin may differ from the one the data was loaded through). */
async function measure(label: string, origin: string, setup: Setup): Promise<void> {
  const noisy = { ...setup.noisy, origin };
  const quiet = { ...setup.quiet, origin };
  const alone = await probes(quiet);
  process.stdout.write(`${label}: the quiet tenant alone\n${line('GET /Users?count=1', alone.list)}\n${line('GET /healthz', alone.health)}\n`);

  const filter = encodeURIComponent('displayName co "NN"');
  const substring = openLoop(noisy, `${noisy.base}/Users?filter=${filter}`, 50);
  const underFilters = await probes(quiet);
  await substring.stop();
  process.stdout.write(
    `${label}: noisy sends displayName co "NN" at 50/s (answers: ${counts(substring.statuses)})\n${line('GET /Users?count=1', underFilters.list)}\n${line('GET /healthz', underFilters.health)}\n`,
  );

  const reads = closedLoops(noisy, `${noisy.base}/Groups/${setup.groupId}`, 8);
  const underGroups = await probes(quiet);
  await reads.stop();
  process.stdout.write(
    `${label}: noisy reads its ${USERS.toLocaleString('en')}-member group in 8 loops (answers: ${counts(reads.statuses)})\n${line('GET /Users?count=1', underGroups.list)}\n${line('GET /healthz', underGroups.health)}\n`,
  );

  // Past the loops' debt, so that the figure is the filter's own time.
  await new Promise((r) => setTimeout(r, 10_000));
  const co = encodeURIComponent('displayName co "son 4242"');
  const lookups = await paced(noisy.origin, `${noisy.base}/Users?filter=${co}`, noisy.headers);
  process.stdout.write(`${label}: a substring filter at ${USERS.toLocaleString('en')} users, alone\n${line('displayName co "son 4242"', lookups)}\n`);
}

/** Loads the data on a server without limits, measures there, then again on a server with `limits()`. */
async function run(label: string, port: number, databaseUrl: string): Promise<void> {
  const open = await startRollcall(port, databaseUrl, CLIENT.clientId, CLIENT.secret);
  let setup: Setup;
  try {
    setup = await setUp(label, open.origin);
    await measure(`${label}, no limits`, open.origin, setup);
  } finally {
    await open.stop();
  }
  const limited = await startRollcall(port, databaseUrl, CLIENT.clientId, CLIENT.secret, [], limits());
  try {
    await measure(`${label}, ${Object.entries(limits()).map(([k, v]) => `${k}=${v}`).join(' ')}`, limited.origin, setup);
  } finally {
    await limited.stop();
  }
}

/** The server's own limits (SCIM_COST_LIMIT and SCIM_CONCURRENCY_LIMIT from this environment, else their defaults), and 50 requests a second. */
function limits(): NodeJS.ProcessEnv {
  const defaults = loadConfig({}).protection;
  return {
    SCIM_RATE_LIMIT: '50',
    SCIM_COST_LIMIT: process.env.SCIM_COST_LIMIT ?? String(defaults.scimCostLimit),
    SCIM_CONCURRENCY_LIMIT: process.env.SCIM_CONCURRENCY_LIMIT ?? String(defaults.scimConcurrencyLimit),
  };
}

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  process.stdout.write(`${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores\n`);
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-neighbours-'));
  try {
    await run('SQLite', 3201, `sqlite:${join(dir, 'bench.db')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pgUrl = process.env.BENCH_DATABASE_URL;
  if (pgUrl) await withPostgresDatabase(pgUrl, (url) => run('PostgreSQL', 3202, url));
}

await main();
