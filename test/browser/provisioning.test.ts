/**
 * The dashboard's Provisioning section in a real browser against a real server: create a connection
 * through the dialog (URL copied, token shown once, Okta guide), real SCIM traffic to the copied URL
 * (counts, health), the sync switch, token rotation and revocation, and deletion with its users.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, screenshot, signIn, useBrowserApp } from './support/browser.js';

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A SCIM request as an IdP sends it. */
async function scim(url: string, token: string, method: string, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

const user = (userName: string) => ({
  schemas: [SCIM_USER],
  userName,
  name: { givenName: userName.split('@')[0], familyName: 'Test' },
  emails: [{ value: userName, type: 'work', primary: true }],
});

/** Reloads until `check` passes (the request log is written in batches, a moment behind). */
async function eventually(page: Page, ready: () => Promise<void>, check: () => Promise<void>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    await ready();
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.waitForTimeout(300);
      await page.reload();
    }
  }
}

describeBrowser('dashboard provisioning', () => {
  const ctx = useBrowserApp();
  const tenantId = 'acme-prov';
  const state = { url: '', token: '', newToken: '', connectionId: '' };

  it('creates an Okta connection, receives SCIM traffic, switches sync and rotates its token', async () => {
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId, name: 'Acme Provisioning' })).status).toBe(201);
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    await signIn(page, ctx);
    await page.goto(`/dashboard/accounts/${tenantId}/provisioning`);
    await page.getByRole('heading', { name: 'No SCIM connections yet' }).waitFor();

    // Step 1: provider and name are required.
    await page.getByRole('button', { name: 'Create connection' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create SCIM connection' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Create connection' }).click();
    await dialog.getByText('Choose the identity provider.').waitFor();
    await dialog.getByText('Name the connection.').waitFor();
    const okta = dialog.getByRole('button', { name: 'Okta', exact: true });
    expect(await okta.getAttribute('aria-pressed')).toBe('false');
    await okta.click();
    expect(await okta.getAttribute('aria-pressed')).toBe('true');
    await dialog.getByLabel('Connection name').fill('Okta production');
    expect(await dialog.getByLabel('Sync to user management').isChecked()).toBe(true);
    expect(await dialog.getByText('Choose the identity provider.').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Create connection' }).click();

    // Step 2: URL (copied with the Copy button), the token once, the Okta guide.
    const created = page.getByRole('dialog', { name: 'Connection created' });
    await created.waitFor();
    await created.getByRole('button', { name: 'Copy Provisioning URL' }).click();
    await created.getByText('Provisioning URL copied to the clipboard').waitFor({ state: 'attached' });
    state.url = await page.evaluate(() => navigator.clipboard.readText());
    expect(state.url).toMatch(new RegExp(`^${ctx.baseUrl}/directory/resources/scim/v2\\.0/[^/]+$`));
    expect(await created.getByTestId('provisioning-url').inputValue()).toBe(state.url);
    state.connectionId = state.url.split('/').pop()!;
    state.token = await created.getByTestId('connection-token').inputValue();
    expect(state.token.length).toBeGreaterThan(20);
    await created.getByText('it will not be shown again').waitFor();
    await created.getByRole('heading', { name: 'Set up Okta' }).waitFor();
    await created.getByText('SCIM connector base URL').first().waitFor();
    await created.getByText('Push New Users').first().waitFor();
    await screenshot(page, 'create-connection');

    // Closing without confirming the copy is refused; confirming closes, and the token is gone for good.
    await page.keyboard.press('Escape');
    await created.getByRole('alert').getByText('The token will not be shown again').waitFor();
    expect(await created.isVisible()).toBe(true);
    await created.getByLabel('I have copied the token').check();
    await created.getByRole('button', { name: 'Done' }).click();
    await created.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: /Okta production/ });
    await row.waitFor();
    expect(await page.content()).not.toContain(state.token);
    await row.getByRole('cell', { name: 'No requests yet' }).waitFor();

    // Real SCIM traffic to the copied URL with the token.
    const ada = await scim(`${state.url}/Users`, state.token, 'POST', user('ada@acme.test'));
    const bob = await scim(`${state.url}/Users`, state.token, 'POST', user('bob@acme.test'));
    expect([ada.status, bob.status]).toEqual([201, 201]);
    const group = await scim(`${state.url}/Groups`, state.token, 'POST', { schemas: [SCIM_GROUP], displayName: 'Engineering', members: [{ value: ada.body.id }] });
    expect(group.status).toBe(201);
    expect((await scim(`${state.url}/Users`, state.token, 'POST', user('ada@acme.test'))).status).toBe(409);

    await eventually(
      page,
      () => row.waitFor(),
      async () => {
        await row.getByRole('link', { name: '2 users of Okta production' }).waitFor({ timeout: 100 });
        await row.getByRole('link', { name: '1 group of Okta production' }).waitFor({ timeout: 100 });
        await row.getByText('1 error in 24h').waitFor({ timeout: 100 });
      },
    );
    expect(await row.getByText('Never').count()).toBe(0); // the last sync is set
    // The last error, on expand.
    await row.getByText('1 error in 24h').click();
    await row.getByText(/409 uniqueness/).waitFor();
    await screenshot(page, 'provisioning');

    // Sync to user management: optimistic switch, saved on the server.
    await row.getByRole('button', { name: 'Manage Okta production' }).click();
    const settings = page.getByRole('group', { name: 'Settings of Okta production' });
    expect(await settings.getByTestId('row-provisioning-url').inputValue()).toBe(state.url);
    const sync = settings.getByRole('switch', { name: 'Sync to user management' });
    expect(await sync.isChecked()).toBe(true);
    await sync.click();
    expect(await sync.isChecked()).toBe(false);
    await expect
      .poll(async () => (await ctx.api<{ syncToUserManagement: boolean }>('GET', `/directory/resources/v1/configurations/scim2/${state.connectionId}`)).body.syncToUserManagement)
      .toBe(false);
    await expect.poll(() => sync.isDisabled()).toBe(false);
    // Back on: a staging connection's data is always removed on delete, and the delete below offers the choice.
    await sync.click();
    await expect
      .poll(async () => (await ctx.api<{ syncToUserManagement: boolean }>('GET', `/directory/resources/v1/configurations/scim2/${state.connectionId}`)).body.syncToUserManagement)
      .toBe(true);
    await expect.poll(() => sync.isDisabled()).toBe(false);

    // Rotate: a new token, shown once, that works next to the old one until the old one is revoked.
    await settings.getByRole('button', { name: 'Rotate token' }).click();
    const tokens = page.getByRole('dialog', { name: 'Tokens of Okta production' });
    await tokens.getByRole('button', { name: 'Issue new token' }).click();
    state.newToken = await tokens.getByTestId('new-token').inputValue();
    expect(state.newToken).not.toBe(state.token);
    await tokens.getByText('The old token keeps working until you revoke it').waitFor();
    expect((await scim(`${state.url}/Users`, state.newToken, 'GET')).status).toBe(200);
    expect((await scim(`${state.url}/Users`, state.token, 'GET')).status).toBe(200);
    const tokenRows = tokens.getByRole('row').filter({ has: page.getByRole('button', { name: /^Revoke/ }) });
    await expect.poll(() => tokenRows.count()).toBe(2);
    const oldRow = tokenRows.filter({ hasNot: page.getByText('New', { exact: true }) });
    await oldRow.getByRole('button', { name: /^Revoke/ }).click();
    await oldRow.getByRole('button', { name: /^Revoke .* now$/ }).click();
    await expect.poll(() => tokenRows.count()).toBe(1);
    expect((await scim(`${state.url}/Users`, state.token, 'GET')).status).toBe(401);
    expect((await scim(`${state.url}/Users`, state.newToken, 'GET')).status).toBe(200);
    // The last live token cannot be revoked: the API's 409 is shown.
    await tokenRows.getByRole('button', { name: /^Revoke/ }).click();
    await tokenRows.getByRole('button', { name: /^Revoke .* now$/ }).click();
    await tokens.getByRole('alert').waitFor();
    expect(await tokens.getByRole('alert').textContent()).toContain('last live token');
    await tokens.getByRole('button', { name: 'Close', exact: true }).last().click();
    await tokens.waitFor({ state: 'detached' });
  }, 40_000);

  it('deletes the connection with its users and groups (box checked by default)', async () => {
    expect(state.connectionId).not.toBe('');
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    await signIn(page, ctx);
    await page.goto(`/dashboard/accounts/${tenantId}/provisioning`);
    const row = page.getByRole('row', { name: /Okta production/ });
    await row.getByRole('button', { name: 'Manage Okta production' }).click();
    await page.getByRole('group', { name: 'Settings of Okta production' }).getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete connection' });
    await dialog.getByText('Okta production').first().waitFor();
    const remove = dialog.getByLabel(/Remove all associated users and groups/);
    expect(await remove.isChecked()).toBe(true);
    await dialog.getByText('(2 users, 1 group)', { exact: false }).waitFor();
    await dialog.getByText('detached data', { exact: false }).waitFor();
    await screenshot(page, 'delete-connection');
    await dialog.getByRole('button', { name: 'Delete connection' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Okta production was deleted with its users and groups.').waitFor();
    await page.getByRole('heading', { name: 'No SCIM connections yet' }).waitFor();

    const users = await ctx.api<{ items: unknown[] }>('GET', `/api/v1/tenants/${tenantId}/users`);
    expect(users.status).toBe(200);
    expect(users.body.items).toEqual([]);
    const groups = await ctx.api<{ items: unknown[] }>('GET', `/api/v1/tenants/${tenantId}/groups`);
    expect(groups.body.items).toEqual([]);
    expect((await ctx.api<unknown[]>('GET', `/directory/resources/v1/configurations/scim2?tenantId=${tenantId}`)).body).toEqual([]);
    expect((await scim(`${state.url}/Users`, state.newToken, 'GET')).status).toBe(401);
  });
});
