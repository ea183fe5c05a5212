/** The measured scenarios of issue 7, against one running Rollcall. */
import { call, load, type LoadResult } from './load.js';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** One row of the report. */
export interface Row {
  scenario: string;
  result: LoadResult;
  /** A target to compare with, e.g. `rps >= 3000` or `p99 < 5`. */
  target?: { metric: 'rps' | 'p99' | 'seconds'; op: '>=' | '<'; value: number };
  rssMb?: number;
}

/** A SCIM connection to drive. */
export interface Target {
  origin: string;
  base: string;
  headers: Record<string, string>;
  rssMb(): number;
}

/** A tenant, an Entra-style connection and its SCIM token on a freshly started server. */
export async function connect(server: { origin: string; rssMb(): number }, client: { clientId: string; secret: string }): Promise<Target> {
  const json = { 'content-type': 'application/json' };
  const { token } = (await call(server.origin, json, { method: 'POST', path: '/auth/vendor', body: JSON.stringify(client) })) as { token: string };
  const auth = { ...json, authorization: `Bearer ${token}` };
  await call(server.origin, auth, { method: 'POST', path: '/tenants/resources/tenants/v1', body: JSON.stringify({ tenantId: 'bench', name: 'Bench' }) });
  const connection = (await call(server.origin, { ...auth, 'frontegg-tenant-id': 'bench' }, {
    method: 'POST',
    path: '/directory/resources/v1/configurations/scim2',
    body: JSON.stringify({ source: 'azure-ad', connectionName: 'bench', syncToUserManagement: true }),
  })) as { id: string; token: string };
  return {
    origin: server.origin,
    base: `/directory/resources/scim/v2.0/${connection.id}`,
    headers: { 'content-type': 'application/scim+json', authorization: `Bearer ${connection.token}` },
    rssMb: () => server.rssMb(),
  };
}

export const userName = (i: number) => `user${i}@bench.example`;
const user = (i: number) =>
  JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: userName(i),
    externalId: `ext-${i}`,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    emails: [{ value: userName(i), type: 'work', primary: true }],
    active: true,
  });

/** POST /Users at concurrency 16; creates users [from, from + count). */
export async function createUsers(t: Target, from: number, count: number): Promise<Row> {
  const result = await load(t.origin, { concurrency: 16, count, headers: t.headers, expect: [201] }, (i) => ({ method: 'POST', path: `${t.base}/Users`, body: user(from + i) }));
  return { scenario: `POST /Users (c=16)`, result, target: { metric: 'rps', op: '>=', value: 3000 }, rssMb: t.rssMb() };
}

/** Loads users [from, to) through Bulk, 1,000 per request, 2 requests in flight; returns the time taken. */
export async function bulkLoad(t: Target, from: number, to: number): Promise<Row> {
  const batches = Math.ceil((to - from) / 1000);
  const result = await load(t.origin, { concurrency: 2, count: batches, headers: t.headers, expect: [200] }, (b) => {
    const start = from + b * 1000;
    const end = Math.min(to, start + 1000);
    const Operations = [];
    for (let i = start; i < end; i++) Operations.push({ method: 'POST', path: '/Users', bulkId: `u${i}`, data: JSON.parse(user(i)) });
    return { method: 'POST', path: `${t.base}/Bulk`, body: JSON.stringify({ schemas: [BULK], Operations }) };
  });
  return { scenario: `Bulk of 1,000 creates`, result, rssMb: t.rssMb() };
}

/** Filter lookups at concurrency 1 over `size` users. */
export async function lookups(t: Target, size: number, attribute: 'userName' | 'externalId'): Promise<Row> {
  const value = (i: number) => (attribute === 'userName' ? userName(i) : `ext-${i}`);
  const result = await load(t.origin, { concurrency: 1, count: 2000, warmup: LOOKUP_WARMUP, headers: t.headers, expect: [200] }, (i) => ({
    method: 'GET',
    path: `${t.base}/Users?filter=${encodeURIComponent(`${attribute} eq "${value((i * 7919) % size)}"`)}`,
  }));
  return { scenario: `${attribute} eq lookup @ ${size.toLocaleString('en')} users (c=1)`, result, target: { metric: 'p99', op: '<', value: 5 }, rssMb: t.rssMb() };
}

/** Pages of 100 at the start, middle and end of `size` users. */
export async function pages(t: Target, size: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [label, startIndex] of [['start', 1], ['middle', Math.floor(size / 2)], ['end', Math.max(1, size - 99)]] as const) {
    const result = await load(t.origin, { concurrency: 1, count: 200, warmup: 50, headers: t.headers, expect: [200] }, () => ({
      method: 'GET',
      path: `${t.base}/Users?startIndex=${startIndex}&count=100`,
    }));
    rows.push({ scenario: `page of 100 at ${label} @ ${size.toLocaleString('en')} users (c=1)`, result, target: { metric: 'p99', op: '<', value: 20 } });
  }
  // Anywhere: a different startIndex each time, so nothing a previous page remembered helps.
  const result = await load(t.origin, { concurrency: 1, count: 400, warmup: 50, headers: t.headers, expect: [200] }, (i) => ({
    method: 'GET',
    path: `${t.base}/Users?startIndex=${1 + ((i * 7_919_993) % Math.max(1, size - 99))}&count=100`,
  }));
  rows.push({ scenario: `page of 100 at random startIndex @ ${size.toLocaleString('en')} users (c=1)`, result, target: { metric: 'p99', op: '<', value: 20 } });
  return rows;
}

