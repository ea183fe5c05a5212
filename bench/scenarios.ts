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
    // STAGING=1: a staging connection (syncToUserManagement false), whose writes take the general way.
    body: JSON.stringify({ source: 'azure-ad', connectionName: 'bench', syncToUserManagement: process.env.STAGING !== '1' }),
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

/**
 * The creates a fresh server runs first, measured apart from POST /Users: its JIT and heap are still
 * warming up (bench/profile-create.ts on a 2-core VM: 1,400 creates per second over the first 2,000,
 * 855 µs of CPU each, 3,100–3,700 from the 6,000th on, 245–310 µs each), as the c=1 scenarios' warm-ups are.
 */
export const COLD_CREATES = 6000;

/** POST /Users at concurrency 16 on a server just started: users [0, COLD_CREATES). */
export async function coldCreates(t: Target): Promise<Row> {
  const row = await createUsers(t, 0, COLD_CREATES);
  return { scenario: `POST /Users, first ${COLD_CREATES.toLocaleString('en')} after start-up (c=16)`, result: row.result, rssMb: row.rssMb };
}

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

/**
 * Which share of a scenario's requests to send. bench/run.ts measures the concurrency-1 scenarios in
 * parts, taking them on SQLite and PostgreSQL in turn (SQLite's first part, PostgreSQL's first and
 * second, SQLite's second and third, PostgreSQL's third and fourth, SQLite's fourth), and merges each
 * server's parts: a ratio of the two then holds however the machine's speed drifts over the scenario.
 */
export interface Part {
  index: number;
  of: number;
}
export const WHOLE: Part = { index: 0, of: 1 };
/** The parts the concurrency-1 scenarios are measured in. */
export const PARTS = 4;

/**
 * A part's unrecorded requests: all of `warmup` for a server's first part, a quarter for the others,
 * which find the server warm and only open their connection anew.
 */
const warmupOf = (index: number, warmup: number) => (index === 0 ? warmup : Math.ceil(warmup / 4));

/** `count` requests and `warmup` more for a part: its share of `count`, its warm-up, and where its requests start. */
function share(part: Part, run: { count: number; warmup: number }) {
  const count = Math.round(run.count / part.of);
  let from = 0;
  for (let i = 0; i < part.index; i++) from += count + warmupOf(i, run.warmup);
  return { count, warmup: warmupOf(part.index, run.warmup), from };
}

/** Every request of a scenario's PARTS parts, warm-ups included. */
const sent = (run: { count: number; warmup: number }) => share({ index: PARTS, of: PARTS }, run).from;

/**
 * The c=1 scenarios measure a warm server: each first sends unrecorded requests of its own kind
 * (bench/load.ts), so that p99 is the steady state rather than the JIT's first few thousand requests.
 */
const LOOKUPS = { count: 2000, warmup: 2000 };
/** PATCH add 1 member, then PATCH add 256 members: warm-up and measured requests per group. */
const ADD_ONE = { warmup: 500, count: 1000 };
const ADD_MANY = { warmup: 5, count: 40 };

/** Filter lookups at concurrency 1 over `size` users. */
export async function lookups(t: Target, size: number, attribute: 'userName' | 'externalId', part: Part = WHOLE): Promise<Row> {
  const value = (i: number) => (attribute === 'userName' ? userName(i) : `ext-${i}`);
  const { count, warmup, from } = share(part, LOOKUPS);
  const result = await load(t.origin, { concurrency: 1, count, warmup, headers: t.headers, expect: [200] }, (i) => ({
    method: 'GET',
    path: `${t.base}/Users?filter=${encodeURIComponent(`${attribute} eq "${value(((from + i) * 7919) % size)}"`)}`,
  }));
  return { scenario: `${attribute} eq lookup @ ${size.toLocaleString('en')} users (c=1)`, result, target: { metric: 'p99', op: '<', value: 5 }, rssMb: t.rssMb() };
}

/** Where the page scenarios read: the start, middle and end of `size` users, and a different startIndex each time. */
export type PagePlace = 'start' | 'middle' | 'end' | 'random startIndex';
export const PAGE_PLACES: readonly PagePlace[] = ['start', 'middle', 'end', 'random startIndex'];

/** Pages of 100 at one place of `size` users. */
export async function pages(t: Target, size: number, place: PagePlace, part: Part = WHOLE): Promise<Row> {
  const last = Math.max(1, size - 99);
  const fixed = { start: 1, middle: Math.floor(size / 2), end: last };
  // Anywhere: a different startIndex each time, so nothing a previous page remembered helps.
  const startIndex = (i: number) => (place === 'random startIndex' ? 1 + ((i * 7_919_993) % last) : fixed[place]);
  const { count, warmup, from } = share(part, { count: place === 'random startIndex' ? 400 : 200, warmup: 50 });
  const result = await load(t.origin, { concurrency: 1, count, warmup, headers: t.headers, expect: [200] }, (i) => ({
    method: 'GET',
    path: `${t.base}/Users?startIndex=${startIndex(from + i)}&count=100`,
  }));
  return { scenario: `page of 100 at ${place} @ ${size.toLocaleString('en')} users (c=1)`, result, target: { metric: 'p99', op: '<', value: 20 } };
}

/** The writes beside the pages of `pagesUnderWrites`, per second: a create and a delete of one user each. */
export const WRITES_PER_SECOND = 50;
/** Users the writer creates (and deletes) are numbered from here, far from every other scenario's. */
const WRITER_USERS = 900_000_000;

