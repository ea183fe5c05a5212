/**
 * The self-service portal in a real browser against a real server: user tokens (in the URL or handed
 * over by postMessage inside an iframe), the builder switch, permissions deciding what is offered,
 * creating and deleting connections, and the expired/invalid state. Other tenants never show.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, screenshot, useBrowserApp } from './support/browser.js';

const READ = 'fe.secure.read.provisioningConfiguration';
const WRITE = 'fe.secure.write.provisioningConfiguration';
const DELETE = 'fe.secure.delete.provisioningConfiguration';
const CONFIGS = '/directory/resources/v1/configurations/scim2';

describeBrowser('self-service portal', () => {
  // The iframe test embeds the portal in a page of Rollcall's own origin.
  const ctx = useBrowserApp({ FRAME_ANCESTORS: "'self'" });
  const tenantId = 'acme-portal';
  const otherTenant = 'globex-portal';

  async function mint(permissions: string[], userId = 'admin-1'): Promise<string> {
    const minted = await ctx.api<{ token: string }>('POST', '/api/v1/user-tokens', { tenantId, userId, email: `${userId}@acme.test`, permissions });
    expect(minted.status).toBe(201);
    return minted.body.token;
  }

  async function createConnection(tenant: string, connectionName: string, source = 'azure-ad') {
    const created = await ctx.api<{ id: string; token: string; provisioningUrl: string }>('POST', CONFIGS, { source, connectionName }, { 'frontegg-tenant-id': tenant });
    expect(created.status).toBe(201);
    return created.body;
  }

  const setScim = async (on: boolean) => expect((await ctx.api('PATCH', '/api/v1/settings', { selfService: { scimProvisioning: on } })).status).toBe(200);

  async function openPortal(token: string): Promise<Page> {
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`/portal?token=${encodeURIComponent(token)}`);
    return page;
  }

  beforeAll(async () => {
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId, name: 'Acme' })).status).toBe(201);
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId: otherTenant, name: 'Globex' })).status).toBe(201);
    await setScim(true);
    const logo = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="24"><rect width="64" height="24" fill="#0f766e"/></svg>').toString('base64')}`;
    const theme = await ctx.api('PATCH', '/api/v1/settings', { portal: { productName: 'Widgetly', brandColor: '#0f766e', logoUrl: logo } });
    expect(theme.status).toBe(200);
    await createConnection(tenantId, 'Acme Entra');
    await createConnection(otherTenant, 'Globex Secret Okta', 'okta');
  });

  it('opens with a token in the URL (taken out of the address), shows a read-only list, and the invalid/expired state', async () => {
    const token = await mint([READ]);
    const page = await openPortal(token);
    await page.getByRole('heading', { name: 'Directory provisioning' }).waitFor();
    expect(page.url()).not.toContain('token');
    expect(await page.evaluate(() => window.location.href)).toBe(`${ctx.baseUrl}/portal`);
    await page.getByRole('link', { name: 'Provisioning' }).waitFor();
    const row = page.getByRole('row', { name: /Acme Entra/ });
    await row.getByText('Microsoft Entra ID').waitFor();
    expect(await page.getByText('Globex Secret Okta').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add connection' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);

    // The theme the server sends is applied (product name in the header and the title, brand colour).
    const session = await page.evaluate(async () => (await fetch('/ui/portal/session')).json());
    expect(session.tenantId).toBe(tenantId);
    expect(session.theme.productName).toBe('Widgetly');
    await page.getByRole('banner').getByText('Widgetly').waitFor();
    await page.getByRole('banner').getByRole('img', { name: 'Widgetly' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.style.getPropertyValue('--brand'))).toBe('#0f766e');
    expect(await page.title()).toBe('Widgetly · Directory provisioning');

    // The setup guide of an existing connection: its URL, never a token.
    await row.getByRole('button', { name: 'Setup guide for Acme Entra' }).click();
    const guide = page.getByRole('dialog', { name: 'Set up Acme Entra' });
    expect(await guide.getByTestId('provisioning-url').inputValue()).toMatch(/\/directory\/resources\/scim\/v2\.0\//);
    await guide.getByText('Tenant URL').first().waitFor();
    await guide.getByRole('button', { name: 'Close', exact: true }).last().click();

    // The cookie session survives a reload without the token; signing out ends it.
    await page.reload();
    await page.getByRole('heading', { name: 'Directory provisioning' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'This link has expired or is invalid' }).waitFor();
    // A token that is not valid: the same state, and the token is still taken out of the address.
    await page.goto('/portal?token=not.a-valid.token');
    await page.getByRole('heading', { name: 'This link has expired or is invalid' }).waitFor();
    expect(page.url()).toBe(`${ctx.baseUrl}/portal`);
  });

  it('hides the Provisioning tab when the builder switch is off, and says why without the read permission', async () => {
    await setScim(false);
    try {
      const page = await openPortal(await mint([READ, WRITE, DELETE]));
      await page.getByRole('heading', { name: 'Provisioning is not available for your account' }).waitFor();
      expect(await page.getByRole('link', { name: 'Provisioning' }).count()).toBe(0);
      expect(await page.getByText('Acme Entra').count()).toBe(0);
    } finally {
      await setScim(true);
    }
    const page = await openPortal(await mint([WRITE]));
    await page.getByRole('heading', { name: "You don't have permission to view provisioning settings" }).waitFor();
    expect(await page.getByRole('link', { name: 'Provisioning' }).count()).toBe(0);
  });

  it('with read and write: adds a connection and shows its URL and token once', async () => {
    const page = await openPortal(await mint([READ, WRITE]));
    await page.getByRole('row', { name: /Acme Entra/ }).waitFor();
    expect(await page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Add connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create SCIM connection' });
    expect(await dialog.getByLabel('Sync to user management').count()).toBe(0);
    await dialog.getByRole('button', { name: 'JumpCloud' }).click();
    await dialog.getByLabel('Connection name').fill('Acme JumpCloud');
    await dialog.getByRole('button', { name: 'Create connection' }).click();

    const created = page.getByRole('dialog', { name: 'Connection created' });
    const url = await created.getByTestId('provisioning-url').inputValue();
    const token = await created.getByTestId('connection-token').inputValue();
    await created.getByRole('heading', { name: 'Set up JumpCloud' }).waitFor();
    await created.getByText('Token Key').first().waitFor();
    await created.getByText('it will not be shown again').waitFor();
    const users = await fetch(`${url}/Users`, { headers: { authorization: `Bearer ${token}` } });
    expect(users.status).toBe(200);
    // Done without confirming the copy is refused.
    await created.getByRole('button', { name: 'Done' }).click();
    await created.getByRole('alert').waitFor();
    await created.getByLabel('I have copied the token').check();
    await created.getByRole('button', { name: 'Done' }).click();
    await created.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Acme JumpCloud/ }).waitFor();
    expect(await page.content()).not.toContain(token);
    await screenshot(page, 'portal');

    // The server put it in the session's tenant (the portal sent none).
    const listed = await ctx.api<{ tenantId: string; connectionName: string }[]>('GET', `${CONFIGS}?connectionName=Acme%20JumpCloud`);
    expect(listed.body.map((c) => c.tenantId)).toEqual([tenantId]);
  });

  it('with read and delete: deletes a connection and its users, the box checked by default', async () => {
    const temp = await createConnection(tenantId, 'Acme Temp', 'other');
    const created = await fetch(`${temp.provisioningUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${temp.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'temp@acme.test' }),
    });
    expect(created.status).toBe(201);

    const page = await openPortal(await mint([READ, DELETE]));
    const row = page.getByRole('row', { name: /Acme Temp/ });
    await row.waitFor();
    expect(await page.getByRole('button', { name: 'Add connection' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Delete Acme Temp' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete connection' });
    expect(await dialog.getByLabel('Remove all associated users and groups').isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Delete connection' }).click();
    await page.getByText('Acme Temp was deleted, with the users and groups it provisioned.').waitFor();
    // The list reloads after the message: wait for the row to go rather than race the reload.
    await page.getByRole('row', { name: /Acme Temp/ }).waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Acme Entra/ }).waitFor();

    const users = await ctx.api<{ items: { userName: string }[] }>('GET', `/api/v1/tenants/${tenantId}/users`);
    expect(users.body.items.map((u) => u.userName)).not.toContain('temp@acme.test');
    expect((await ctx.api<unknown[]>('GET', `${CONFIGS}?id=${temp.id}`)).body).toEqual([]);
  });

  it('takes the token by postMessage from the embedding page, ignoring other messages and later tokens', async () => {
    const readToken = await mint([READ], 'embedded-reader');
    const writeToken = await mint([READ, WRITE], 'embedded-writer');
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    // A vendor page on Rollcall's origin (FRAME_ANCESTORS 'self'): when the portal says it is ready, it
    // posts a message of another type (with a token that must not be used).
    await page.route(`${ctx.baseUrl}/vendor-app`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>Vendor app</title>
<script>
  window.readyCount = 0;
  addEventListener('message', (event) => {
    if (!event.data || event.data.type !== 'rollcall:ready') return;
    window.readyCount++;
    event.source.postMessage({ type: 'something-else', token: ${JSON.stringify(writeToken)} }, '*');
  });
</script>
<iframe title="Provisioning portal" src="/portal" width="1100" height="760"></iframe>`,
      }),
    );
    await page.goto('/vendor-app');
    await page.waitForFunction(() => (window as unknown as { readyCount: number }).readyCount > 0);
    const frame = page.frameLocator('iframe[title="Provisioning portal"]');
    await page.waitForTimeout(400);
    expect(await frame.getByRole('heading', { name: 'Directory provisioning' }).count()).toBe(0);

    const post = (token: unknown, type = 'rollcall:token') =>
      page.evaluate(([t, ty]) => document.querySelector('iframe')!.contentWindow!.postMessage({ type: ty, token: t }, '*'), [token, type] as const);
    await post(42);
    await post(readToken);
    await frame.getByRole('heading', { name: 'Directory provisioning' }).waitFor();
    await frame.getByRole('row', { name: /Acme Entra/ }).waitFor();
    expect(await frame.getByText('Globex Secret Okta').count()).toBe(0);
    expect(await frame.getByRole('button', { name: 'Add connection' }).count()).toBe(0);
    expect(await page.frames()[1].evaluate(() => window.location.href)).toBe(`${ctx.baseUrl}/portal`);

    // A token is in use: a later one is ignored (the write permission never appears).
    await post(writeToken);
    await page.waitForTimeout(500);
    expect(await frame.getByRole('button', { name: 'Add connection' }).count()).toBe(0);
    const who = await page.frames()[1].evaluate(async () => (await (await fetch('/ui/portal/session')).json()).userId);
    expect(who).toBe('embedded-reader');
  });
});