async function userIds(t: Target, from: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = from; ids.length < count; start += 1000) {
    const page = (await call(t.origin, t.headers, { method: 'GET', path: `${t.base}/Users?startIndex=${start + 1}&count=1000&attributes=id` })) as { Resources: { id: string }[] };
    if (page.Resources.length === 0) break;
    ids.push(...page.Resources.map((r) => r.id));
  }
  return ids.slice(0, count);
}

/**
 * The c=1 scenarios measure a warm server: each first sends unrecorded requests of its own kind
 * (bench/load.ts), so that p99 is the steady state rather than the JIT's first few thousand requests.
 */
const LOOKUP_WARMUP = 2000;
/** PATCH add 1 member, then PATCH add 256 members: warm-up and measured requests per group. */
const ADD_ONE = { warmup: 500, count: 1000 };
const ADD_MANY = { warmup: 5, count: 40 };

/** Users the group scenarios need: the largest group's members and the ones added to each group. */
export const usersForGroups = (sizes: number[]) => Math.max(...sizes) + ADD_ONE.warmup + ADD_ONE.count + 256 * (ADD_MANY.warmup + ADD_MANY.count);

/** Groups of 1k / 10k / 100k members: add 1 member, add 256 members; returns the rows and the largest group. */
export async function groups(t: Target, sizes: number[], users: number): Promise<{ rows: Row[]; largest: { id: string; size: number } }> {
  const rows: Row[] = [];
  const largestSize = Math.max(...sizes);
  const spare = usersForGroups(sizes) - largestSize;
  if (users < largestSize + spare) throw new Error(`need ${largestSize + spare} users for groups of ${largestSize}`);
  const ids = await userIds(t, 0, largestSize + spare);
  const extra = ids.slice(largestSize);
  let largest = { id: '', size: 0 };
  for (const size of sizes) {
    const group = (await call(t.origin, t.headers, { method: 'POST', path: `${t.base}/Groups`, body: JSON.stringify({ displayName: `bench-${size}` }) })) as { id: string };
    if (size === largestSize) largest = { id: group.id, size };
    for (let i = 0; i < size; i += 1000) {
      const members = ids.slice(i, Math.min(size, i + 1000)).map((value) => ({ value }));
      await call(t.origin, t.headers, { method: 'PATCH', path: `${t.base}/Groups/${group.id}`, body: JSON.stringify({ schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: members }] }) });
    }
    const one = await load(t.origin, { concurrency: 1, ...ADD_ONE, headers: t.headers, expect: [204] }, (i) => ({
      method: 'PATCH',
      path: `${t.base}/Groups/${group.id}`,
      body: JSON.stringify({ schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: extra[i] }] }] }),
    }));
    rows.push({ scenario: `PATCH add 1 member @ ${size.toLocaleString('en')}-member group`, result: one, target: { metric: 'p99', op: '<', value: 10 } });
    const afterOne = ADD_ONE.warmup + ADD_ONE.count;
    const many = await load(t.origin, { concurrency: 1, ...ADD_MANY, headers: t.headers, expect: [204] }, (i) => ({
      method: 'PATCH',
      path: `${t.base}/Groups/${group.id}`,
      body: JSON.stringify({ schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: extra.slice(afterOne + i * 256, afterOne + (i + 1) * 256).map((value) => ({ value })) }] }),
    }));
    rows.push({ scenario: `PATCH add 256 members @ ${size.toLocaleString('en')}-member group`, result: many, target: { metric: 'p99', op: '<', value: 100 } });
  }
  return { rows, largest };
}

/** GET of the largest group without and with its members. */
export async function groupReads(t: Target, group: { id: string; size: number }): Promise<Row[]> {
  const rows: Row[] = [];
  // Without members a GET is as quick as a lookup, so it gets as many requests; with 100,000 members each takes tens of ms.
  for (const [label, query, count, warmup] of [['excludedAttributes=members', '?excludedAttributes=members', 1000, 200], ['with members', '', 20, 3]] as const) {
    const result = await load(t.origin, { concurrency: 1, count, warmup, headers: t.headers, expect: [200] }, () => ({ method: 'GET', path: `${t.base}/Groups/${group.id}${query}` }));
    rows.push({ scenario: `GET ${group.size.toLocaleString('en')}-member group, ${label}`, result, rssMb: t.rssMb() });
  }
  return rows;
}

/** An Entra-style full sync: page through all users then all groups, 100 at a time, sequentially. */
export async function fullSync(t: Target, users: number): Promise<Row> {
  const started = process.hrtime.bigint();
  let requests = 0;
  for (const resource of ['Users', 'Groups']) {
    for (let start = 1; ; start += 100) {
      const page = (await call(t.origin, t.headers, { method: 'GET', path: `${t.base}/${resource}?startIndex=${start}&count=100${resource === 'Groups' ? '&excludedAttributes=members' : ''}` })) as { Resources: unknown[]; totalResults: number };
      requests++;
      if (start + 100 > page.totalResults) break;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result: LoadResult = { requests, seconds, rps: requests / seconds, p50: 0, p95: 0, p99: 0, max: 0, errors: 0, unexpected: {} };
  return { scenario: `full sync (page through all) @ ${users.toLocaleString('en')} users`, result, rssMb: t.rssMb() };
}
