/**
 * Browser tests: a real Rollcall server (SQLite, a real port) and Debian's Chromium driven by
 * playwright-core. Chromium is required where REQUIRE_BROWSER is set (.ci/run): a missing browser
 * fails the run there; elsewhere the browser tests are skipped (test/support/notices.ts says so).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import type { Db } from '../../../src/db/open.js';
import { openTestDb } from '../../support/test-app.js';
import type { TestDatabase } from '../../support/databases.js';
import { CHROMIUM } from '../../support/requirements.js';


/** The flags this machine needs (no network beyond loopback, no sandbox as root). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.REQUIRE_BROWSER) throw new Error(`Chromium is required here (REQUIRE_BROWSER) but ${CHROMIUM} does not exist: apt-get install -y chromium`);
  return false;
}

/** `describe`, or `describe.skip` when there is no browser and none is required. */
export const describeBrowser: typeof describe = ((name: string, fn: () => void) =>
  browserAvailable() ? describe(name, fn) : describe.skip(name, fn)) as typeof describe;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** What a browser test file gets. */
export interface BrowserApp {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  app: FastifyInstance;
  db: Db;
  /** A vendor credential for signing in. */
  credential: { clientId: string; secret: string };
  /** `Authorization` header value with a live environment token, for setting data up through the API. */
  auth: string;
  browser: Browser;
  /** A fresh browser context (own cookies) and page; closed after each test. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  /** Calls the API with the environment token. */
  api<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
}

/**
 * Starts a server on a free port and Chromium before the file's tests; stops both after. `env` adds
 * configuration; a function is called when the server starts, after the `beforeAll` hooks registered
 * before this one (a stand-in whose URLs go into the configuration).
 */
export function useBrowserApp(env: Record<string, string> | (() => Record<string, string>) = {}): BrowserApp {
  const ctx = {} as BrowserApp & { database: TestDatabase; contexts: BrowserContext[] };
  ctx.contexts = [];
  beforeAll(async () => {
    const { db, database } = await openTestDb('sqlite');
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const config = loadConfig({ LOG_LEVEL: 'silent', PUBLIC_URL: baseUrl, DATABASE_URL: database.url, SCIM_RATE_LIMIT: '0', SCIM_COST_LIMIT: '0', SCIM_CONCURRENCY_LIMIT: '0', AUTH_FAILURE_LIMIT: '0', ...(typeof env === 'function' ? env() : env) });
    const app = await buildApp({ config, db });
    await app.listen({ port, host: '127.0.0.1' });
    const credential = await app.services.auth.createCredential('browser test');
    const exchanged = await app.services.auth.exchange(credential.clientId, credential.secret);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    Object.assign(ctx, { app, db, database, baseUrl, credential, auth: `Bearer ${exchanged!.token}`, browser });
  });
  afterEach(async () => {
    for (const context of ctx.contexts.splice(0)) await context.close().catch(() => undefined);
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.app?.close();
    await ctx.db?.close();
    await ctx.database?.drop();
  });
  ctx.newPage = async (options = {}) => {
    const context = await ctx.browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 }, baseURL: ctx.baseUrl });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.baseUrl });
    ctx.contexts.push(context);
    const page = await context.newPage();
    // A page error (an exception in React) fails the test that caused it.
    page.on('pageerror', (error) => {
      throw error;
    });
    return page;
  };
  ctx.api = async (method, path, body, headers = {}) => {
    const response = await fetch(`${ctx.baseUrl}${path}`, {
      method,
      headers: { authorization: ctx.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
  };
  return ctx;
}

/** Signs in to the dashboard with the file's credential and waits for the accounts page. */
export async function signIn(page: Page, ctx: BrowserApp): Promise<void> {
  await page.goto('/dashboard');
  await page.getByLabel('Client ID').fill(ctx.credential.clientId);
  await page.getByLabel('Secret').fill(ctx.credential.secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * Saves a screenshot under docs/screenshots/ when SCREENSHOTS=1 (`npm run screenshots`); the
 * committed images come from such a run, so ordinary test runs leave the tree untouched.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  const dir = join(import.meta.dirname, '../../../docs/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
}

/** A SCIM request to one connection as its IdP sends it; fails the test unless it succeeds. */
export type ScimCall = (method: string, path: string, body: unknown) => Promise<{ id: string }>;

/** Creates tenant `tenantId` and an Okta connection in it through the API; a SCIM caller for it. */
export async function scimConnection(ctx: BrowserApp, tenantId: string, connectionName: string, tenantName = 'Acme Corp'): Promise<ScimCall> {
  const tenant = await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId, name: tenantName });
  if (tenant.status !== 201) throw new Error(`tenant not created: ${tenant.status}`);
  const created = await ctx.api<{ id: string; token: string }>('POST', '/directory/resources/v1/configurations/scim2', { source: 'okta', connectionName, syncToUserManagement: true }, { 'frontegg-tenant-id': tenantId });
  if (created.status !== 201) throw new Error(`connection not created: ${created.status}`);
  return async (method, path, body) => {
    const response = await fetch(`${ctx.baseUrl}/directory/resources/scim/v2.0/${created.body.id}${path}`, {
      method,
      headers: { authorization: `Bearer ${created.body.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`SCIM ${method} ${path}: ${response.status}`);
    const text = await response.text();
    return (text ? JSON.parse(text) : {}) as { id: string };
  };
}
