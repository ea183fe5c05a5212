/**
 * The self-service portal in a real browser against a real server: user tokens (in the URL or handed
 * over by postMessage inside an iframe), the builder switch, permissions deciding what is offered and
 * a note saying what is not, each connection's counts and health, creating and deleting connections
 * (in the customer's words), replacing a lost token, and the expired/invalid state. Other tenants
 * never show.
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

  /** A SCIM request to a connection with its token. */
  async function scim(connection: { provisioningUrl: string }, token: string, path: string, body?: unknown): Promise<{ status: number; body: { id?: string } }> {
    const response = await fetch(`${connection.provisioningUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  }
  const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
  const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

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
    // Acme Entra has provisioned a user and a group, and one of its three requests failed (a duplicate userName).
    const entra = await createConnection(tenantId, 'Acme Entra');
    const ann = await scim(entra, entra.token, '/Users', { schemas: [USER], userName: 'ann@acme.test' });
    expect(ann.status).toBe(201);
    expect((await scim(entra, entra.token, '/Groups', { schemas: [GROUP], displayName: 'Acme Staff', members: [{ value: ann.body.id }] })).status).toBe(201);
    expect((await scim(entra, entra.token, '/Users', { schemas: [USER], userName: 'ANN@acme.test' })).status).toBe(409);
    await ctx.app.requestLog.flush();
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
    expect(await page.getByRole('button', { name: /^New token/ }).count()).toBe(0);
    // What the admin cannot do is said, naming the permissions in plain words.
    await page
      .getByRole('note')
      .getByText('Ask an admin with the “Create provisioning connections” and “Delete provisioning connections” permissions to add or remove connections')
      .waitFor();

    // Counts and health, from the same overview as the dashboard's.
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells.slice(2, 4)).toEqual(['1', '1']);
    await row.getByText('33% of requests failed').waitFor();
    await row.getByText(/1 of 3 requests in the last 24 hours failed\. Last failure .*: .*ANN@acme\.test/).waitFor();

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
    await page.getByRole('note').getByText('Ask an admin with the “Delete provisioning connections” permission to remove connections.').waitFor();
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
    // Logged before the list reloads when the dialog closes: the row's health counts it.
    await ctx.app.requestLog.flush();
    // Done without confirming the copy is refused.
    await created.getByRole('button', { name: 'Done' }).click();
    await created.getByRole('alert').waitFor();
    await created.getByLabel('I have copied the token').check();
    await created.getByRole('button', { name: 'Done' }).click();
    await created.waitFor({ state: 'detached' });
    const jumpCloud = page.getByRole('row', { name: /Acme JumpCloud/ });
    await jumpCloud.getByText('1 request in the last 24 hours, none failed').waitFor();
    await jumpCloud.getByText('Working', { exact: true }).waitFor();
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
    await page.getByRole('note').getByText('Ask an admin with the “Create provisioning connections” permission to add connections or replace a token.').waitFor();
    await row.getByRole('button', { name: 'Delete Acme Temp' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete connection' });
    // The customer's admin reads what happens in the product, not the event names or "purged".
    const box = dialog.getByLabel('Remove the users and groups it added to Widgetly (1 user, 0 groups)');
    expect(await box.isChecked()).toBe(true);
    await dialog.getByText('they are removed from Widgetly now, as if you had unassigned them in your identity provider').waitFor();
    const wording = await dialog.innerText();
    for (const developerWord of ['user.deleted', 'group.deleted', 'purged', 'detached', 'event']) expect(wording).not.toContain(developerWord);
    await screenshot(page, 'portal-delete-connection');
    await dialog.getByRole('button', { name: 'Delete connection' }).click();
    await page.getByText('Acme Temp was deleted, and the users and groups it added were removed from Widgetly.').waitFor();
    // The list reloads after the message: wait for the row to go rather than race the reload.
    await page.getByRole('row', { name: /Acme Temp/ }).waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /Acme Entra/ }).waitFor();

    const users = await ctx.api<{ items: { userName: string }[] }>('GET', `/api/v1/tenants/${tenantId}/users`);
    expect(users.body.items.map((u) => u.userName)).not.toContain('temp@acme.test');
    expect((await ctx.api<unknown[]>('GET', `${CONFIGS}?id=${temp.id}`)).body).toEqual([]);
  });

  it('with write: replaces a lost token — a new one shown once, then the old one turned off', async () => {
    const lost = await createConnection(tenantId, 'Acme Lost Token', 'okta');
    const page = await openPortal(await mint([READ, WRITE]));
    await page.getByRole('button', { name: 'New token for Acme Lost Token' }).click();
    const dialog = page.getByRole('dialog', { name: 'New token for Acme Lost Token' });
    await dialog.getByRole('button', { name: 'Create new token' }).click();
    const fresh = await dialog.getByTestId('new-token').inputValue();
    await dialog.getByText('it will not be shown again').waitFor();
    // Both work until the old one is turned off, so provisioning does not stop during the switch.
    expect((await scim(lost, fresh, '/Users')).status).toBe(200);
    expect((await scim(lost, lost.token, '/Users')).status).toBe(200);
    await screenshot(page, 'portal-new-token');
    await dialog.getByRole('button', { name: 'Turn off the old token' }).click();
    await dialog.getByText('The old token no longer works. Okta must use the new one.').waitFor();
    expect((await scim(lost, lost.token, '/Users')).status).toBe(401);
    expect((await scim(lost, fresh, '/Users')).status).toBe(200);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(fresh);

    // Audited as the portal's user.
    const audit = await ctx.api<{ items: { actor: { type: string; id: string }; data: { change?: string } }[] }>('GET', `/api/v1/audit?tenantId=${tenantId}&action=connection.updated&limit=2`);
    expect(audit.body.items.map((e) => [e.actor.type, e.actor.id, e.data.change])).toEqual([
      ['user', 'admin-1', 'token.revoked'],
      ['user', 'admin-1', 'token.issued'],
    ]);
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
