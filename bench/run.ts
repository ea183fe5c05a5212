/**
 * `npm run bench` — Rollcall's benchmark suite (issue 7). Starts the compiled server on SQLite (and on
 * PostgreSQL when BENCH_DATABASE_URL is set, beside it: each scenario runs on one, then on the other),
 * loads data through the SCIM API, drives load from this process over loopback, and prints each figure
 * with its ratio to a plain Fastify "hello" route, and PostgreSQL's to SQLite's.
 *
 *   npm run bench                 default sizes (10k and 100k users), a few minutes
 *   npm run bench -- --large      up to 1,000,000 users
 *   npm run bench -- --sizes 10000,50000 --groups 1000,10000
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { load, mergeResults, type LoadResult } from './load.js';
import { startHello, startRollcall, withPostgresDatabase, type ServerProcess } from './processes.js';
import { postgresSettled, sqliteSettled } from './settle.js';
import {
  addMany,
  addOne,
  bulkLoad,
  connect,
  coldCreates,
  COLD_CREATES,
  createUsers,
  fullSync,
  groupRead,
  lookups,
  makeGroups,
  PAGE_PLACES,
  pages,
  pagesUnderWrites,
  PARTS,
  usersForGroups,
  type BenchGroup,
  type Part,
  type Row,
  type Target,
} from './scenarios.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const numbers = (text: string) => text.split(',').map((n) => Number(n.replace(/_/g, '')));

const sizes = option('sizes') ? numbers(option('sizes')!) : flag('large') ? [10_000, 100_000, 1_000_000] : [10_000, 100_000];
const groupSizes = option('groups') ? numbers(option('groups')!) : [1_000, 10_000, 100_000];
const creates = Number(option('creates') ?? 20_000);
const CLIENT = { clientId: 'bench', secret: 'bench-secret-0123456789-abcdefgh' };

function fmt(n: number, digits = 1): string {
  return n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(digits);
}

async function baseline(): Promise<{ c16: LoadResult; c1: LoadResult }> {
  const hello = await startHello(3101);
  try {
    const shot = () => ({ method: 'GET' as const, path: '/hello' });
    await load(hello.origin, { concurrency: 16, count: 5000, headers: {} }, shot);
    const c16 = await load(hello.origin, { concurrency: 16, count: 30_000, headers: {} }, shot);
    const c1 = await load(hello.origin, { concurrency: 1, count: 3000, headers: {} }, shot);
    return { c16, c1 };
  } finally {
    await hello.stop();
  }
}

/** One server under measurement: its rows, its peak RSS, and how to wait for its background work. */
interface Side {
  label: string;
  server: ServerProcess;
  t: Target;
  rows: Row[];
  peakRss: number;
  /** Resolves once the server's own work after a write step is done (bench/settle.ts). */
  settle(): Promise<void>;
}

/**
 * A step of the run, done on each side in turn; `writes` steps are followed by a settle. A step of
 * `parts` runs that many parts on each side, alternating sides (see `schedule`), and each side's
 * parts are merged into one row per scenario.
 */
interface Step {
  writes: boolean;
  parts?: number;
  run(t: Target, side: Side, part: Part): Promise<Row | Row[] | undefined>;
}

