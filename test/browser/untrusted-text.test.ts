/**
 * Everything an IdP or a customer provides — display names, group names, connection names, request
 * bodies, error details — reaches the page as text, never as markup. The CSP would stop an injected
 * script from running anyway; these tests check the markup is never created at all.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, signIn, useBrowserApp } from './support/browser.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const IMG = '<img src=x id=injected-img onerror="window.__xss=1">';
const B = '<b id=injected-b>bold</b>';

/** No element the payloads would create exists, nothing ran, and the payload shows as literal text. */
async function expectInert(page: Page, literal: string): Promise<void> {
  await page.getByText(literal, { exact: false }).first().waitFor();
  expect(await page.locator('#injected-img, #injected-b, #injected-script').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
}

describeBrowser('untrusted text in the web UI', () => {
  const ctx = useBrowserApp();
  let connectionId = '';
  let userId = '';
  let groupId = '';

  beforeAll(async () => {
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId: 'evil', name: `Evil ${B} Corp` })).status).toBe(201);
    const created = await ctx.api<{ id: string; token: string }>(
      'POST',
      '/directory/resources/v1/configurations/scim2',
      { source: 'other', connectionName: `Conn ${IMG}`, syncToUserManagement: true },
      { 'frontegg-tenant-id': 'evil' },
    );
    expect(created.status).toBe(201);
    connectionId = created.body.id;
    const scim = async (method: string, path: string, body: unknown) => {
      const response = await fetch(`${ctx.baseUrl}/directory/resources/scim/v2.0/${connectionId}${path}`, {
        method,
        headers: { authorization: `Bearer ${created.body.token}`, 'content-type': 'application/scim+json', 'user-agent': `agent ${B}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as { id: string } };
    };
    const user = await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'mallory@evil.test', displayName: `Mallory ${IMG}`, title: `<script id=injected-script>window.__xss=2</script>` });
    expect(user.status).toBe(201);
    userId = user.body.id;
    const group = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: `Group ${B}`, members: [{ value: userId }] });
    expect(group.status).toBe(201);
    groupId = group.body.id;
    // A failed request whose body and error detail carry markup.
    expect((await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'mallory@evil.test', displayName: `Again ${IMG}` })).status).toBe(409);
    await ctx.app.requestLog.flush();
  });

  it('shows names, payloads and errors as text on every dashboard screen that shows them', async () => {
    const page = await ctx.newPage();
    await signIn(page, ctx);
    await page.goto('/dashboard/accounts');
    await expectInert(page, 'Evil <b id=injected-b>bold</b> Corp');
    await page.goto('/dashboard/accounts/evil/provisioning');
    await expectInert(page, 'Conn <img src=x');
    await page.goto('/dashboard/accounts/evil/users');
    await expectInert(page, 'Mallory <img src=x');
    await page.goto(`/dashboard/accounts/evil/users/${userId}`);
    await expectInert(page, '<script id=injected-script>');
    await page.goto(`/dashboard/accounts/evil/groups/${groupId}`);
    await expectInert(page, 'Group <b id=injected-b>');
    await page.goto('/dashboard/monitoring?status=error');
    const row = page.getByRole('button', { expanded: false }).first();
    await row.click();
    await expectInert(page, 'Again <img src=x');
  });

  it('shows a connection name with markup as text in the portal', async () => {
    expect((await ctx.api('PATCH', '/api/v1/settings', { selfService: { scimProvisioning: true }, portal: { productName: `Prod ${B}` } })).status).toBe(200);
    const minted = await ctx.api<{ portalUrl: string }>('POST', '/api/v1/user-tokens', { tenantId: 'evil', userId: 'admin', permissions: ['fe.secure.read.provisioningConfiguration'] });
    expect(minted.status).toBe(201);
    const page = await ctx.newPage();
    await page.goto(new URL(minted.body.portalUrl).pathname + new URL(minted.body.portalUrl).search);
    await expectInert(page, 'Conn <img src=x');
    await expectInert(page, 'Prod <b id=injected-b>');
  });
});
