/**
 * Two versions of Rollcall side by side: both servers up at once, each on a fresh database, measured in
 * alternating blocks, so both see the same moments of a noisy machine (a run of `npm run bench` per version
 * does not). Each tree needs `npm run build`; a git worktree of the other version does, with node_modules linked.
 *
 *   npx tsx bench/ab.ts ../rollcall-old .                       POST /Users at c=16 on SQLite, blocks of 4,000
 *   SCENARIO=patch DB=postgres npx tsx bench/ab.ts ../old .     PATCH add 1 member at c=1, blocks of 250
 *   SCENARIO=patch256 DB=postgres npx tsx bench/ab.ts ../old .  PATCH add 256 members at c=1, blocks of 20
 *   SCENARIO=remove DB=postgres npx tsx bench/ab.ts ../old .    PATCH remove 1 member at c=1, blocks of 250
 *   SCENARIO=deactivate DB=postgres npx tsx bench/ab.ts ../old . PATCH a user inactive at c=1 among 20k users, blocks of 250
 *   SCENARIO=pages DB=postgres npx tsx bench/ab.ts ../old .     a page of 100 at a random startIndex of 10k users (PAGE_START=n: at n)
 *   USERS=n …                                                   SCENARIO=pages or lookup among n users instead of 10k
 *   SCENARIO=bulk DB=postgres npx tsx bench/ab.ts ../old .      Bulk of 1,000 creates, 2 in flight, blocks of 6
 *   SCENARIO=lookup DB=postgres npx tsx bench/ab.ts ../old .    a userName eq lookup at c=1 among 10k users, blocks of 1,000
 *   SCENARIO=patch DB=sqlite,postgres npx tsx bench/ab.ts . .   one tree, SQLite against PostgreSQL
 *   SYNC_OFF_B=1 …                                              the second database with synchronous_commit = off
 *   CONCURRENCY=16 …                                            SCENARIO=patch at that concurrency (one group)
 *   STAGING=1 …                                                 the connection is a staging one (a tree before this
 *                                                               setting measures a live one)
 *   BLOCKS=8 (default), BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { call, load, type LoadResult } from './load.js';
import type { Target } from './scenarios.js';

const [rootA, rootB] = process.argv.slice(2).map((root) => resolve(root));
if (!rootA || !rootB) throw new Error('usage: npx tsx bench/ab.ts <tree A> <tree B>');
const scenario = process.env.SCENARIO ?? 'create';
const ADMIN = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BLOCKS = Number(process.env.BLOCKS ?? 8);
/** SCENARIO=pages: every page at this startIndex instead of a random one. */
const PAGE_START = process.env.PAGE_START === undefined ? undefined : Number(process.env.PAGE_START);
/** SCENARIO=pages and lookup: the directory's size. */
const USERS = Number(process.env.USERS ?? 10_000);
/** DB=postgres: both sides; DB=sqlite,postgres: one each (a tree against itself: the two databases' ratio). */
const kinds = (process.env.DB ?? 'sqlite').split(',');
if (kinds.length === 1) kinds.push(kinds[0]);
const CLIENT = { clientId: 'bench', secret: 'bench-secret-0123456789-abcdefgh' };
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(ADMIN);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database for side `port`: a SQLite file, or a PostgreSQL database dropped by `drop`. */
async function database(port: number): Promise<{ url: string; drop: () => Promise<void> }> {
  if (kinds[port === 3201 ? 0 : 1] !== 'postgres') return { url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'ab-')), 'bench.db')}`, drop: async () => {} };
  const name = `rollcall_ab_${port}_${process.pid}`;
  await admin(async (c) => {
    await c.query(`create database ${name}`);
    if (process.env.SYNC_OFF_B && port === 3202) await c.query(`alter database ${name} set synchronous_commit = off`);
  });
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(async (c) => void (await c.query(`drop database ${name} with (force)`))) };
}

interface Side {
  t: Target;
  stop(): Promise<void>;
  /** The next measured block. */
  block(): Promise<LoadResult>;
}

/** Starts tree `root`'s server with its own bench code, loads what the scenario needs. */
async function side(root: string, port: number): Promise<Side> {
  const processes = await import(join(root, 'bench/processes.ts'));
  const scenarios = await import(join(root, 'bench/scenarios.ts'));
  const db = await database(port);
  const server = await processes.startRollcall(port, db.url, CLIENT.clientId, CLIENT.secret);
  const t: Target = await scenarios.connect(server, CLIENT);
  const stop = async () => {
    await server.stop();
    await db.drop();
  };
  if (scenario === 'create') {
    let created = 0;
    return { t, stop, block: async () => (await scenarios.createUsers(t, (created += 4000) - 4000, 4000)).result };
  }
  if (scenario === 'bulk') {
    let loaded = 0;
    return { t, stop, block: async () => (await scenarios.bulkLoad(t, (loaded += 6000) - 6000, loaded)).result };
  }
  if (scenario === 'lookup') {
    await scenarios.bulkLoad(t, 0, USERS);
    let n = 0;
    return {
      t,
      stop,
      block: () =>
        load(t.origin, { concurrency: 1, count: 1000, warmup: 200, headers: t.headers, expect: [200] }, () => ({
          method: 'GET',
          path: `${t.base}/Users?filter=${encodeURIComponent(`userName eq "${scenarios.userName((n++ * 7919) % USERS)}"`)}`,
        })),
    };
  }
  if (scenario === 'pages') {
    await scenarios.bulkLoad(t, 0, USERS);
    let n = 0;
    return {
      t,
      stop,
      block: () =>
        load(t.origin, { concurrency: 1, count: 150, warmup: 20, headers: t.headers, expect: [200] }, () => ({
          method: 'GET',
          path: `${t.base}/Users?startIndex=${PAGE_START ?? 1 + ((n++ * 7_919_993) % (USERS - 99))}&count=100`,
        })),
    };
  }
  if (scenario === 'deactivate') {
    // 20,000 users: the blocks deactivate fewer than 20 % of them, under the default guard's line.
    await scenarios.bulkLoad(t, 0, 20_000);
    const ids = await userIds(t);
    let n = 0;
    const body = JSON.stringify({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] });
    return { t, stop, block: () => load(t.origin, { concurrency: 1, count: 250, warmup: 50, headers: t.headers, expect: [200] }, () => ({ method: 'PATCH', path: `${t.base}/Users/${ids[n++]}`, body })) };
  }
  // patch: a group of 1,000 members, then one more member (patch256: 256 more) per request; remove: one fewer.
  const perRequest = scenario === 'patch256' ? 256 : 1;
  const block = scenario === 'patch256' ? { count: 20, warmup: 3 } : { count: 250, warmup: 50 };
  const extra = (block.count + block.warmup) * perRequest * BLOCKS;
  await scenarios.bulkLoad(t, 0, 1000 + extra);
  const ids = await userIds(t);
  const group = (await call(t.origin, t.headers, { method: 'POST', path: `${t.base}/Groups`, body: JSON.stringify({ displayName: 'ab' }) })) as { id: string };
  const patch = (members: string[], op: 'add' | 'remove' = 'add') => ({
    method: 'PATCH' as const,
    path: `${t.base}/Groups/${group.id}`,
    body: JSON.stringify({
      schemas: [PATCH],
      Operations: op === 'add' ? [{ op, path: 'members', value: members.map((value) => ({ value })) }] : members.map((value) => ({ op, path: `members[value eq "${value}"]` })),
    }),
  });
  const concurrency = Number(process.env.CONCURRENCY ?? 1);
  if (scenario === 'remove') {
    for (let i = 0; i < ids.length; i += 1000) await call(t.origin, t.headers, patch(ids.slice(i, i + 1000)));
    let next = 0;
    return { t, stop, block: () => load(t.origin, { concurrency, ...block, headers: t.headers, expect: [204] }, () => patch([ids[next++]], 'remove')) };
  }
  await call(t.origin, t.headers, patch(ids.slice(0, 1000)));
  let next = 1000;
  const members = () => ids.slice(next, (next += perRequest));
  return { t, stop, block: () => load(t.origin, { concurrency, ...block, headers: t.headers, expect: [204] }, () => patch(members())) };
}

/** Every user id of the side's connection, in list order. */
async function userIds(t: Target): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 1; ; start += 1000) {
    const page = (await call(t.origin, t.headers, { method: 'GET', path: `${t.base}/Users?startIndex=${start}&count=1000&attributes=id` })) as { Resources: { id: string }[] };
    if (page.Resources.length === 0) break;
    ids.push(...page.Resources.map((r) => r.id));
  }
  return ids;
}

const sides = [await side(rootA, 3201), await side(rootB, 3202)];
const results: LoadResult[][] = [[], []];
try {
  for (let b = 0; b < BLOCKS; b++) {
    for (const i of b % 2 === 0 ? [0, 1] : [1, 0]) results[i].push(await sides[i].block());
  }
} finally {
  for (const s of sides) await s.stop();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const list = (xs: number[], digits: number) => xs.map((x) => x.toFixed(digits)).join(' ');
for (const [i, root] of [rootA, rootB].entries()) {
  const p50 = results[i].map((r) => r.p50);
  const rps = results[i].map((r) => r.rps);
  process.stdout.write(`${root}: ${scenario} p50 ms [${list(p50, 2)}] median ${median(p50).toFixed(2)}; req/s [${list(rps, 0)}] median ${median(rps).toFixed(0)}\n`);
}
