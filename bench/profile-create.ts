/**
 * `npx tsx bench/profile-create.ts` — the POST /Users scenario of `npm run bench` alone, for quick
 * iterations on the create path: the hello baseline, then N creates at c=16 against a fresh SQLite
 * database, printed with the ratio to hello. Uses the compiled server (run `npm run build` first).
 *
 *   npx tsx bench/profile-create.ts --creates 20000 --rounds 3
 *   npx tsx bench/profile-create.ts --postgres  on a fresh PostgreSQL database of BENCH_DATABASE_URL
 *   npx tsx bench/profile-create.ts --prof      also writes a CPU profile of the server and prints
 *                                               self time by function and by file (top 40); the
 *                                               profile is kept as /tmp/rollcall-create.cpuprofile
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from './load.js';
import { startHello, startRollcall, withPostgresDatabase } from './processes.js';
import { connect, createUsers } from './scenarios.js';

/** CPU seconds (user + system) of a process, or of one of its threads, from /proc. */
function cpuSeconds(pid: number, thread?: number): number {
  const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const creates = option('creates', 20_000);
const rounds = option('rounds', 1);
const profile = args.includes('--prof');
const postgres = args.includes('--postgres');
const CLIENT = { clientId: 'bench', secret: 'bench-secret-0123456789-abcdefgh' };
const PORT = 3112;

async function hello(): Promise<number> {
  const server = await startHello(3111);
  try {
    const shot = () => ({ method: 'GET' as const, path: '/hello' });
    await load(server.origin, { concurrency: 16, count: 5000, headers: {} }, shot);
    return (await load(server.origin, { concurrency: 16, count: 30_000, headers: {} }, shot)).rps;
  } finally {
    await server.stop();
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time by function and by file, from the samples of a .cpuprofile. */
function summarise(path: string): void {
  const data = JSON.parse(readFileSync(path, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  data.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (data.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(ROOT, '') || '(native)';
    const fn = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
    const key = file.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, 'npm:$1');
    files.set(key, (files.get(key) ?? 0) + us);
  }
  const top = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40)
      .map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  process.stdout.write(`\nself time by function (${(total / 1e6).toFixed(1)} s sampled):\n${top(fns)}\n\nby file / package:\n${top(files)}\n`);
}

const helloRps = await hello();
process.stdout.write(`hello: ${Math.round(helloRps)} req/s at c=16\n`);
/** Starts the server on `databaseUrl`, runs the rounds of creates, and prints the profile if asked. */
async function measure(databaseUrl: string, dir: string): Promise<void> {
  const server = await startRollcall(PORT, databaseUrl, CLIENT.clientId, CLIENT.secret, profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);
  const target = await connect(server, CLIENT);
  for (let round = 0; round < rounds; round++) {
    const pid = server.child.pid!;
    const [all, main] = [cpuSeconds(pid), cpuSeconds(pid, pid)];
    const row = await createUsers(target, round * creates, creates);
    // CPU per request is steadier than req/s when something else shares the machine.
    const perRequest = (seconds: number) => ((seconds * 1e6) / creates).toFixed(0);
    const cpu = `CPU/request ${perRequest(cpuSeconds(pid) - all)} µs (main thread ${perRequest(cpuSeconds(pid, pid) - main)} µs)`;
    const { rps, p99, errors, unexpected } = row.result;
    process.stdout.write(`POST /Users: ${Math.round(rps)} req/s, ratio ${(rps / helloRps).toFixed(3)}, p99 ${p99.toFixed(2)} ms, ${cpu}, errors ${errors} ${JSON.stringify(unexpected)}\n`);
  }
  await server.stop();
  const written = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (profile && written[0]) {
    copyFileSync(join(dir, written[0]), join(tmpdir(), 'rollcall-create.cpuprofile'));
    summarise(join(dir, written[0]));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'rollcall-profile-'));
try {
  if (postgres) {
    const adminUrl = process.env.BENCH_DATABASE_URL;
    if (!adminUrl) throw new Error('--postgres needs BENCH_DATABASE_URL');
    await withPostgresDatabase(adminUrl, (url) => measure(url, dir));
  } else {
    await measure(`sqlite:${join(dir, 'bench.db')}`, dir);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
