/**
 * Accounts, provisioned users and groups, monitoring and the event feed in a real browser, on data
 * pushed through the real SCIM endpoint (including a 409 and a 401 that monitoring must explain).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, screenshot, signIn, useBrowserApp } from './support/browser.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const SECRET_PASSWORD = 'Hunter2-never-shown';

/** Whether the page's table fits its box (no horizontal scrolling). */
function fitsWithoutSideScroll(page: Page): Promise<boolean> {
  return page.locator('.table-wrap').evaluate((el) => {
    const box = el as unknown as { scrollWidth: number; clientWidth: number };
    return box.scrollWidth <= box.clientWidth + 1;
  });
}

describeBrowser('dashboard: accounts, directory, monitoring and events', () => {
  const ctx = useBrowserApp();
  let connectionId = '';
  let adaId = '';

  async function scim(method: string, path: string, body: unknown, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${ctx.baseUrl}/directory/resources/scim/v2.0/${connectionId}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', 'user-agent': 'Okta SCIM Client 1.0' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }

  beforeAll(async () => {
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId: 'acme', name: 'Acme Corp' })).status).toBe(201);
    const created = await ctx.api<{ id: string; token: string }>(
      'POST',
      '/directory/resources/v1/configurations/scim2',
      { source: 'okta', connectionName: 'Acme Okta', syncToUserManagement: true },
      { 'frontegg-tenant-id': 'acme' },
    );
    expect(created.status).toBe(201);
    connectionId = created.body.id;
    const token = created.body.token;

    const ada = await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'ada', externalId: 'okta-ada', name: { givenName: 'Ada', familyName: 'Lovelace' }, emails: [{ value: 'ada.lovelace@acme.test', primary: true, type: 'work' }], active: true }, token);
    expect(ada.status).toBe(201);
    adaId = String(ada.body.id);
    const grace = await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'grace', name: { givenName: 'Grace', familyName: 'Hopper' }, emails: [{ value: 'grace.hopper@acme.test', primary: true }], active: true }, token);
    expect(grace.status).toBe(201);
    const group = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: adaId }] }, token);
    expect(group.status).toBe(201);
    // The IdP re-creates a user it lost track of: 409 uniqueness, with a password that must never be shown.
    const duplicate = await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'ada', password: SECRET_PASSWORD, emails: [{ value: 'ada.lovelace@acme.test' }] }, token);
    expect(duplicate.status).toBe(409);
    // A revoked token.
    expect((await scim('GET', '/Users', undefined, 'not-the-token')).status).toBe(401);
    await ctx.app.requestLog.flush();
  });

  /** Signs in through the form once; later tests reuse the session cookie. */
  let cookies: Awaited<ReturnType<BrowserContext['cookies']>> = [];
  async function openSignedIn(): Promise<Page> {
    const page = await ctx.newPage();
    if (cookies.length > 0) {
      await page.context().addCookies(cookies);
      return page;
    }
    await signIn(page, ctx);
    cookies = await page.context().cookies();
    return page;
  }

  it('creates an account through the dialog, refuses a taken tenant ID, and finds accounts by search', async () => {
    const page = await openSignedIn();
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Acme Corp' }).waitFor();

    // A taken tenant ID is answered with 409, shown in the form, and the dialog stays open.
    await page.getByRole('button', { name: 'Create account' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create account' });
    await dialog.getByLabel('Name').fill('Acme again');
    await dialog.getByLabel('Tenant ID').fill('acme');
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await dialog.getByText('A tenant with tenantId "acme" already exists').waitFor();

    await dialog.getByLabel('Name').fill('Globex Corporation');
    await dialog.getByLabel('Tenant ID').fill('globex');
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/dashboard/accounts/globex/provisioning');
    expect((await ctx.api<{ name: string }>('GET', '/tenants/resources/tenants/v1/globex')).body.name).toBe('Globex Corporation');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await page.getByText('1–2 of 2').waitFor();
    await page.getByLabel('Search accounts').fill('glob');
    await page.waitForURL(/\/dashboard\/accounts\?q=glob$/);
    await page.getByText('1–1 of 1').waitFor();
    await page.getByRole('link', { name: 'Globex Corporation' }).waitFor();
    await expect(page.getByRole('link', { name: 'Acme Corp' }).count()).resolves.toBe(0);
    await screenshot(page, 'accounts');

    await page.getByLabel('Search accounts').fill('no-such-account');
    await page.getByRole('heading', { name: 'No accounts match your search' }).waitFor();
  });

  it('lists, searches and opens provisioned users and groups', async () => {
    const page = await openSignedIn();
    await page.goto('/dashboard/accounts/acme/users');
    const users = page.getByRole('table', { name: 'Users' });
    await users.getByRole('link', { name: 'grace' }).waitFor();
    await page.getByLabel('Search users').fill('lovelace@');
    await page.waitForURL(/q=lovelace/);
    await users.getByRole('link', { name: 'grace' }).waitFor({ state: 'detached' });
    await users.getByRole('link', { name: 'ada' }).waitFor();
    await users.getByText('Active', { exact: true }).waitFor();
    await users.getByText('Acme Okta').waitFor();
    await screenshot(page, 'users');

    // The connection filter reads that connection's own list.
    await page.getByLabel('Connection').selectOption({ label: 'Acme Okta' });
    await page.waitForURL(new RegExp(`connectionId=${connectionId}`));
    await users.getByRole('link', { name: 'ada' }).waitFor();

    await users.getByRole('link', { name: 'ada' }).click();
    await page.waitForURL(`**/dashboard/accounts/acme/users/${adaId}`);
    await page.getByRole('heading', { name: /Ada Lovelace/ }).waitFor();
    const groups = page.getByRole('list', { name: 'Groups of this user' });
    await groups.getByRole('link', { name: 'Engineering' }).waitFor();
    const raw = page.getByLabel('Raw SCIM JSON');
    await expect(raw.textContent()).resolves.toContain('"externalId": "okta-ada"');
    await expect(raw.textContent()).resolves.toContain('ada.lovelace@acme.test');
    await screenshot(page, 'user-detail');

    await groups.getByRole('link', { name: 'Engineering' }).click();
    await page.getByRole('heading', { name: 'Members (1)' }).waitFor();
    const members = page.getByRole('table', { name: 'Members' });
    await members.getByRole('link', { name: 'ada' }).waitFor();
    await members.getByRole('link', { name: 'ada' }).click();
    await page.waitForURL(`**/users/${adaId}`);

    await page.goto('/dashboard/accounts/acme/groups?q=nothing-like-this');
    await page.getByRole('heading', { name: 'No groups match your search' }).waitFor();
  });

  it('shows the request log with a chart, filters errors and explains a 409', async () => {
    const page = await openSignedIn();
    await page.goto('/dashboard/accounts');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Monitoring' }).click();
    await page.getByRole('heading', { name: 'Monitoring', level: 1 }).waitFor();

    // The chart: an SVG with a bar for the connection, and its text alternative.
    const chart = page.getByRole('img', { name: /SCIM requests and errors over time/ });
    await chart.waitFor();
    expect(await page.locator(`svg rect.chart-bar[data-connection="${connectionId}"]`).count()).toBeGreaterThan(0);
    await page.locator('figure.chart .chart-total').getByText(/5 requests, 2 errors/).waitFor();
    await page.getByRole('list', { name: 'Connections' }).getByText('Acme Okta').waitFor();

    const log = page.getByRole('table', { name: 'SCIM requests, newest first' });
    await log.getByText('201', { exact: true }).first().waitFor();
    await page.getByLabel('Status').selectOption({ label: 'Errors (400 and above)' });
    await page.waitForURL(/status=error/);
    await log.getByText('201', { exact: true }).first().waitFor({ state: 'detached' });
    await expect(log.getByRole('button', { name: /Details/ }).count()).resolves.toBe(2);

    const details = log.getByRole('button', { name: 'Details of 409 POST /Users' });
    await expect(details.getAttribute('aria-expanded')).resolves.toBe('false');
    await details.focus();
    await page.keyboard.press('Enter');
    await expect(details.getAttribute('aria-expanded')).resolves.toBe('true');
    const explained = page.getByRole('region', { name: 'Details of the 409 response' });
    await explained.getByRole('heading', { name: 'A user with this userName already exists in this connection' }).waitFor();
    await explained.getByText(/match existing users on userName/).waitFor();
    await explained.getByText('userName "ada" is already in use in this connection').waitFor();
    const body = await explained.getByLabel('Request body (redacted)').textContent();
    expect(body).toContain('[redacted]');
    expect(body).not.toContain(SECRET_PASSWORD);
    await explained.getByText('Okta SCIM Client 1.0').waitFor();
    await page.getByRole('heading', { name: 'Request log' }).evaluate((el) => (el as unknown as { scrollIntoView(): void }).scrollIntoView());
    await screenshot(page, 'monitoring');
    // Down to a 1000px window the log, with a row expanded, fits without scrolling sideways.
    await page.setViewportSize({ width: 1000, height: 800 });
    await expect(fitsWithoutSideScroll(page)).resolves.toBe(true);

    // The 401 explains the token; the filters survive a reload (they live in the URL).
    await page.reload();
    await log.getByRole('button', { name: 'Details of 401 GET /Users' }).click();
    await page.getByRole('region', { name: 'Details of the 401 response' }).getByText(/Copy the provisioning token again/).waitFor();
    await page.getByLabel('Status').selectOption({ label: '2xx success' });
    await log.getByRole('button', { name: /Details/ }).first().waitFor({ state: 'detached' });
    await expect(log.getByText('201', { exact: true }).count()).resolves.toBe(3);
  });

  it('shows the event feed with user.created events and their data', async () => {
    const page = await openSignedIn();
    await page.goto('/dashboard/events');
    await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Events, newest first' });
    await table.getByText('user.created', { exact: true }).first().waitFor();
    expect(await table.getByText('user.created', { exact: true }).count()).toBe(2);
    await page.getByLabel('Type').selectOption('group.created');
    await page.waitForURL(/type=group\.created/);
    await table.getByText('user.created', { exact: true }).first().waitFor({ state: 'detached' });
    const row = table.getByRole('row').filter({ hasText: 'Engineering' });
    await row.getByRole('button', { name: /^Data of group\.created/ }).click();
    await expect(table.getByLabel(/^Data of event/).textContent()).resolves.toContain('"displayName": "Engineering"');
    await page.getByLabel('Type').selectOption('');
    await table.getByText('user.created', { exact: true }).first().waitFor();
    await screenshot(page, 'events');
    await page.setViewportSize({ width: 1000, height: 800 });
    await expect(fitsWithoutSideScroll(page)).resolves.toBe(true);
  });
});
