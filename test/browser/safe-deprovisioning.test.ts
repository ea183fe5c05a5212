/**
 * Safe deprovisioning and the go-live preview in a real browser against a real server: a connection
 * with a low guard has users deactivated over SCIM until the guard trips; the dashboard shows the
 * banner, the review releases one held change and discards the rest, and the discarded ones are
 * listed as differing from the IdP; the guard settings are changed to review mode; the customer's
 * admin releases all in the portal, and a reader sees the list without the buttons; Monitoring shows
 * the held count and a held change's SCIM request; a staging connection's go-live preview, then Go live.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, scimConnection, screenshot, signIn, useBrowserApp, type ScimCall } from './support/browser.js';

const READ = 'fe.secure.read.provisioningConfiguration';
const WRITE = 'fe.secure.write.provisioningConfiguration';
const CONFIGS = '/directory/resources/v1/configurations/scim2';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface Settings {
  mode: string;
  guard: { enabled: boolean; maxUsers: number; maxPercent: number; windowMinutes: number };
  tripped: boolean;
  held: number;
  differing: number;
}

describeBrowser('safe deprovisioning', () => {
  const ctx = useBrowserApp();
  const tenantId = 'acme-deprovisioning';
  const state = { connectionId: '', users: [] as { id: string; userName: string }[] };
  let scim: ScimCall;

  const settings = async () => (await ctx.api<Settings>('GET', `/api/v1/connections/${state.connectionId}/deprovisioning`)).body;
  const deactivate = (index: number) => scim('PATCH', `/Users/${state.users[index].id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });

  beforeAll(async () => {
    scim = await scimConnection(ctx, tenantId, 'Acme Okta');
    const overview = await ctx.api<{ items: { id: string; connectionName: string }[] }>('GET', `/api/v1/tenants/${tenantId}/connections`);
    state.connectionId = overview.body.items.find((c) => c.connectionName === 'Acme Okta')!.id;
    const guard = await ctx.api('PUT', `/api/v1/connections/${state.connectionId}/deprovisioning`, { guard: { maxUsers: 2, maxPercent: 10 } });
    expect(guard.status).toBe(200);
    for (let i = 1; i <= 10; i++) {
      const userName = `user${String(i).padStart(2, '0')}@acme.test`;
      const created = await scim('POST', '/Users', { schemas: [USER], userName, name: { givenName: 'User', familyName: String(i) }, emails: [{ value: userName, primary: true }], active: true });
      state.users.push({ id: created.id, userName });
    }
    expect((await ctx.api('PATCH', '/api/v1/settings', { selfService: { scimProvisioning: true } })).status).toBe(200);
  });

  async function dashboard(path: string): Promise<Page> {
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, ctx);
    await page.goto(path);
    return page;
  }

  async function portal(permissions: string[]): Promise<Page> {
    const minted = await ctx.api<{ token: string }>('POST', '/api/v1/user-tokens', { tenantId, userId: `admin-${permissions.length}`, email: 'it@acme.test', permissions });
    expect(minted.status).toBe(201);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`/portal?token=${encodeURIComponent(minted.body.token)}`);
    await page.getByRole('row', { name: /Acme Okta/ }).waitFor();
    return page;
  }

  /** The banner of Acme Okta; its button opens the review. */
  const banner = (page: Page) => page.getByRole('region', { name: 'Acme Okta: deprovisioning held' });

  async function openReview(page: Page): Promise<Locator> {
    await banner(page).getByRole('button', { name: 'Review held changes of Acme Okta' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deprovisioning of Acme Okta' });
    await dialog.getByRole('table', { name: 'Held changes, oldest first' }).waitFor();
    return dialog;
  }

  const heldRows = (dialog: Locator) => dialog.getByRole('table', { name: 'Held changes, oldest first' }).locator('tbody tr');

  it('holds the deactivations past the guard; the dashboard reviews them: release one, discard the rest', async () => {
    for (let i = 0; i < 5; i++) await deactivate(i);
    await ctx.app.requestLog.flush();
    expect(await settings()).toMatchObject({ tripped: true, held: 3 });

    const page = await dashboard(`/dashboard/accounts/${tenantId}/provisioning`);
    await banner(page).getByText('Deprovisioning held — 3 changes wait for review').waitFor();
    await page.getByRole('row', { name: /Acme Okta/ }).getByText('3 held').waitFor();
    const dialog = await openReview(page);
    await expect.poll(() => heldRows(dialog).count()).toBe(3);
    // Oldest first: the third deactivation is the first held; each row says what changed and links to its request.
    const first = heldRows(dialog).first();
    await first.getByText('user03@acme.test').waitFor();
    await first.getByRole('cell', { name: 'Deactivation', exact: true }).waitFor();
    expect(await first.getByRole('link', { name: /^Request .* in the request log$/ }).getAttribute('href')).toMatch(/^\/dashboard\/monitoring\?.*requestId=/);
    await dialog.getByRole('checkbox', { name: 'Select user03@acme.test: Deactivation' }).check();
    await screenshot(page, 'safe-deprovisioning-review');

    await dialog.getByRole('button', { name: 'Release selected (1)' }).click();
    await dialog.getByRole('status').getByText('Released 1 change: the app applies them now.').waitFor();
    await expect.poll(() => heldRows(dialog).count()).toBe(2);

    // "Discard all" asks first, saying what discarding does; Cancel is focused.
    await dialog.getByRole('button', { name: 'Discard all' }).click();
    const confirm = dialog.getByRole('group', { name: 'Discard all 2 held changes?' });
    await confirm.getByText('they show under “Differs from IdP” until the identity provider next changes them').waitFor();
    expect(await confirm.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await confirm.getByRole('button', { name: 'Discard all 2 changes' }).click();
    await dialog.getByRole('status').getByText('Discarded 2 changes: the app keeps its view of these users.').waitFor();
    await dialog.getByRole('heading', { name: 'Nothing is held' }).waitFor();
    expect(await settings()).toMatchObject({ tripped: false, held: 0 });

    // The discarded ones differ from the IdP.
    await dialog.getByRole('tab', { name: /Differs from IdP/ }).click();
    const differing = dialog.getByRole('table', { name: /Discarded changes/ });
    await differing.getByText('user04@acme.test').waitFor();
    await differing.getByText('user05@acme.test').waitFor();
    expect(await differing.locator('tbody tr').count()).toBe(2);
    expect(await differing.getByRole('checkbox').count()).toBe(0);

    // The banner is gone once the dialog closes.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => banner(page).count()).toBe(0);
  }, 40_000);

  it('shows the guard rule and what it counts now, and switches the connection to review mode', async () => {
    const page = await dashboard(`/dashboard/accounts/${tenantId}/provisioning`);
    await page.getByRole('button', { name: 'Manage Acme Okta' }).click();
    await page.getByRole('group', { name: 'Settings of Acme Okta' }).getByRole('button', { name: 'Deprovisioning' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deprovisioning of Acme Okta' });
    await dialog.getByRole('tab', { name: 'Settings' }).click();
    const form = dialog.getByRole('form', { name: 'Deprovisioning settings' });
    await form.getByText('The guard trips when more than 2 users and more than 10 % of the connection’s active users were deprovisioned within 60 minutes.').waitFor();
    await form.getByText(/^Counted now: \d+ users deprovisioned since .*, of \d+ active users/).waitFor();
    // The sentence follows the draft.
    await form.getByLabel('Max users').fill('4');
    await form.getByText(/more than 4 users and more than 10 %/).waitFor();
    await form.getByLabel('Max percent of active users').fill('120');
    await form.getByText('A whole number from 0 to 100').waitFor();
    expect(await form.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
    await form.getByLabel('Max percent of active users').fill('10');
    await form.getByRole('radio', { name: 'Review every deprovisioning' }).check();
    await screenshot(page, 'safe-deprovisioning-settings');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();
    expect(await settings()).toMatchObject({ mode: 'review', guard: { enabled: true, maxUsers: 4, maxPercent: 10, windowMinutes: 60 } });
  });

  it("lets the customer's admin release all in the portal", async () => {
    // Review mode: every deactivation is held.
    await deactivate(5);
    await deactivate(6);
    expect(await settings()).toMatchObject({ held: 2 });

    const page = await portal([READ, WRITE]);
    await banner(page).getByText('Deprovisioning held — 2 changes wait for review').waitFor();
    const dialog = await openReview(page);
    await expect.poll(() => heldRows(dialog).count()).toBe(2);
    // The portal names the request, without a link to a log it cannot open.
    expect(await heldRows(dialog).getByRole('link').count()).toBe(0);
    await screenshot(page, 'portal-safe-deprovisioning');
    await dialog.getByRole('button', { name: 'Release all' }).click();
    const confirm = dialog.getByRole('group', { name: 'Release all 2 held changes?' });
    await confirm.getByText(/applies the changes now and gets their events/).waitFor();
    await confirm.getByRole('button', { name: 'Release all 2 changes' }).click();
    await dialog.getByRole('status').getByText(/^Released 2 changes/).waitFor();
    await dialog.getByRole('heading', { name: 'Nothing is held' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => banner(page).count()).toBe(0);
    expect(await settings()).toMatchObject({ held: 0 });
  });

  it('shows a reader the held changes and the settings, without the buttons', async () => {
    await deactivate(7);
    const page = await portal([READ]);
    const dialog = await openReview(page);
    await expect.poll(() => heldRows(dialog).count()).toBe(1);
    await dialog.getByRole('note').getByText('Ask an admin with the “Create provisioning connections” permission to release or discard changes').waitFor();
    expect(await dialog.getByRole('checkbox').count()).toBe(0);
    for (const name of ['Release selected', 'Discard selected', 'Release all', 'Discard all']) expect(await dialog.getByRole('button', { name }).count()).toBe(0);
    await dialog.getByRole('tab', { name: 'Settings' }).click();
    expect(await dialog.getByRole('radio', { name: 'Review every deprovisioning' }).isDisabled()).toBe(true);
    expect(await dialog.getByRole('radio', { name: 'Review every deprovisioning' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
  });

  it("shows the held count in Monitoring, and a held change's SCIM request in the log", async () => {
    await ctx.app.requestLog.flush();
    const page = await dashboard(`/dashboard/monitoring?tenantId=${tenantId}`);
    const held = page.getByRole('region', { name: 'Deprovisioning held' });
    await held.getByText('Acme Okta: 1 change waits for review').waitFor();
    await page.getByRole('list', { name: 'Connections' }).getByRole('link', { name: '1 held for review in Acme Okta' }).waitFor();
    await held.getByRole('link', { name: 'Review the held changes of Acme Okta' }).click();
    // The review opens on the account's Provisioning page.
    const dialog = page.getByRole('dialog', { name: 'Deprovisioning of Acme Okta' });
    await expect.poll(() => heldRows(dialog).count()).toBe(1);
    expect(new URL(page.url()).search).toBe('');
    await heldRows(dialog).getByRole('link', { name: /^Request .* in the request log$/ }).click();
    const log = page.getByRole('table', { name: 'SCIM requests, newest first' });
    await page.getByText(/^Showing the SCIM request/).waitFor();
    await expect.poll(() => log.locator('tbody tr').count()).toBe(1);
    await log.getByText(`/Users/${state.users[7].id}`).waitFor();
    await log.getByText('PATCH').waitFor();
    await page.getByRole('button', { name: 'Show all requests' }).click();
    await expect.poll(() => log.locator('tbody tr').count()).toBeGreaterThan(1);
  });

  it('previews what a staging connection would publish, then goes live', async () => {
    const staging = await ctx.api<{ id: string; token: string; provisioningUrl: string }>('POST', CONFIGS, { source: 'okta', connectionName: 'Acme Staging', syncToUserManagement: false }, { 'frontegg-tenant-id': tenantId });
    expect(staging.status).toBe(201);
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${staging.body.provisioningUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${staging.body.token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    };
    const ids: string[] = [];
    // One shares the email of a user the live connection provisioned: a match.
    for (const [userName, email] of [
      ['ada@acme.test', 'ada@acme.test'],
      ['grace@acme.test', 'grace@acme.test'],
      ['user09-staging', 'user09@acme.test'],
    ])
      ids.push(await post('/Users', { schemas: [USER], userName, emails: [{ value: email, primary: true }], active: true }));
    await post('/Groups', { schemas: [GROUP], displayName: 'Engineering', members: ids.slice(0, 2).map((value) => ({ value })) });

    const page = await dashboard(`/dashboard/accounts/${tenantId}/provisioning`);
    await page.getByRole('button', { name: 'Manage Acme Staging' }).click();
    await page.getByRole('group', { name: 'Settings of Acme Staging' }).getByRole('button', { name: 'Preview go-live' }).click();
    const dialog = page.getByRole('dialog', { name: 'Go-live preview of Acme Staging' });
    const figures = dialog.getByRole('list', { name: 'What going live publishes' });
    await figures.getByText('3 active, 0 inactive').waitFor();
    expect(await figures.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringMatching(/^3\s*users/),
      expect.stringMatching(/^1\s*group$/),
      expect.stringMatching(/^2\s*memberships$/),
      expect.stringMatching(/^0\s*roles granted$/),
      expect.stringMatching(/^1\s*existing user matched$/),
    ]);
    // The staging user with the email of one the live connection provisioned.
    await dialog.getByRole('table', { name: 'Existing users matched' }).getByRole('row', { name: /user09-staging user09@acme\.test/ }).waitFor();
    await dialog.getByRole('table', { name: 'Users that go live' }).getByText('grace@acme.test').first().waitFor();
    await dialog.getByRole('table', { name: 'Groups that go live' }).getByText('Engineering').waitFor();
    await screenshot(page, 'go-live-preview');

    await dialog.getByRole('button', { name: 'Go live' }).click();
    const confirm = dialog.getByRole('group', { name: 'Publish 3 users and 1 group to the product now?' });
    await confirm.getByRole('button', { name: 'Go live now' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Acme Staging is live: its 3 users and 1 group are now in the product.').waitFor();
    const config = await ctx.api<{ syncToUserManagement: boolean }>('GET', `${CONFIGS}/${staging.body.id}`);
    expect(config.body.syncToUserManagement).toBe(true);
    // Live now: no preview to offer, and the API says so.
    expect((await ctx.api('GET', `/api/v1/connections/${staging.body.id}/go-live-preview`)).status).toBe(409);
    const settingsGroup = page.getByRole('group', { name: 'Settings of Acme Staging' });
    // The page reloads the connection after the switch: wait for it.
    await expect.poll(() => settingsGroup.getByRole('switch', { name: 'Sync to user management' }).isChecked()).toBe(true);
    await expect.poll(() => settingsGroup.getByRole('button', { name: 'Preview go-live' }).count()).toBe(0);
  });
});
