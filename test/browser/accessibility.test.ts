/**
 * Accessibility of the web UI in a real browser against a real server: axe-core (WCAG 2.0/2.1 A and AA)
 * on every main screen of the dashboard and the portal, with their dialogs open; keyboard use of the
 * connection dialogs and the monitoring log; and narrow windows (1024 and 800 px wide) where nothing
 * may overflow sideways and the main actions stay visible and clickable.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, signIn, useBrowserApp } from './support/browser.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const NARROW_WINDOWS = [
  { width: 1024, height: 768 },
  { width: 800, height: 900 },
];
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PROVISIONING_PERMISSIONS = ['fe.secure.read.provisioningConfiguration', 'fe.secure.write.provisioningConfiguration', 'fe.secure.delete.provisioningConfiguration'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core in the page; the serious and critical violations, one line each (rule, impact, nodes). */
async function seriousViolations(page: Page, screen: string): Promise<string[]> {
  // page.evaluate is not subject to the page's CSP (a <script> tag would be refused by it).
  if (!(await page.evaluate(() => Boolean((window as unknown as { axe?: unknown }).axe)))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    WCAG_TAGS,
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Navigates the single-page app as its links do (no reload: axe stays injected). */
async function go(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    window.history.pushState(null, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** The element that has focus: its tag, role-ish name, and whether it is inside an open dialog. */
function focused(page: Page): Promise<{ tag: string; text: string; label: string; inDialog: boolean; type: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      text: (el?.textContent ?? '').trim(),
      label: el?.getAttribute('aria-label') ?? (el?.id ? (document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '') : ''),
      inDialog: Boolean(el?.closest('dialog[open]')),
      type: el?.getAttribute('type') ?? '',
    };
  });
}

/** Presses Tab until `match` says the focused element is the one wanted; false when it never is. */
async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 40): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (match(await focused(page))) return true;
  }
  return false;
}

