/**
 * The README's `npm start`, for real: `npm run build` (the client workspace and the example, the server
 * with tsc, the web UI with Vite) in a copy of the project, then `node dist/cli.js serve` from it — the
 * API and both web pages answer.
 * Built in a copy so that the other tests, which serve this checkout's build, are not disturbed.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe } from './support/process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

describe('npm start', () => {
  const copy = mkdtempSync(join(tmpdir(), 'rollcall-start-'));
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('builds the server and the web UI without one overwriting the other, and serves both', async () => {
    const entries = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'web', 'clients', 'examples'];
    // Without what a build writes, so that the copy's build makes it.
    const source = (path: string) => !/[/\\](dist|node_modules)$/.test(path);
    for (const entry of entries) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true, filter: source });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    await run('npm', ['run', 'build', '--silent'], { cwd: copy, timeout: 150_000 });

    const server = await startServe({ DATABASE_URL: `sqlite:${join(copy, 'data', 'rollcall.db')}` }, { args: [join(copy, 'dist', 'cli.js'), 'serve'], cwd: copy });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      for (const page of ['/dashboard', '/portal']) {
        const response = await fetch(`${server.url}${page}`);
        expect(response.status, page).toBe(200);
        const script = /src="(\/assets\/[^"]+\.js)"/.exec(await response.text())?.[1];
        expect(script, page).toBeDefined();
        expect((await fetch(`${server.url}${script}`)).status).toBe(200);
      }
    } finally {
      await server.stop();
    }
  }, 180_000);
});
