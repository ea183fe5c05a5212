/**
 * `npx tsx bench/google-workspace.ts` — the first sync of a Google Workspace directory of 10,000 users
 * and 1,000 groups (25 members each), read from the local Google stand-in that the tests use
 * (test/support/google-workspace/) through Google's own client, and a second sync with nothing
 * changed. In-process on a fresh database: SQLite by default, DB=postgres for PostgreSQL
 * (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, where it creates and drops its
 * own database). Prints seconds per sync (docs/performance.md, "Google Workspace").
 *
 *   npx tsx bench/google-workspace.ts
 *   DB=postgres USERS=50000 GROUP_COUNT=5000 npx tsx bench/google-workspace.ts
 */
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { freshDatabase } from './fresh-database.js';
import { startGoogleStandIn } from '../test/support/google-workspace/stand-in.js';

const USERS = Number(process.env.USERS ?? 10_000);
const GROUPS = Number(process.env.GROUP_COUNT ?? 1_000);
const kind = process.env.DB ?? 'sqlite';


const google = await startGoogleStandIn();
google.directory.seed({ users: USERS, groups: GROUPS, membersPerGroup: 25, seed: 42 });
const { url, drop } = await freshDatabase(kind, 'google');
const db = openDatabase(url, { poolSize: 10 });
await migrateToLatest(db);
const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: url, GOOGLE_API_URL: google.apiUrl, GOOGLE_TOKEN_URL: google.tokenUrl, GOOGLE_AUTH_URL: google.authUrl });
const app = await buildApp({ config, db });
await app.ready();
try {
  const credential = await app.services.auth.createCredential('bench');
  const auth = `Bearer ${(await app.services.auth.exchange(credential.clientId, credential.secret))!.token}`;
  const call = async (method: 'POST' | 'PUT', path: string, payload: Record<string, unknown>) => {
    const res = await app.inject({ method, url: path, headers: { authorization: auth }, payload });
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  await call('POST', '/tenants/resources/tenants/v1', { tenantId: 'bench', name: 'Bench' });
  const { id } = await call('POST', '/api/v1/tenants/bench/connections', { type: 'google-workspace', connectionName: 'Bench Google' });
  // Authorising starts the first sync in this process; it is timed until it finished.
  let started = performance.now();
  await call('PUT', `/api/v1/connections/${id}/google-workspace/service-account`, { key: google.serviceAccountKey(), adminEmail: `admin@${google.directory.domain}` });
  await app.services.googleSync.settled();
  const first = (performance.now() - started) / 1000;
  started = performance.now();
  const again = await app.services.googleSync.sync({ tenantId: 'bench', connectionId: id });
  const second = (performance.now() - started) / 1000;
  const state = (await app.inject({ url: `/api/v1/connections/${id}/google-workspace/syncs`, headers: { authorization: auth } })).json().items;
  console.log(`${kind}: ${USERS} users, ${GROUPS} groups`);
  console.log(`  first sync   ${first.toFixed(1)} s  ${JSON.stringify(state[1].counts)}`);
  console.log(`  nothing new  ${second.toFixed(1)} s  ${JSON.stringify(again?.counts)}`);
} finally {
  await app.close();
  await db.close();
  await drop();
  await google.close();
}