/**
 * Pages of 100 at a random startIndex while another client creates and deletes users, WRITES_PER_SECOND
 * in all, at a steady pace: an Entra full sync while Okta provisions. Every write changes the list the
 * pages read, so neither database can keep using the order blocks it read before the write
 * (src/scim/store/order-blocks.ts). The directory's size is the same before and after.
 */
export async function pagesUnderWrites(t: Target, size: number, part: Part = WHOLE): Promise<Row> {
  let writing = true;
  let writes = 0;
  const started = Date.now();
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const created = (await call(t.origin, t.headers, { method: 'POST', path: `${t.base}/Users`, body: user(WRITER_USERS + part.index * 1_000_000 + i) })) as { id: string };
      await call(t.origin, t.headers, { method: 'DELETE', path: `${t.base}/Users/${created.id}` });
      writes += 2;
      const due = started + (writes * 1000) / WRITES_PER_SECOND;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    }
  })();
  let row: Row;
  try {
    row = await pages(t, size, 'random startIndex', part);
  } finally {
    writing = false;
    await writer;
  }
  const rate = (writes * 1000) / (Date.now() - started);
  // A writer that fell behind would measure a lighter load than the row's name says.
  if (rate < WRITES_PER_SECOND * 0.8) throw new Error(`pages under writes: the writer managed ${rate.toFixed(0)} writes/s of ${WRITES_PER_SECOND}`);
  return { ...row, scenario: `page of 100 at random startIndex, ${WRITES_PER_SECOND} writes/s beside @ ${size.toLocaleString('en')} users (c=1)` };
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

/** Users added to each group: every part's warm-up, the measured requests, for one member and for 256. */
const ADDED = { one: sent(ADD_ONE), many: 256 * sent(ADD_MANY) };

/** Users the group scenarios need: the largest group's members and the ones added to each group. */
export const usersForGroups = (sizes: number[]) => Math.max(...sizes) + ADDED.one + ADDED.many;

/** A group of the PATCH scenarios, and the users to add to it. */
export interface BenchGroup {
  id: string;
  size: number;
  /** Users not in the group: the first ADDED.one for PATCH add 1, the next for add 256. */
  extra: string[];
}

/** Groups of each size, with their members, among the first `users` users (the same users in each). */
export async function makeGroups(t: Target, sizes: number[], users: number): Promise<BenchGroup[]> {
  const largest = Math.max(...sizes);
  if (users < usersForGroups(sizes)) throw new Error(`need ${usersForGroups(sizes)} users for groups of ${largest}`);
  const ids = await userIds(t, 0, usersForGroups(sizes));
  const groups: BenchGroup[] = [];
  for (const size of sizes) {
    const group = (await call(t.origin, t.headers, { method: 'POST', path: `${t.base}/Groups`, body: JSON.stringify({ displayName: `bench-${size}` }) })) as { id: string };
    for (let i = 0; i < size; i += 1000) {
      const members = ids.slice(i, Math.min(size, i + 1000)).map((value) => ({ value }));
      await call(t.origin, t.headers, { method: 'PATCH', path: `${t.base}/Groups/${group.id}`, body: JSON.stringify({ schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: members }] }) });
    }
    groups.push({ id: group.id, size, extra: ids.slice(largest) });
  }
  return groups;
}

const addMembers = (t: Target, group: BenchGroup, members: string[]) => ({
  method: 'PATCH' as const,
  path: `${t.base}/Groups/${group.id}`,
  body: JSON.stringify({ schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: members.map((value) => ({ value })) }] }),
});

/** PATCH adding 1 member, at concurrency 1. */
export async function addOne(t: Target, group: BenchGroup, part: Part = WHOLE): Promise<Row> {
  const { count, warmup, from } = share(part, ADD_ONE);
  const result = await load(t.origin, { concurrency: 1, count, warmup, headers: t.headers, expect: [204] }, (i) => addMembers(t, group, [group.extra[from + i]]));
  return { scenario: `PATCH add 1 member @ ${group.size.toLocaleString('en')}-member group`, result, target: { metric: 'p99', op: '<', value: 10 } };
}

/** PATCH adding 256 members, at concurrency 1. */
export async function addMany(t: Target, group: BenchGroup, part: Part = WHOLE): Promise<Row> {
  const { count, warmup, from } = share(part, ADD_MANY);
  const at = (i: number) => ADDED.one + (from + i) * 256;
  const result = await load(t.origin, { concurrency: 1, count, warmup, headers: t.headers, expect: [204] }, (i) => addMembers(t, group, group.extra.slice(at(i), at(i) + 256)));
  return { scenario: `PATCH add 256 members @ ${group.size.toLocaleString('en')}-member group`, result, target: { metric: 'p99', op: '<', value: 100 } };
}

/** GET of a group without its members, or with them. */
export async function groupRead(t: Target, group: { id: string; size: number }, withMembers: boolean, part: Part = WHOLE): Promise<Row> {
  // Without members a GET is as quick as a lookup, so it gets as many requests; with 100,000 members each takes tens of ms.
  const { count, warmup } = share(part, withMembers ? { count: 20, warmup: 3 } : { count: 1000, warmup: 200 });
  const query = withMembers ? '' : '?excludedAttributes=members';
  const result = await load(t.origin, { concurrency: 1, count, warmup, headers: t.headers, expect: [200] }, () => ({ method: 'GET', path: `${t.base}/Groups/${group.id}${query}` }));
  return { scenario: `GET ${group.size.toLocaleString('en')}-member group, ${withMembers ? 'with members' : 'excludedAttributes=members'}`, result, rssMb: t.rssMb() };
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
