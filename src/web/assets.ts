/**
 * The built web UI (dist/client, from `vite build`), read into memory once: a few hundred kilobytes,
 * served without touching the disk and without any path from the request reaching the file system.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** One file ready to send. */
export interface WebAsset {
  body: Buffer;
  /** gzip of body, when it is worth sending compressed. */
  gzip?: Buffer;
  type: string;
  etag: string;
  /** Vite's hashed file names never change content: cache them for a year. */
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

function typeOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return TYPES[dot >= 0 ? path.slice(dot) : ''] ?? 'application/octet-stream';
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** The default place of the build: dist/client beside src/ or dist/ (this file runs from either). */
export function defaultWebRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(dir, 'dist', 'client');
}

/**
 * The build, reloaded when it changes on disk (`npm run dev:web` rebuilds while the server runs): a
 * page request or an unknown asset looks at the build's mtime, one stat call, and reloads if it moved.
 */
export class WebBuild {
  private assets: Map<string, WebAsset> | undefined;
  private loadedAt = -1;

  constructor(private readonly root: string) {
    this.refresh();
  }

  /** The asset at a URL path, or undefined. Pass `recheck` for page requests and misses. */
  get(url: string, recheck = false): WebAsset | undefined {
    if (recheck || !this.assets) this.refresh();
    const found = this.assets?.get(url);
    if (found || recheck) return found;
    this.refresh();
    return this.assets?.get(url);
  }

  private refresh(): void {
    let mtime: number;
    try {
      mtime = statSync(join(this.root, 'dashboard.html')).mtimeMs;
    } catch {
      this.assets = undefined;
      this.loadedAt = -1;
      return;
    }
    if (mtime === this.loadedAt) return;
    try {
      this.assets = loadWebAssets(this.root);
      this.loadedAt = mtime;
    } catch {
      // A build in progress (files replaced under us): keep serving what we had; the next request retries.
    }
  }
}

/** Every file of the build by URL path (`/assets/dashboard-abc.js`), or undefined when there is no build. */
export function loadWebAssets(root: string): Map<string, WebAsset> | undefined {
  if (!existsSync(join(root, 'dashboard.html'))) return undefined;
  const assets = new Map<string, WebAsset>();
  for (const file of walk(root)) {
    const url = `/${relative(root, file).split(sep).join('/')}`;
    const body = readFileSync(file);
    const type = typeOf(file);
    const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 1024;
    assets.set(url, {
      body,
      gzip: compressible ? gzipSync(body) : undefined,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: url.startsWith('/assets/'),
    });
  }
  return assets;
}
