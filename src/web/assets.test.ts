import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebBuild } from './assets.js';

describe('WebBuild', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  function buildDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-web-'));
    dirs.push(dir);
    return dir;
  }

  it('has nothing before a build, then picks the build up without a restart', () => {
    const root = buildDir();
    const build = new WebBuild(root);
    expect(build.get('/dashboard.html', true)).toBeUndefined();
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'app-1.js'), 'console.log(1)');
    writeFileSync(join(root, 'dashboard.html'), '<script src="/assets/app-1.js"></script>');
    expect(build.get('/dashboard.html', true)?.body.toString()).toContain('app-1.js');
    expect(build.get('/assets/app-1.js')).toMatchObject({ type: 'text/javascript; charset=utf-8', immutable: true });
  });

  it('serves a rebuild: new hashed assets and the new page', () => {
    const root = buildDir();
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'app-1.js'), 'console.log(1)');
    writeFileSync(join(root, 'dashboard.html'), 'one');
    const build = new WebBuild(root);
    expect(build.get('/dashboard.html', true)?.body.toString()).toBe('one');
    writeFileSync(join(root, 'assets', 'app-2.js'), 'console.log(2)');
    writeFileSync(join(root, 'dashboard.html'), 'two');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'dashboard.html'), later, later);
    expect(build.get('/assets/app-2.js')?.body.toString()).toBe('console.log(2)');
    expect(build.get('/dashboard.html', true)?.body.toString()).toBe('two');
    expect(build.get('/assets/missing.js')).toBeUndefined();
  });
});
