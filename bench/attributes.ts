/**
 * `npx tsx bench/attributes.ts` — the directory API's user list at 100,000 users, plain and filtered
 * by a mapped attribute (`?attributes.<key>=`), and the background re-evaluation of every user after a
 * mapping change. In-process (inject) on a fresh database: SQLite by default, DB=postgres for
 * PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test, where it creates
 * and drops its own database). Prints p50/p99 per list in ms (docs/performance.md, "User attributes").
 *
 *   npx tsx bench/attributes.ts                 100k users on SQLite
 *   DB=postgres USERS=20000 npx tsx bench/attributes.ts
 */
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { freshDatabase } from './fresh-database.js';

const USERS = Number(process.env.USERS ?? 100_000);
const REQUESTS = Number(process.env.REQUESTS ?? 300);
const kind = process.env.DB ?? 'sqlite';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** 50 departments: each holds 2 % of the users. */
const DEPARTMENTS = 50;


const target = await freshDatabase(kind, 'attributes');
const db = openDatabase(target.url);
await migrateToLatest(db);
const app = await buildApp({
  config: loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: 'https://rollcall.test', DATABASE_URL: target.url, SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0' }),
  db,
});
await app.ready();
try {
  const credential = await app.services.auth.createCredential('bench');
  const auth = `Bearer ${(await app.services.auth.exchange(credential.clientId, credential.secret))!.token}`;
  const json = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = { authorization: auth }) => {
    const res = await app.inject({ method, url, headers, payload: payload as Record<string, unknown> });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.json<Record<string, any>>();
  };
  await json('POST', '/tenants/resources/tenants/v1', { tenantId: 'bench', name: 'Bench' });
  await json('PUT', '/api/v1/attributes', { predefined: ['department', 'employeeNumber', 'jobTitle'], custom: [] });
  const connection = await app.inject({
    method: 'POST',
    url: '/directory/resources/v1/configurations/scim2',
    headers: { authorization: auth, 'frontegg-tenant-id': 'bench' },
    payload: { source: 'okta', connectionName: 'bench', syncToUserManagement: true },
  });
  const { id, token } = connection.json<{ id: string; token: string }>();

  const loadStart = performance.now();
  for (let start = 0; start < USERS; start += 1000) {
    const operations = Array.from({ length: Math.min(1000, USERS - start) }, (_, k) => {
      const i = start + k;
      return {
        method: 'POST',
        path: '/Users',
        bulkId: `u${i}`,
        data: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
          userName: `user${i}@bench.test`,
          title: `Title ${i % 500}`,
          name: { givenName: `Given${i}`, familyName: `Family${i}` },
          emails: [{ value: `user${i}@bench.test`, type: 'work', primary: true }],
          [ENTERPRISE]: { department: `Department ${i % DEPARTMENTS}`, employeeNumber: `E${String(i).padStart(6, '0')}` },
        },
      };
    });
    const res = await app.inject({
      method: 'POST',
      url: `/directory/resources/scim/v2.0/${id}/Bulk`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      payload: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: operations }),
    });
    if (res.statusCode !== 200) throw new Error(`Bulk: ${res.statusCode} ${res.body.slice(0, 300)}`);
  }
  while (await app.services.attributeReevaluation.runBatch());
  console.log(`${kind}: ${USERS.toLocaleString('en')} users with 3 mapped attributes loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

  /** p50 and p99 of `REQUESTS` GETs of `url(i)`, after 30 unrecorded ones. */
  async function measure(label: string, url: (i: number) => string, expect: (items: number) => boolean) {
    for (let i = 0; i < 30; i++) await json('GET', url(i));
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const start = performance.now();
      const body = await json('GET', url(i));
      times.push(performance.now() - start);
      if (!expect(body.items.length)) throw new Error(`${label}: ${body.items.length} items`);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(2);
    console.log(`${label.padEnd(64)} p50 ${at(50).padStart(7)} ms   p99 ${at(99).padStart(7)} ms`);
  }

  const list = '/api/v1/tenants/bench/users?limit=100';
  const middle = (await json('GET', `/api/v1/tenants/bench/users?limit=500&attributes.department=department%207`)).nextCursor as string;
  await measure('page of 100, no filter (first page)', () => list, (n) => n === 100);
  await measure('page of 100, attributes.department (2 % of users)', (i) => `${list}&attributes.department=department%20${i % DEPARTMENTS}`, (n) => n === 100);
  await measure('page of 100 after 500, attributes.department', () => `${list}&attributes.department=department%207&cursor=${encodeURIComponent(middle)}`, (n) => n === 100);
  await measure('attributes.employeeNumber (one user)', (i) => `${list}&attributes.employeeNumber=E${String((i * 7919) % USERS).padStart(6, '0')}`, (n) => n === 1);
  await measure('attributes.department and attributes.jobTitle (0.2 %)', (i) => `${list}&attributes.department=department%20${i % DEPARTMENTS}&attributes.jobTitle=title%20${i % DEPARTMENTS}`, (n) => n > 0);
  await measure('attributes.department, no match', () => `${list}&attributes.department=nowhere`, (n) => n === 0);

  // A mapping change: every user re-evaluated, each value changed, one event per user.
  const reevaluationStart = performance.now();
  await json('PUT', `/api/v1/connections/${id}/attribute-mappings`, { mappings: { department: 'title' } });
  let batches = 0;
  while (await app.services.attributeReevaluation.runBatch()) batches++;
  const seconds = (performance.now() - reevaluationStart) / 1000;
  console.log(`re-evaluation of ${USERS.toLocaleString('en')} users after a mapping change (${batches} batches): ${seconds.toFixed(1)} s, ${Math.round(USERS / seconds).toLocaleString('en')} users/s`);
} finally {
  await app.close();
  await db.close();
  await target.drop();
}
