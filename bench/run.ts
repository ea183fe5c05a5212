/**
 * `npm run bench` — Rollcall's benchmark suite (issue 7). Starts the compiled server on SQLite (and on
 * PostgreSQL when BENCH_DATABASE_URL is set), loads data through the SCIM API, drives load from this
 * process over loopback, and prints each figure with its ratio to a plain Fastify "hello" route.
 *
 *   npm run bench                 default sizes (10k and 100k users), a few minutes
 *   npm run bench -- --large      up to 1,000,000 users
 *   npm run bench -- --sizes 10000,50000 --groups 1000,10000
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { load, type LoadResult } from './load.js';
import { startHello, startRollcall, withPostgresDatabase } from './processes.js';
import { bulkLoad, connect, createUsers, fullSync, groups, lookups, pages, usersForGroups, type Row } from './scenarios.js';

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

async function runOn(label: string, databaseUrl: string, port: number): Promise<Row[]> {
  const server = await startRollcall(port, databaseUrl, CLIENT.clientId, CLIENT.secret);
  const rows: Row[] = [];
  let peakRss = 0;
  const note = (row: Row | Row[]) => {
    for (const r of Array.isArray(row) ? row : [row]) {
      rows.push(r);
      peakRss = Math.max(peakRss, r.rssMb ?? 0, server.rssMb());
      process.stderr.write(`  [${label}] ${r.scenario}: ${fmt(r.result.rps)} req/s, p99 ${fmt(r.result.p99, 2)} ms, RSS ${Math.round(server.rssMb())} MB${r.result.errors || Object.keys(r.result.unexpected).length ? ` (errors ${r.result.errors}, unexpected ${JSON.stringify(r.result.unexpected)})` : ''}\n`);
    }
  };
  try {
    const t = await connect(server, CLIENT);
    note(await createUsers(t, 0, creates));
    let loaded = creates;
    for (const size of sizes) {
      if (loaded < size) {
        note(await bulkLoad(t, loaded, size));
        loaded = size;
      }
      note(await lookups(t, size, 'userName'));
      note(await lookups(t, size, 'externalId'));
      note(await pages(t, size));
      if (size === Math.max(...sizes.filter((s) => s <= 100_000))) {
        // The largest group takes that many users, and more are added to each group.
        if (loaded < usersForGroups(groupSizes)) {
          await bulkLoad(t, loaded, usersForGroups(groupSizes));
          loaded = usersForGroups(groupSizes);
        }
        note(await groups(t, groupSizes, loaded));
        note(await fullSync(t, loaded));
      }
    }
    rows.push({ scenario: 'peak server RSS (MB)', result: { requests: 0, seconds: 0, rps: 0, p50: 0, p95: 0, p99: 0, max: peakRss, errors: 0, unexpected: {} }, target: { metric: 'seconds', op: '<', value: 250 } });
    return rows;
  } finally {
    await server.stop();
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

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  process.stderr.write(`bench: sizes ${sizes.join(', ')}; groups ${groupSizes.join(', ')}; ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}\n`);
  const hello = await baseline();
  const out: string[] = [
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Load from a separate process over loopback (undici, fixed concurrency).`,
    `Baseline: plain Fastify hello route — ${fmt(hello.c16.rps)} req/s at c=16; p99 ${fmt(hello.c1.p99, 3)} ms at c=1.`,
  ];

  const dir = mkdtempSync(join(tmpdir(), 'rollcall-bench-'));
  try {
    out.push(table('SQLite', await runOn('sqlite', `sqlite:${join(dir, 'bench.db')}`, 3102), hello));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const pgUrl = process.env.BENCH_DATABASE_URL;
  if (pgUrl) out.push(table('PostgreSQL', await withPostgresDatabase(pgUrl, (url) => runOn('postgres', url, 3103)), hello));
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
