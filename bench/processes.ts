/** Starts the measured servers as child processes and reads their resident memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A running child server. */
export interface ServerProcess {
  child: ChildProcess;
  origin: string;
  output(): string;
  /** Resident set size in MB, read from /proc. */
  rssMb(): number;
  stop(): Promise<void>;
}

async function waitFor(child: ChildProcess, url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function wrap(child: ChildProcess, origin: string, getOutput: () => string): ServerProcess {
  return {
    child,
    origin,
    output: getOutput,
    rssMb() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

function start(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (d) => (text = (text + d).slice(-20_000)));
  child.stderr.on('data', (d) => (text = (text + d).slice(-20_000)));
  return { child, output: () => text };
}

/**
 * The environment and node options `npm start` gives the server (package.json): its malloc arenas,
 * its young-generation size.
 */
function startOptions(): { env: NodeJS.ProcessEnv; nodeArgs: string[] } {
  const script = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const found = /((?:\b[A-Z_]+=\S+ )*)node ((?:--\S+ )*)dist\/cli\.js serve/.exec(script);
  if (!found) throw new Error(`package.json's start script does not run "[VAR=value …] node … dist/cli.js serve": ${script}`);
  const env = Object.fromEntries(found[1].split(' ').filter(Boolean).map((pair) => pair.split('=', 2) as [string, string]));
  return { env, nodeArgs: found[2].split(' ').filter(Boolean) };
}

export async function startRollcall(port: number, databaseUrl: string, clientId: string, secret: string, nodeArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  const options = startOptions();
  const { child, output } = start([...options.nodeArgs, ...nodeArgs, 'dist/cli.js', 'serve'], {
    ...options.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    ROLLCALL_CLIENT_ID: clientId,
    ROLLCALL_CLIENT_SECRET: secret,
    SCIM_RATE_LIMIT: '0',
    SCIM_COST_LIMIT: '0',
    SCIM_CONCURRENCY_LIMIT: '0',
    SHUTDOWN_DRAIN_SECONDS: '0',
    ...env,
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(child, `${origin}/healthz`, output);
  return wrap(child, origin, output);
}

/** Starts the plain Fastify baseline. */
export async function startHello(port: number): Promise<ServerProcess> {
  const { child, output } = start(['--import', 'tsx', 'bench/hello-server.ts'], { PORT: String(port) });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(child, `${origin}/hello`, output);
  return wrap(child, origin, output);
}

/** Runs `fn` with the URL of a fresh PostgreSQL database on the server of `adminUrl`, dropped afterwards. */
export async function withPostgresDatabase<T>(adminUrl: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `rollcall_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