/** The scenarios of issue 7 in order, as steps. */
function plan(): Step[] {
  // POST /Users measured on a server past its first creates, as the c=1 scenarios are after their warm-ups.
  const steps: Step[] = [{ writes: true, run: async (t) => [await coldCreates(t), await createUsers(t, COLD_CREATES, creates)] }];
  /** A concurrency-1 scenario, measured in PARTS parts. */
  const measured = (writes: boolean, run: Step['run']): Step => ({ writes, parts: PARTS, run });
  let loaded = COLD_CREATES + creates;
  const groupStage = Math.max(...sizes.filter((s) => s <= 100_000));
  for (const size of sizes) {
    if (loaded < size) {
      const from = loaded;
      steps.push({ writes: true, run: (t) => bulkLoad(t, from, size) });
      loaded = size;
    }
    steps.push(measured(false, (t, _, part) => lookups(t, size, 'userName', part)));
    steps.push(measured(false, (t, _, part) => lookups(t, size, 'externalId', part)));
    for (const place of PAGE_PLACES) steps.push(measured(false, (t, _, part) => pages(t, size, place, part)));
    steps.push(measured(true, (t, _, part) => pagesUnderWrites(t, size, part)));
    if (size === groupStage) {
      // The largest group takes that many users, and more are added to each group.
      if (loaded < usersForGroups(groupSizes)) {
        const [from, to] = [loaded, usersForGroups(groupSizes)];
        steps.push({ writes: true, run: async (t) => void (await bulkLoad(t, from, to)) });
        loaded = to;
      }
      const users = loaded;
      const groups = new Map<string, BenchGroup[]>();
      steps.push({ writes: true, run: async (t, side) => void groups.set(side.label, await makeGroups(t, groupSizes, users)) });
      groupSizes.forEach((_, g) => {
        steps.push(measured(true, (t, side, part) => addOne(t, groups.get(side.label)![g], part)));
        steps.push(measured(true, (t, side, part) => addMany(t, groups.get(side.label)![g], part)));
      });
      const largest = (side: Side) => groups.get(side.label)!.at(-1)!;
      steps.push(measured(false, (t, side, part) => groupRead(t, largest(side), false, part)));
      steps.push(measured(false, (t, side, part) => groupRead(t, largest(side), true, part)));
      steps.push({ writes: false, run: (t) => fullSync(t, users) });
    }
  }
  return steps;
}

/**
 * The order of a step's parts: [side, part] pairs. The sides go in order for even parts and in
 * reverse for odd ones — with two sides and two parts A1 B1 B2 A2 — so a drift of the machine's
 * speed over the step weighs on both sides alike.
 */
function schedule(sides: number, parts: number): [side: number, part: number][] {
  const order: [number, number][] = [];
  for (let part = 0; part < parts; part++) {
    const indexes = Array.from({ length: sides }, (_, i) => i);
    for (const side of part % 2 === 0 ? indexes : indexes.reverse()) order.push([side, part]);
  }
  return order;
}

/** A side's rows of a step's parts, one per scenario, in order. */
function mergeRows(rows: Row[]): Row[] {
  const byScenario = new Map<string, Row[]>();
  for (const row of rows) byScenario.set(row.scenario, [...(byScenario.get(row.scenario) ?? []), row]);
  return [...byScenario.values()].map((parts) => ({
    ...parts[0],
    result: mergeResults(parts.map((p) => p.result)),
    rssMb: Math.max(...parts.map((p) => p.rssMb ?? 0)),
  }));
}

