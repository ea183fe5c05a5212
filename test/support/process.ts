/** Runs the real `rollcall` command (through tsx) as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Environment for a child: ours without anything that would configure it by accident. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of ['DATABASE_URL', 'PORT', 'PUBLIC_URL', 'ROLLCALL_CLIENT_ID', 'ROLLCALL_CLIENT_SECRET', 'LOG_LEVEL', 'ROLLCALL_ENCRYPTION_KEY', 'ROLLCALL_PREVIOUS_ENCRYPTION_KEYS']) delete base[key];
  return { ...base, ...env };
}

/** Runs the CLI to completion. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: childEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  return { code, stdout, stderr };
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  return port;
}

/** A started `rollcall serve`, with its output so far. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * Starts `rollcall serve` and waits until /healthz answers: from source through tsx, or `launch`
 * (e.g. a built `dist/cli.js serve` in another folder).
 */
export async function startServe(env: Record<string, string>, launch: { args: string[]; cwd: string } = { args: ['--import', 'tsx', CLI, 'serve'], cwd: ROOT }): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, launch.args, {
    cwd: launch.cwd,
    // No load balancer watches /readyz here: stop() need not wait out the drain (SHUTDOWN_DRAIN_SECONDS).
    env: childEnv({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_SECONDS: '0', ...env }),
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rollcall serve exited ${child.exitCode}: ${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`rollcall serve did not become healthy: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}
