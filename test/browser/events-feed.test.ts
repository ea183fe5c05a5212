/**
 * The Events page in a real browser: newest first by default, oldest first on request (kept in the
 * URL), and membership events named by their user and group, from the feed itself or looked up in the
 * directory when the page's events do not name them.
 */
import type { Locator } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, signIn, scimConnection, useBrowserApp } from './support/browser.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describeBrowser('dashboard: the event feed', () => {
  const ctx = useBrowserApp();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const scim = await scimConnection(ctx, 'acme', 'Acme Okta');
    ids.ada = (await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'ada' })).id;
    ids.grace = (await scim('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'grace' })).id;
    ids.group = (await scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering', members: [{ value: ids.ada }] })).id;
    await scim('PATCH', `/Groups/${ids.group}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: ids.grace }] }] });
  });

  /** The Type and About cells of the table's rows, top to bottom. */
  function rows(table: Locator): Promise<string[]> {
    return table.locator('tbody tr:not(.log-details)').evaluateAll((trs) =>
      trs.map((tr) => {
        const td = (tr as unknown as { querySelectorAll(s: string): { textContent: string | null }[] }).querySelectorAll('td');
        return `${td[2].textContent} ${td[3].textContent}`;
      }),
    );
  }

  it('shows the newest event first, and the oldest first when asked', async () => {
    const page = await ctx.newPage();
    await signIn(page, ctx);
    await page.goto('/dashboard/events');
    const newest = page.getByRole('table', { name: 'Events, newest first' });
    await newest.getByText('group.user_added', { exact: true }).first().waitFor();
    expect(await rows(newest)).toEqual([
      'group.user_added grace added to Engineering',
      'group.user_added ada added to Engineering',
      'group.created Engineering',
      'user.created grace',
      'user.created ada',
      'connection.created Acme Okta',
    ]);
    await page.getByRole('status').getByText('6 events · you have reached the oldest event').waitFor();

    await page.getByLabel('Order').selectOption({ label: 'Oldest first' });
    await page.waitForURL(/order=oldest/);
    const oldest = page.getByRole('table', { name: 'Events, oldest first' });
    await oldest.getByText('connection.created', { exact: true }).waitFor();
    expect((await rows(oldest))[0]).toBe('connection.created Acme Okta');
    expect((await rows(oldest)).at(-1)).toBe('group.user_added grace added to Engineering');
    // The order survives a reload: it lives in the URL.
    await page.reload();
    await page.getByRole('table', { name: 'Events, oldest first' }).getByText('connection.created', { exact: true }).waitFor();
  });

  it('names the user and group of membership events the page does not name itself, from the directory', async () => {
    const page = await ctx.newPage();
    await signIn(page, ctx);
    // Only membership events: no user.created or group.created on the page to take names from.
    await page.goto('/dashboard/events?type=group.user_added');
    const table = page.getByRole('table', { name: 'Events, newest first' });
    await table.getByText('grace added to Engineering').waitFor();
    await table.getByText('ada added to Engineering').waitFor();
    expect(await table.getByText(ids.ada).count()).toBe(0);
    expect(await table.getByText(ids.group).count()).toBe(0);
  });
});