describeBrowser('accessibility and narrow windows', () => {
  const ctx = useBrowserApp();
  const tenantId = 'acme';
  const ids = { connection: '', user: '', group: '' };
  let portalToken = '';

  async function scim(path: string, body: unknown, token: string, method = 'POST'): Promise<{ status: number; body: { id?: string } }> {
    const response = await fetch(`${ctx.baseUrl}/directory/resources/scim/v2.0/${ids.connection}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }

  beforeAll(async () => {
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId, name: 'Acme Corp' })).status).toBe(201);
    const created = await ctx.api<{ id: string; token: string }>(
      'POST',
      '/directory/resources/v1/configurations/scim2',
      { source: 'okta', connectionName: 'Acme Okta', syncToUserManagement: true },
      { 'frontegg-tenant-id': tenantId },
    );
    expect(created.status).toBe(201);
    ids.connection = created.body.id;
    const token = created.body.token;
    const ada = await scim('/Users', { schemas: [USER_SCHEMA], userName: 'ada', name: { givenName: 'Ada', familyName: 'Lovelace' }, emails: [{ value: 'ada@acme.test', primary: true }], active: true }, token);
    expect(ada.status).toBe(201);
    ids.user = String(ada.body.id);
    const grace = await scim('/Users', { schemas: [USER_SCHEMA], userName: 'grace', name: { givenName: 'Grace', familyName: 'Hopper' }, active: false }, token);
    expect(grace.status).toBe(201);
    const group = await scim('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: ids.user }] }, token);
    expect(group.status).toBe(201);
    ids.group = String(group.body.id);
    // Failing requests for monitoring: a duplicate userName (409) and a wrong token (401).
    expect((await scim('/Users', { schemas: [USER_SCHEMA], userName: 'ada' }, token)).status).toBe(409);
    expect((await scim('/Users', undefined, 'not-the-token', 'GET')).status).toBe(401);
    await heldAndStagingConnections();
    await ctx.app.requestLog.flush();

    expect((await ctx.api('PATCH', '/api/v1/settings', { selfService: { scimProvisioning: true } })).status).toBe(200);
    const catalogue = { predefined: ['jobTitle', 'department'], custom: [{ key: 'costCode', type: 'number', description: 'Cost code', required: true }] };
    expect((await ctx.api('PUT', '/api/v1/attributes', catalogue)).status).toBe(200);
    const minted = await ctx.api<{ token: string }>('POST', '/api/v1/user-tokens', { tenantId, userId: 'admin-1', email: 'admin@acme.test', permissions: PROVISIONING_PERMISSIONS });
    expect(minted.status).toBe(201);
    portalToken = minted.body.token;
    expect((await ctx.api('POST', '/api/v1/webhooks', { url: 'https://hooks.example.test/rollcall' })).status).toBe(201);
  });

  /**
   * Acme Held, in review mode, holds one deactivation for review; Acme Staging (not synced to user
   * management) has a user to preview going live with.
   */
  async function heldAndStagingConnections(): Promise<void> {
    const connection = async (connectionName: string, syncToUserManagement: boolean) => {
      const created = await ctx.api<{ id: string; token: string; provisioningUrl: string }>('POST', '/directory/resources/v1/configurations/scim2', { source: 'okta', connectionName, syncToUserManagement }, { 'frontegg-tenant-id': tenantId });
      expect(created.status).toBe(201);
      return created.body;
    };
    const send = async (target: { provisioningUrl: string; token: string }, method: string, path: string, body: unknown) => {
      const response = await fetch(`${target.provisioningUrl}${path}`, { method, headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
      expect(response.status).toBeLessThan(300);
      return (await response.json()) as { id: string };
    };
    const held = await connection('Acme Held', true);
    expect((await ctx.api('PUT', `/api/v1/connections/${held.id}/deprovisioning`, { mode: 'review' })).status).toBe(200);
    const leaver = await send(held, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'held@acme.test', active: true });
    await send(held, 'PATCH', `/Users/${leaver.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
    const staging = await connection('Acme Staging', false);
    await send(staging, 'POST', '/Users', { schemas: [USER_SCHEMA], userName: 'new@acme.test', emails: [{ value: 'new@acme.test', primary: true }], active: true });
  }

  /** Signs in through the form once; later pages reuse the session cookie. */
  let cookies: Awaited<ReturnType<BrowserContext['cookies']>> = [];
  async function openSignedIn(): Promise<Page> {
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    if (cookies.length === 0) {
      await signIn(page, ctx);
      cookies = await page.context().cookies();
    } else await page.context().addCookies(cookies);
    return page;
  }

  async function openPortal(): Promise<Page> {
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`/portal?token=${encodeURIComponent(portalToken)}`);
    await page.getByRole('row', { name: /Acme Okta/ }).waitFor();
    return page;
  }

  it('has no serious or critical axe violations on any screen', async () => {
    const found: string[] = [];
    const check = async (page: Page, screen: string) => found.push(...(await seriousViolations(page, screen)));

    // The sign-in page, then signing in on it: this page is used for every dashboard screen.
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    await page.goto('/dashboard');
    await page.getByLabel('Client ID').waitFor();
    await check(page, 'sign-in');
    // The check can fail: an input without a label and faint text are reported.
    await page.evaluate(() => document.querySelector('form')!.insertAdjacentHTML('beforeend', '<input type="text"><p style="color:#c8c8c8;background:#fff">Faint</p>'));
    const planted = await seriousViolations(page, 'planted');
    expect(planted.some((v) => v.startsWith('planted: label (critical)'))).toBe(true);
    expect(planted.some((v) => v.startsWith('planted: color-contrast (serious)'))).toBe(true);
    await signIn(page, ctx);
    cookies = await page.context().cookies();

    const visit = async (path: string, screen: string, ready: (p: Page) => Locator) => {
      await go(page, path);
      await ready(page).first().waitFor();
      await check(page, screen);
    };
    await visit('/dashboard/accounts', 'accounts', (p) => p.getByRole('link', { name: 'Acme Corp' }));

    await visit(`/dashboard/accounts/${tenantId}/provisioning`, 'provisioning', (p) => p.getByRole('row', { name: /Acme Okta/ }));
    await page.getByRole('button', { name: 'Manage Acme Okta' }).click();
    await page.getByRole('group', { name: 'Settings of Acme Okta' }).waitFor();
    await check(page, 'provisioning (connection expanded)');
    await page.getByRole('group', { name: 'Settings of Acme Okta' }).getByRole('button', { name: 'Attributes' }).click();
    const mappings = page.getByRole('dialog', { name: 'Attribute mappings of Acme Okta' });
    await mappings.getByText('Values below are what these sources give for').waitFor();
    await mappings.getByLabel('Source of costCode', { exact: true }).fill('title eq');
    await mappings.getByText(/Not a SCIM attribute path/).waitFor();
    await check(page, 'attribute mappings dialog (with a path error)');
    await page.keyboard.press('Escape');
    await mappings.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Create connection' }).click();
    const create = page.getByRole('dialog', { name: 'Create SCIM connection' });
    await create.getByRole('button', { name: 'Create connection' }).click();
    await create.getByText('Name the connection.').waitFor();
    await check(page, 'create connection, step 1 (with errors)');
    await create.getByRole('button', { name: 'Okta', exact: true }).click();
    await create.getByLabel('Connection name').fill('Second Okta');
    await create.getByRole('button', { name: 'Create connection' }).click();
    const createdDialog = page.getByRole('dialog', { name: 'Connection created' });
    await createdDialog.getByTestId('connection-token').waitFor();
    await check(page, 'create connection, step 2');
    await createdDialog.getByLabel('I have copied the token').check();
    await createdDialog.getByRole('button', { name: 'Done' }).click();
    await createdDialog.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Second Okta/ }).getByRole('button', { name: 'Manage Second Okta' }).click();
    await page.getByRole('group', { name: 'Settings of Second Okta' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete connection' }).getByLabel(/Remove all associated users and groups/).waitFor();
    await check(page, 'delete connection dialog');
    await page.keyboard.press('Escape');
    // A Google Workspace connection: created in the same dialog, then its own dialog (no OAuth client here: the service account way).
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('dialog', { name: 'Create SCIM connection' }).getByRole('button', { name: 'Google Workspace' }).click();
    const createGoogle = page.getByRole('dialog', { name: 'Create Google Workspace connection' });
    await createGoogle.getByLabel('Connection name').fill('Acme Google');
    await createGoogle.getByRole('button', { name: 'Create connection' }).click();
    const connectGoogle = page.getByRole('dialog', { name: 'Connection created' });
    await connectGoogle.getByRole('button', { name: 'Connect with the service account' }).click();
    await connectGoogle.getByText('Paste the key file’s contents, or choose the file.').waitFor();
    await check(page, 'create Google Workspace connection, step 2 (with errors)');
    await connectGoogle.getByRole('button', { name: 'Done' }).click();
    await connectGoogle.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Manage Acme Google' }).click();
    await page.getByRole('group', { name: 'Settings of Acme Google' }).getByRole('button', { name: 'Google Workspace' }).click();
    const googleDialog = page.getByRole('dialog', { name: 'Google Workspace sync of Acme Google' });
    await googleDialog.getByRole('heading', { name: 'No syncs yet' }).waitFor();
    await check(page, 'Google Workspace dialog');
    await page.keyboard.press('Escape');
    await googleDialog.waitFor({ state: 'detached' });
    // Safe deprovisioning: the banner, the review (a row selected, "Discard all" asking), the settings, and a staging connection's go-live preview.
    await check(page, 'provisioning (a connection holding changes)');
    await page.getByRole('region', { name: 'Acme Held: deprovisioning held' }).getByRole('button', { name: 'Review held changes of Acme Held' }).click();
    const review = page.getByRole('dialog', { name: 'Deprovisioning of Acme Held' });
    await review.getByRole('checkbox', { name: /^Select held@acme\.test/ }).check();
    await review.getByRole('button', { name: 'Discard all' }).click();
    await review.getByRole('group', { name: /^Discard all/ }).waitFor();
    await check(page, 'deprovisioning dialog (a row selected, "Discard all" asking)');
    await review.getByRole('tab', { name: 'Settings' }).click();
    await review.getByRole('form', { name: 'Deprovisioning settings' }).waitFor();
    await check(page, 'deprovisioning dialog, settings');
    await page.keyboard.press('Escape');
    await review.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Manage Acme Staging' }).click();
    await page.getByRole('group', { name: 'Settings of Acme Staging' }).getByRole('button', { name: 'Preview go-live' }).click();
    const goLive = page.getByRole('dialog', { name: 'Go-live preview of Acme Staging' });
    await goLive.getByRole('table', { name: 'Users that go live' }).waitFor();
    await goLive.getByRole('button', { name: 'Go live' }).click();
    await goLive.getByRole('group', { name: /^Publish/ }).waitFor();
    await check(page, 'go-live preview dialog (confirming)');
    await page.keyboard.press('Escape');
    await goLive.waitFor({ state: 'detached' });

    await visit(`/dashboard/accounts/${tenantId}/users`, 'users', (p) => p.getByRole('table', { name: 'Users' }).getByRole('link', { name: 'grace' }));
    await visit(`/dashboard/accounts/${tenantId}/users/${ids.user}`, 'user detail', (p) => p.getByRole('list', { name: 'Groups of this user' }).getByRole('link', { name: 'Engineering' }));
    await visit(`/dashboard/accounts/${tenantId}/groups`, 'groups', (p) => p.getByRole('link', { name: 'Engineering' }));
    await visit(`/dashboard/accounts/${tenantId}/groups/${ids.group}`, 'group detail', (p) => p.getByRole('table', { name: 'Members' }).getByRole('link', { name: 'ada' }));
    await visit(`/dashboard/accounts/${tenantId}/roles`, 'account roles', (p) => p.getByRole('button', { name: 'Edit roles of Engineering' }));

    await visit('/dashboard/monitoring', 'monitoring', (p) => p.getByRole('button', { name: 'Details of 409 POST /Users' }));
    await page.getByRole('button', { name: 'Details of 409 POST /Users' }).click();
    await page.getByRole('region', { name: 'Details of the 409 response' }).waitFor();
    await check(page, 'monitoring (failed row expanded)');

    await visit(`/dashboard/monitoring?tenantId=${tenantId}`, 'monitoring (an account holding changes)', (p) => p.getByRole('region', { name: 'Deprovisioning held' }));

    await visit('/dashboard/events', 'events', (p) => p.getByRole('table', { name: 'Events, newest first' }).getByText('user.created'));
    await visit('/dashboard/webhooks', 'webhooks', (p) => p.getByRole('link', { name: 'https://hooks.example.test/rollcall' }));
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByRole('dialog', { name: 'Add webhook' }).getByLabel('Endpoint URL').waitFor();
    await check(page, 'add webhook dialog');
    await page.keyboard.press('Escape');
    await visit('/dashboard/roles', 'roles', (p) => p.getByRole('button', { name: /^Edit role/ }));
    await visit('/dashboard/builder', 'builder', (p) => p.getByTestId('preview-add-connection'));
    await visit('/dashboard/attributes', 'attributes', (p) => p.getByRole('switch', { name: 'jobTitle' }));
    await page.getByRole('button', { name: 'Sources by provider of phoneNumber' }).click();
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByLabel('Key of custom attribute 2').fill('2fast');
    await page.getByRole('button', { name: 'Save attributes' }).click();
    await page.getByText(/"2fast" is not a valid key/).waitFor();
    await check(page, 'attributes (sources expanded, a key refused)');

    const portal = await openPortal();
    await check(portal, 'portal provisioning');
    await portal.getByRole('button', { name: 'Attributes of Acme Okta' }).click();
    await portal.getByRole('dialog', { name: 'Attribute mappings of Acme Okta' }).getByText('Values below are what these sources give for').waitFor();
    await check(portal, 'portal attribute mappings dialog');
    await portal.keyboard.press('Escape');
    await portal.getByRole('button', { name: 'Add connection' }).click();
    await portal.getByRole('dialog', { name: 'Create SCIM connection' }).getByLabel('Connection name').waitFor();
    await check(portal, 'portal add connection dialog');
    await portal.keyboard.press('Escape');
    await portal.getByRole('button', { name: 'New token for Acme Okta' }).click();
    await portal.getByRole('dialog', { name: 'New token for Acme Okta' }).getByRole('button', { name: 'Create new token' }).waitFor();
    await check(portal, 'portal new token dialog');
    await portal.keyboard.press('Escape');
    await portal.getByRole('button', { name: 'Delete Acme Okta' }).click();
    await portal.getByRole('dialog', { name: 'Delete connection' }).getByRole('checkbox').waitFor();
    await check(portal, 'portal delete connection dialog');
    await portal.keyboard.press('Escape');
    await portal.getByRole('button', { name: 'Google Workspace sync of Acme Google' }).click();
    await portal.getByRole('dialog', { name: 'Google Workspace sync of Acme Google' }).getByRole('heading', { name: 'No syncs yet' }).waitFor();
    await check(portal, 'portal Google Workspace dialog');
    await portal.keyboard.press('Escape');
    await portal.getByRole('button', { name: 'Review held changes of Acme Held' }).click();
    await portal.getByRole('dialog', { name: 'Deprovisioning of Acme Held' }).getByRole('table', { name: 'Held changes, oldest first' }).waitFor();
    await check(portal, 'portal deprovisioning dialog');

    expect(found, `axe found serious/critical violations:\n${found.join('\n')}`).toEqual([]);
  }, 60_000);

  it('is usable with the keyboard: the connection dialogs and the failed requests of monitoring', async () => {
    const page = await openSignedIn();
    await page.goto(`/dashboard/accounts/${tenantId}/provisioning`);
    await page.getByRole('row', { name: /Acme Okta/ }).waitFor();

    // Tab to "Create connection", Enter opens the dialog with focus inside; Escape closes it and focus comes back.
    expect(await tabTo(page, (f) => f.tag === 'button' && f.text === 'Create connection')).toBe(true);
    await page.keyboard.press('Enter');
    const create = page.getByRole('dialog', { name: 'Create SCIM connection' });
    await create.waitFor();
    expect((await focused(page)).inDialog).toBe(true);
    await page.keyboard.press('Escape');
    await create.waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Create connection', inDialog: false });

    // The delete dialog: its checkbox is checked by default and reached with Tab.
    await page.getByRole('button', { name: 'Manage Acme Okta' }).click();
    await page.getByRole('group', { name: 'Settings of Acme Okta' }).getByRole('button', { name: 'Delete' }).click();
    const remove = page.getByRole('dialog', { name: 'Delete connection' }).getByLabel(/Remove all associated users and groups/);
    expect(await remove.isChecked()).toBe(true);
    // Focus starts on the safe choice, Cancel, not on the box or the destructive button.
    expect(await focused(page)).toMatchObject({ tag: 'button', text: 'Cancel', inDialog: true });
    expect(await tabTo(page, (f) => f.inDialog && f.type === 'checkbox' && f.label.startsWith('Remove all associated users and groups'), 10)).toBe(true);
    await page.keyboard.press('Escape');

    // Monitoring: a failed row's button has aria-expanded and opens with Enter or Space.
    await go(page, '/dashboard/monitoring');
    const conflict = page.getByRole('button', { name: 'Details of 409 POST /Users' });
    const unauthorized = page.getByRole('button', { name: 'Details of 401 GET /Users' });
    await conflict.waitFor();
    expect(await conflict.getAttribute('aria-expanded')).toBe('false');
    expect(await tabTo(page, (f) => f.tag === 'button' && f.text.includes('Details of 409 POST /Users'), 60)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await conflict.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('region', { name: 'Details of the 409 response' }).waitFor();
    await unauthorized.focus();
    await page.keyboard.press('Space');
    expect(await unauthorized.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('region', { name: 'Details of the 401 response' }).waitFor();
    await page.keyboard.press('Space');
    expect(await unauthorized.getAttribute('aria-expanded')).toBe('false');
  });

  it('fits 1024×768 and 800×900 windows: no sideways scrolling, the main actions visible and clickable', async () => {
    const problems: string[] = [];
    /** Runs `check` at each window size, the page resized in place (its layout follows at once). */
    const atEachSize = async (page: Page, check: (size: string) => Promise<void>) => {
      for (const viewport of NARROW_WINDOWS) {
        await page.setViewportSize(viewport);
        await check(`${viewport.width}×${viewport.height}`);
      }
    };
    const noOverflow = async (page: Page, screen: string) => {
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      if (scrollWidth > innerWidth + 1) problems.push(`${screen}: the document is ${scrollWidth}px wide in a ${innerWidth}px window`);
    };
    /** Scrolls the action into view; it must then be inside the window and receive the pointer. */
    const reachable = async (page: Page, screen: string, action: Locator, name: string) => {
      await action.scrollIntoViewIfNeeded();
      const box = await action.boundingBox();
      const { width, height } = page.viewportSize()!;
      const inView = box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 1 && box.y + box.height <= height + 1;
      if (!inView) problems.push(`${screen}: "${name}" is not inside the window after scrolling (${JSON.stringify(box)})`);
      // A trial click runs Playwright's checks (visible, stable, enabled, not covered by another element) without clicking.
      await action.click({ trial: true, timeout: 2000 }).catch((error: Error) => problems.push(`${screen}: "${name}" is not clickable: ${error.message.split('\n')[0]}`));
    };

    const page = await openSignedIn();
    await page.goto('/dashboard/accounts');
    await page.getByRole('link', { name: 'Acme Corp' }).waitFor();
    await atEachSize(page, async (size) => {
      await noOverflow(page, `accounts ${size}`);
      await reachable(page, `accounts ${size}`, page.getByRole('button', { name: 'Create account' }), 'Create account');
      await reachable(page, `accounts ${size}`, page.getByLabel('Search accounts'), 'Search accounts');
    });

    await go(page, `/dashboard/accounts/${tenantId}/provisioning`);
    await page.getByRole('button', { name: 'Manage Acme Okta' }).click();
    const settings = page.getByRole('group', { name: 'Settings of Acme Okta' });
    await settings.waitFor();
    const create = page.getByRole('dialog', { name: 'Create SCIM connection' });
    await atEachSize(page, async (size) => {
      await noOverflow(page, `provisioning ${size}`);
      await reachable(page, `provisioning ${size}`, page.getByRole('button', { name: 'Create connection' }), 'Create connection');
      await reachable(page, `provisioning ${size}`, settings.getByRole('button', { name: 'Rotate token' }), 'Rotate token');
      await page.getByRole('button', { name: 'Create connection' }).click();
      await create.waitFor();
      await noOverflow(page, `create connection dialog ${size}`);
      await reachable(page, `create connection dialog ${size}`, create.getByRole('button', { name: 'Create connection' }), 'Create connection (submit)');
      await page.keyboard.press('Escape');
      await create.waitFor({ state: 'detached' });
    });

    const review = page.getByRole('dialog', { name: 'Deprovisioning of Acme Held' });
    await atEachSize(page, async (size) => {
      await page.getByRole('button', { name: 'Review held changes of Acme Held' }).click();
      await review.getByRole('table', { name: 'Held changes, oldest first' }).waitFor();
      await noOverflow(page, `deprovisioning dialog ${size}`);
      await reachable(page, `deprovisioning dialog ${size}`, review.getByRole('button', { name: 'Discard all' }), 'Discard all');
      await page.keyboard.press('Escape');
      await review.waitFor({ state: 'detached' });
    });

    const mappings = page.getByRole('dialog', { name: 'Attribute mappings of Acme Okta' });
    await atEachSize(page, async (size) => {
      await settings.getByRole('button', { name: 'Attributes' }).click();
      await mappings.getByLabel('Source of jobTitle', { exact: true }).waitFor();
      await noOverflow(page, `attribute mappings dialog ${size}`);
      await reachable(page, `attribute mappings dialog ${size}`, mappings.locator('.dialog-actions').getByRole('button', { name: 'Close' }), 'Close');
      await page.keyboard.press('Escape');
      await mappings.waitFor({ state: 'detached' });
    });

    await go(page, '/dashboard/attributes');
    await page.getByRole('switch', { name: 'jobTitle' }).waitFor();
    await atEachSize(page, async (size) => {
      await noOverflow(page, `attributes ${size}`);
      await reachable(page, `attributes ${size}`, page.getByRole('button', { name: 'Add attribute' }), 'Add attribute');
      await reachable(page, `attributes ${size}`, page.getByLabel('Key of custom attribute 1'), 'Key of custom attribute 1');
    });

    await go(page, `/dashboard/accounts/${tenantId}/users`);
    const users = page.getByRole('table', { name: 'Users' });
    await users.getByRole('link', { name: 'grace' }).waitFor();
    await atEachSize(page, async (size) => {
      await noOverflow(page, `users ${size}`);
      await reachable(page, `users ${size}`, page.getByLabel('Search users'), 'Search users');
      await reachable(page, `users ${size}`, users.getByRole('link', { name: 'ada' }), 'ada');
    });

    await go(page, '/dashboard/monitoring');
    const details = page.getByRole('button', { name: 'Details of 409 POST /Users' });
    await details.click();
    await page.getByRole('region', { name: 'Details of the 409 response' }).waitFor();
    await atEachSize(page, async (size) => {
      await noOverflow(page, `monitoring, a failed row expanded ${size}`);
      await reachable(page, `monitoring ${size}`, page.getByRole('group', { name: 'Filters' }).getByRole('button', { name: 'Refresh' }), 'Refresh');
      await reachable(page, `monitoring ${size}`, details, 'Details of 409 POST /Users');
    });

    const portal = await openPortal();
    const add = portal.getByRole('dialog', { name: 'Create SCIM connection' });
    await atEachSize(portal, async (size) => {
      await noOverflow(portal, `portal ${size}`);
      await reachable(portal, `portal ${size}`, portal.getByRole('button', { name: 'Add connection' }), 'Add connection');
      await reachable(portal, `portal ${size}`, portal.getByRole('button', { name: 'Delete Acme Okta' }), 'Delete Acme Okta');
      await reachable(portal, `portal ${size}`, portal.getByRole('button', { name: 'New token for Acme Okta' }), 'New token for Acme Okta');
      await portal.getByRole('button', { name: 'Add connection' }).click();
      await add.waitFor();
      await noOverflow(portal, `portal add connection dialog ${size}`);
      await reachable(portal, `portal add connection dialog ${size}`, add.getByRole('button', { name: 'Create connection' }), 'Create connection (submit)');
      await portal.keyboard.press('Escape');
      await add.waitFor({ state: 'detached' });
    });

    expect(problems, problems.join('\n')).toEqual([]);
  });
});
