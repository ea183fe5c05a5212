/**
 * A connection's compatibility switches in a real browser: the vendor changes them in the dashboard
 * and the IdP's next request is answered accordingly; the customer's admin sees them in the portal,
 * changes them with the write permission, and only reads them with the read permission.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, screenshot, signIn, useBrowserApp } from './support/browser.js';

const CONFIGS = '/directory/resources/v1/configurations/scim2';
const READ = 'fe.secure.read.provisioningConfiguration';
const WRITE = 'fe.secure.write.provisioningConfiguration';

describeBrowser('compatibility switches', () => {
  const ctx = useBrowserApp();
  const tenantId = 'acme-compat';
  const state = { id: '', token: '', url: '' };

  const switches = async () => (await ctx.api<Record<string, unknown>>('GET', `/api/v1/connections/${state.id}/compatibility`)).body;

  /** A Group PATCH as Okta sends it; the answer's status. */
  async function patchGroup(groupId: string, userId: string): Promise<number> {
    const response = await fetch(`${state.url}/Groups/${groupId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }] }),
    });
    await response.text();
    return response.status;
  }

  async function scimCreate(path: string, body: Record<string, unknown>): Promise<string> {
    const response = await fetch(`${state.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  beforeAll(async () => {
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId, name: 'Acme Compat' })).status).toBe(201);
    const created = await ctx.api<{ id: string; token: string; provisioningUrl: string }>('POST', CONFIGS, { source: 'okta', connectionName: 'Okta compat' }, { 'frontegg-tenant-id': tenantId });
    expect(created.status).toBe(201);
    Object.assign(state, { id: created.body.id, token: created.body.token, url: created.body.provisioningUrl });
    expect((await ctx.api('PATCH', '/api/v1/settings', { selfService: { scimProvisioning: true } })).status).toBe(200);
  });

  async function openCompatibility(page: Page): Promise<ReturnType<Page['getByRole']>> {
    await page.getByRole('button', { name: 'Manage Okta compat' }).click();
    await page.getByRole('button', { name: 'Compatibility' }).click();
    const dialog = page.getByRole('dialog', { name: 'Compatibility of Okta compat' });
    await dialog.waitFor();
    return dialog;
  }

  it('lets the vendor set the Group PATCH answer, and the next PATCH is answered so', async () => {
    const userId = await scimCreate('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'kim@acme.test' });
    const groupId = await scimCreate('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Staff' });
    expect(await patchGroup(groupId, userId)).toBe(204);

    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    await signIn(page, ctx);
    await page.goto(`/dashboard/accounts/${tenantId}/provisioning`);
    const dialog = await openCompatibility(page);
    const answer = dialog.getByLabel('Answer to a group change (PATCH)');
    expect(await answer.inputValue()).toBe('204');
    expect(await dialog.getByRole('option', { name: '204 No Content (default)' }).count()).toBe(1);
    await answer.selectOption('200');
    const max = dialog.getByLabel('Leave members out above this many');
    await max.fill('abc');
    await dialog.getByText('A whole number from 0 to 10,000').waitFor();
    expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await max.fill('500');
    await dialog.getByLabel('Members the connection does not know').selectOption('ignore');
    await dialog.getByLabel(/Accept search values without quotes/).check();
    await screenshot(page, 'compatibility');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('status').getByText('Saved.').waitFor();
    expect(await switches()).toMatchObject({ groupPatchResponse: '200', groupPatchMaxMembers: 500, unknownMembers: 'ignore', unquotedFilterValues: true, removedActive: 'inactive' });
    expect(await patchGroup(groupId, userId)).toBe(200);

    await dialog.getByRole('button', { name: 'Reset to defaults' }).click();
    await dialog.getByRole('status').getByText('Saved.').waitFor();
    expect(await answer.inputValue()).toBe('204');
    expect(await switches()).toMatchObject({ groupPatchResponse: '204', unknownMembers: 'reject', unquotedFilterValues: false });
    expect(await patchGroup(groupId, userId)).toBe(204);
  });

  async function openPortal(permissions: string[]): Promise<Page> {
    const minted = await ctx.api<{ token: string }>('POST', '/api/v1/user-tokens', { tenantId, userId: `admin-${permissions.length}`, permissions });
    expect(minted.status).toBe(201);
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`/portal?token=${encodeURIComponent(minted.body.token)}`);
    await page.getByRole('button', { name: 'Compatibility of Okta compat' }).click();
    await page.getByRole('dialog', { name: 'Compatibility of Okta compat' }).waitFor();
    return page;
  }

  it("lets the customer's admin change them with the write permission", async () => {
    const page = await openPortal([READ, WRITE]);
    const dialog = page.getByRole('dialog', { name: 'Compatibility of Okta compat' });
    const removed = dialog.getByLabel('When the provider removes “active” from a user');
    expect(await removed.inputValue()).toBe('inactive');
    await removed.selectOption('active');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('status').getByText('Saved.').waitFor();
    expect(await switches()).toMatchObject({ removedActive: 'active' });
    // The audit log names the customer's admin.
    const audit = await ctx.api<{ items: { actor: { type: string }; data: { change?: string } }[] }>('GET', `/api/v1/audit?tenantId=${tenantId}`);
    expect(audit.body.items.find((entry) => entry.data.change === 'compatibility.updated')?.actor.type).toBe('user');
    await screenshot(page, 'portal-compatibility');
  });

  it('shows them read-only, with who to ask, with the read permission alone', async () => {
    const page = await openPortal([READ]);
    const dialog = page.getByRole('dialog', { name: 'Compatibility of Okta compat' });
    await dialog.getByText('Ask an admin with the “Create provisioning connections” permission to change these settings.').waitFor();
    expect(await dialog.getByLabel('When the provider removes “active” from a user').isDisabled()).toBe(true);
    expect(await dialog.getByLabel('When the provider removes “active” from a user').inputValue()).toBe('active');
    expect(await dialog.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Reset to defaults' }).count()).toBe(0);
  });
});