async function startSide(label: string, databaseUrl: string, port: number): Promise<Side> {
  const server = await startRollcall(port, databaseUrl, CLIENT.clientId, CLIENT.secret);
  try {
    const t = await connect(server, CLIENT);
    const settle = label === 'postgres' ? () => postgresSettled(databaseUrl) : () => sqliteSettled(databaseUrl.slice('sqlite:'.length));
    return { label, server, t, rows: [], peakRss: 0, settle };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function note(side: Side, row: Row | Row[] | undefined): void {
  for (const r of row === undefined ? [] : Array.isArray(row) ? row : [row]) {
    side.rows.push(r);
    side.peakRss = Math.max(side.peakRss, r.rssMb ?? 0, side.server.rssMb());
    process.stderr.write(
      `  [${side.label}] ${r.scenario}: ${fmt(r.result.rps)} req/s, p99 ${fmt(r.result.p99, 2)} ms, RSS ${Math.round(side.server.rssMb())} MB${r.result.errors || Object.keys(r.result.unexpected).length ? ` (errors ${r.result.errors}, unexpected ${JSON.stringify(r.result.unexpected)})` : ''}\n`,
    );
  }
  side.peakRss = Math.max(side.peakRss, side.server.rssMb());
}

/**
 * Runs every step on each side in turn — SQLite, then PostgreSQL, then the next step — so the two are
 * measured minutes apart at most rather than a whole run apart, and their ratio does not follow the
 * machine's drift. Both servers stay up; the idle one costs nothing but memory.
 */
async function runSides(sides: Side[]): Promise<void> {
  for (const step of plan()) {
    const parts = step.parts ?? 1;
    const rows: Row[][] = sides.map(() => []);
    for (const [i, index] of schedule(sides.length, parts)) {
      const got = await step.run(sides[i].t, sides[i], { index, of: parts });
      rows[i].push(...(got === undefined ? [] : Array.isArray(got) ? got : [got]));
      if (step.writes) {
        const started = Date.now();
        await sides[i].settle();
        process.stderr.write(`  [${sides[i].label}] settled in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      }
    }
    sides.forEach((side, i) => note(side, mergeRows(rows[i])));
  }
  for (const side of sides) {
    side.rows.push({ scenario: 'peak server RSS (MB)', result: { requests: 0, seconds: 0, rps: 0, p50: 0, p95: 0, p99: 0, max: side.peakRss, errors: 0, unexpected: {} }, target: { metric: 'seconds', op: '<', value: 250 } });
  }
}

function verdict(row: Row): string {
  const target = row.target;
  if (!target) return '';
  const actual = row.scenario.startsWith('peak') ? row.result.max : target.metric === 'rps' ? row.result.rps : row.result.p99;
  const ok = target.op === '>=' ? actual >= target.value : actual < target.value;
  const unit = target.metric === 'rps' ? ' req/s' : row.scenario.startsWith('peak') ? ' MB' : ' ms';
  return `${ok ? 'met' : 'MISSED'} (${target.metric === 'rps' ? '≥' : '<'} ${fmt(target.value, 0)}${unit})`;
}

function table(label: string, rows: Row[], hello: { c16: LoadResult; c1: LoadResult }): string {
  const lines = [`\n### ${label}\n`, '| scenario | req/s | ratio to hello (c=16) | p50 ms | p95 ms | p99 ms | p99 ÷ hello p99 (c=1) | target |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |'];
  for (const r of rows) {
    if (r.scenario.startsWith('peak')) {
      lines.push(`| ${r.scenario} | | | | | ${fmt(r.result.max)} | | ${verdict(r)} |`);
      continue;
    }
    const bad = r.result.errors || Object.keys(r.result.unexpected).length ? ' ⚠ errors' : '';
    lines.push(
      `| ${r.scenario}${bad} | ${fmt(r.result.rps)} | ${(r.result.rps / hello.c16.rps).toFixed(3)} | ${fmt(r.result.p50, 2)} | ${fmt(r.result.p95, 2)} | ${fmt(r.result.p99, 2)} | ${(r.result.p99 / hello.c1.p99).toFixed(1)} | ${verdict(r)} |`,
    );
  }
  return lines.join('\n');
}

/** PostgreSQL's throughput as a share of SQLite's, scenario by scenario (target: at least half). */
function ratios(sqlite: Row[], postgres: Row[]): string {
  const lines = ['\n### PostgreSQL ÷ SQLite (req/s)\n', '| scenario | SQLite req/s | PostgreSQL req/s | ratio | target |', '| --- | ---: | ---: | ---: | --- |'];
  for (const row of postgres) {
    const other = sqlite.find((r) => r.scenario === row.scenario);
    if (!other || row.scenario.startsWith('peak') || other.result.rps === 0) continue;
    const ratio = row.result.rps / other.result.rps;
    lines.push(`| ${row.scenario} | ${fmt(other.result.rps)} | ${fmt(row.result.rps)} | ${ratio.toFixed(2)} | ${ratio >= 0.5 ? 'met' : 'MISSED'} (≥ 0.5) |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  process.stderr.write(`bench: sizes ${sizes.join(', ')}; groups ${groupSizes.join(', ')}; ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}\n`);
  const hello = await baseline();
  const out: string[] = [
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Load from a separate process over loopback (undici, fixed concurrency).`,
    `Baseline: plain Fastify hello route — ${fmt(hello.c16.rps)} req/s at c=16; p99 ${fmt(hello.c1.p99, 3)} ms at c=1.`,
  ];

  const dir = mkdtempSync(join(tmpdir(), 'rollcall-bench-'));
  const pgUrl = process.env.BENCH_DATABASE_URL;
  const run = async (postgresUrl?: string) => {
    const sides = [await startSide('sqlite', `sqlite:${join(dir, 'bench.db')}`, 3102)];
    try {
      if (postgresUrl) sides.push(await startSide('postgres', postgresUrl, 3103));
      await runSides(sides);
    } finally {
      for (const side of sides) await side.server.stop();
    }
    return sides;
  };
  try {
    const [sqlite, postgres] = pgUrl ? await withPostgresDatabase(pgUrl, run) : await run();
    out.push(table('SQLite', sqlite.rows, hello));
    if (postgres) {
      out.push(table('PostgreSQL', postgres.rows, hello));
      out.push(ratios(sqlite.rows, postgres.rows));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
