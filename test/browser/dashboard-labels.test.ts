/**
 * What a new user reads first on the dashboard, in a real browser: the credential signed in by its
 * name, one term for a tenant's id, each provider's drawn mark, the groups' member counts and a
 * search box whose hint is not cut off.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, screenshot, signIn, scimConnection, useBrowserApp } from './support/browser.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describeBrowser('dashboard: names, terms, marks and counts', () => {
  const ctx = useBrowserApp();

  beforeAll(async () => {
    const scim = await scimConnection(ctx, 'acme', 'Acme Okta');
    const users = [];
    for (const userName of ['ada', 'grace', 'edsger']) users.push(await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName }));
    const engineering = await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: users[0].id }] });
    // Members added later by PATCH, as Okta and Entra ID do: counted all the same.
    await scim('PATCH', `/Groups/${engineering.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: users[1].id }, { value: users[2].id }] }] });
    await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Empty' });
  });

  async function openSignedIn(): Promise<Page> {
    const page = await ctx.newPage();
    await signIn(page, ctx);
    return page;
  }

  it('names the signed-in credential in the sidebar, its client ID only on hover', async () => {
    const page = await openSignedIn();
    const who = page.getByRole('navigation', { name: 'Main' }).getByText(/Signed in with/);
    await expect(who.textContent()).resolves.toBe('Signed in with browser test');
    await expect(who.getAttribute('title')).resolves.toBe(`Client ID ${ctx.credential.clientId}`);
    expect(await page.getByText(ctx.credential.clientId).count()).toBe(0);
  });

  it('calls a tenant’s identifier "Tenant ID" on the account page and in the webhook and account dialogs', async () => {
    const page = await openSignedIn();
    await page.goto('/dashboard/accounts/acme/provisioning');
    await page.getByRole('heading', { name: 'Acme Corp', level: 1 }).waitFor();
    await page.getByText(/^Tenant ID\s*acme$/).waitFor();
    expect(await page.getByText(/Account ID/i).count()).toBe(0);

    await page.goto('/dashboard/webhooks');
    await page.getByText('No webhooks yet').waitFor();
    await page.getByRole('button', { name: 'Add webhook' }).first().click();
    const webhook = page.getByRole('dialog', { name: 'Add webhook' });
    await webhook.getByLabel('Tenant ID (optional)').waitFor();
    expect(await webhook.getByText(/Account ID/i).count()).toBe(0);
    await page.keyboard.press('Escape');

    await page.goto('/dashboard/accounts');
    await page.getByRole('button', { name: 'Create account' }).first().click();
    await page.getByRole('dialog', { name: 'Create account' }).getByLabel('Tenant ID').waitFor();
  });

  it('draws each provider’s mark, one different from every other, and keeps the provider’s name as the option’s name', async () => {
    const page = await openSignedIn();
    await page.goto('/dashboard/accounts/acme/provisioning');
    await page.getByRole('button', { name: 'Create connection' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Create SCIM connection' });
    const names = ['Okta', 'Microsoft Entra ID', 'OneLogin', 'JumpCloud', 'Rippling', 'PingOne', 'Custom SCIM 2.0'];
    const marks: string[] = [];
    for (const name of names) {
      const option = dialog.getByRole('button', { name, exact: true });
      const mark = option.locator('svg.provider-logo');
      await expect(mark.getAttribute('aria-hidden')).resolves.toBe('true');
      // Drawn shapes, not letters.
      expect(await mark.locator('text').count()).toBe(0);
      expect(await mark.locator('path, circle').count()).toBeGreaterThan(0);
      marks.push(await mark.innerHTML());
    }
    expect(new Set(marks).size).toBe(names.length);
    // The table beside a connection shows the same mark.
    await page.keyboard.press('Escape');
    const row = page.getByRole('row', { name: /Acme Okta/ });
    await expect(row.locator('svg.provider-logo').getAttribute('data-provider')).resolves.toBe('okta');
  });

  it('shows each group’s member count, and the users search box’s whole hint', async () => {
    const page = await openSignedIn();
    await page.goto('/dashboard/accounts/acme/groups');
    const groups = page.getByRole('table', { name: 'Groups' });
    await groups.getByRole('link', { name: 'Engineering' }).waitFor();
    await groups.getByRole('columnheader', { name: 'Members' }).waitFor();
    const count = async (name: string) => (await groups.getByRole('row').filter({ hasText: name }).getByRole('cell').nth(1).textContent())?.trim();
    await expect(count('Engineering')).resolves.toBe('3');
    await expect(count('Empty')).resolves.toBe('0');
    await screenshot(page, 'groups');

    await page.goto('/dashboard/accounts/acme/users');
    const search = page.getByLabel('Search users');
    await search.waitFor();
    // The hint as typed text: the box scrolls sideways exactly when its placeholder would be cut off.
    const hint = await search.getAttribute('placeholder');
    expect(hint).toBe('Name, user name, email or external ID');
    await search.fill(hint!);
    const overflow = await search.evaluate((input) => (input as unknown as { scrollWidth: number }).scrollWidth - (input as unknown as { clientWidth: number }).clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
