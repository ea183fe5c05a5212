/** The built mirror (`node dist/cli.js <command>`) as a child process the tests start, kill -9 and restart. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const APP = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(APP, 'dist', 'cli.js');
const CLIENT_DIST = join(ROOT, 'clients', 'node', 'dist', 'esm', 'index.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the mirror (and the client it imports, when that was never built) if dist is missing or older than src. */
export function ensureBuilt(): void {
  const npm = (workspace: string) => execFileSync('npm', ['run', 'build', '-w', workspace, '--silent'], { cwd: ROOT, stdio: 'pipe' });
  if (!existsSync(CLIENT_DIST)) npm('@rollcall/client');
  const sources = Math.max(newestMtime(join(APP, 'src')), statSync(join(APP, 'tsconfig.json')).mtimeMs);
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < sources) npm('directory-mirror');
}

/** Our environment without anything that would configure the mirror by accident. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of Object.keys(base)) if (/^(ROLLCALL_|MIRROR_)/.test(key) || key === 'PORT' || key === 'HOST') delete base[key];
  return { ...base, ...env };
}

/** One mirror command, run again after each kill. */
export class MirrorProcess {
  private child: ChildProcess | undefined;
  /** Everything it printed, every run, for failure messages. */
  output = '';
  starts = 0;
  kills = 0;

  constructor(
    readonly command: 'follow' | 'webhooks',
    private readonly env: Record<string, string>,
  ) {}

  /** Starts it; a webhooks mirror is ready once /healthz answers. */
  async start(): Promise<void> {
    this.starts++;
    const child = spawn(process.execPath, [CLI, this.command], { cwd: APP, env: childEnv(this.env) });
    this.child = child;
    const run = this.starts;
    child.stdout.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (this.output += `[${this.command} #${run} stderr] ${d.toString()}`));
    if (this.command !== 'webhooks') return;
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`mirror webhooks exited ${child.exitCode}: ${this.output}`);
      try {
        if ((await fetch(`http://127.0.0.1:${this.env.PORT}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`mirror webhooks did not start: ${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** kill -9: no handler runs, whatever the process was doing. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    this.kills++;
  }

  /** SIGTERM, and its exit code (0: it stopped cleanly). */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exited = once(child, 'exit') as Promise<[number | null]>;
    child.kill('SIGTERM');
    const [code] = await exited;
    return code;
  }

  /** Lines it printed with MIRROR_VERBOSE=1 for events, by outcome. */
  outcomes(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [, outcome] of this.output.matchAll(/^(applied|duplicate|stale) \S+ \S+/gm)) counts[outcome] = (counts[outcome] ?? 0) + 1;
    return counts;
  }
}
