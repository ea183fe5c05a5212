/**
 * User attributes in a real browser: the vendor turns predefined attributes on and defines a custom
 * one on the dashboard's Attributes page (a bad key is refused beside its field); a connection's
 * mapping editor previews a source path against a provisioned user, says in plain words what is wrong
 * with an invalid one, saves, and follows the re-evaluation of the users to its end; in the portal the
 * customer's admin edits the mappings with the write permission and only reads them with the read one.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, screenshot, signIn, useBrowserApp } from './support/browser.js';

const CONFIGS = '/directory/resources/v1/configurations/scim2';
const READ = 'fe.secure.read.provisioningConfiguration';
const WRITE = 'fe.secure.write.provisioningConfiguration';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describeBrowser('user attributes', () => {
  const ctx = useBrowserApp();
  const tenantId = 'acme-attributes';
  const state = { id: '', token: '', url: '', ada: '', grace: '' };

  /** A SCIM request as Okta sends it; the resource it answers. */
  async function scim(method: string, path: string, body: unknown): Promise<{ id: string }> {
    const response = await fetch(`${state.url}${path}`, { method, headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as { id: string };
  }

  const ada = (title: string) => ({
    schemas: [USER_SCHEMA, ENTERPRISE],
    userName: 'ada@acme.test',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    displayName: 'Ada Lovelace',
    title,
    userType: 'Employee',
    active: true,
    [ENTERPRISE]: { department: 'Research', costCenter: '4711' },
  });

  /** Runs the background re-evaluation to its end (the test server runs no scheduler). */
  async function reevaluate(): Promise<void> {
    while (await ctx.app.services.attributeReevaluation.runBatch());
  }

  const mappings = async () => (await ctx.api<{ mappings: Record<string, string | null> }>('GET', `/api/v1/connections/${state.id}/attribute-mappings`)).body.mappings;
  /** The preview value shown for one attribute of the mapping editor. */
  const valueOf = (dialog: Locator, key: string) => dialog.locator(`tr[data-attribute="${key}"] td.mapping-value`);

  beforeAll(async () => {
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId, name: 'Acme Attributes' })).status).toBe(201);
    const created = await ctx.api<{ id: string; token: string; provisioningUrl: string }>('POST', CONFIGS, { source: 'okta', connectionName: 'Okta attrs', syncToUserManagement: true }, { 'frontegg-tenant-id': tenantId });
    expect(created.status).toBe(201);
    Object.assign(state, { id: created.body.id, token: created.body.token, url: created.body.provisioningUrl });
    state.grace = (
      await scim('POST', '/Users', {
        schemas: [USER_SCHEMA, ENTERPRISE],
        userName: 'grace@acme.test',
        name: { givenName: 'Grace', familyName: 'Hopper' },
        displayName: 'Grace Hopper',
        // What the provider sends is text on the page, never markup.
        title: 'Rear Admiral <img src=x id=injected-img onerror="window.__xss=1">',
        active: true,
        [ENTERPRISE]: { department: 'Navy', costCenter: 'n/a' },
      })
    ).id;
    state.ada = (await scim('POST', '/Users', ada('Engineer'))).id;
    expect((await ctx.api('PATCH', '/api/v1/settings', { selfService: { scimProvisioning: true } })).status).toBe(200);
  });

  async function openMappings(page: Page): Promise<Locator> {
    await page.goto(`/dashboard/accounts/${tenantId}/provisioning`);
    await page.getByRole('button', { name: 'Manage Okta attrs' }).click();
    await page.getByRole('group', { name: 'Settings of Okta attrs' }).getByRole('button', { name: 'Attributes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Attribute mappings of Okta attrs' });
    await dialog.waitFor();
    return dialog;
  }

  it('lets the vendor turn attributes on and define a custom one, refusing a bad key beside its field', async () => {
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    await signIn(page, ctx);

    // Before any attribute is on, a connection's mappings point to the Attributes page.
    const empty = await openMappings(page);
    await empty.getByRole('heading', { name: 'No user attributes are on' }).waitFor();
    await empty.getByRole('link', { name: 'Open the Attributes page' }).click();
    await page.getByRole('heading', { name: 'Attributes', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Attributes' }).getAttribute('aria-current')).toBe('page');

    await page.getByRole('list', { name: 'Standard attributes' }).getByText('userName', { exact: true }).waitFor();
    await page.getByRole('switch', { name: 'jobTitle' }).check();
    await page.getByRole('switch', { name: 'department' }).check();
    // Each predefined attribute's default source, per provider: Okta's phone number is its primary one.
    await page.getByRole('button', { name: 'Sources by provider of phoneNumber' }).click();
    await page.getByText('phoneNumbers[primary eq true].value').waitFor();

    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByLabel('Key of custom attribute 1').fill('costCode');
    await page.getByLabel('Type of custom attribute 1').selectOption('number');
    await page.getByLabel('Description of custom attribute 1').fill('Cost code for billing');
    await page.getByLabel('Custom attribute 1 is required').check();
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.getByLabel('Key of custom attribute 2').fill('2fast');
    await page.getByRole('button', { name: 'Save attributes' }).click();
    const badKey = page.getByLabel('Key of custom attribute 2');
    await page.getByText('"2fast" is not a valid key: a letter, then up to 63 letters, digits or underscores').waitFor();
    expect(await badKey.getAttribute('aria-invalid')).toBe('true');
    expect((await ctx.api<{ custom: unknown[] }>('GET', '/api/v1/attributes')).body.custom).toEqual([]);

    await page.getByRole('button', { name: 'Remove custom attribute 2' }).click();
    await page.getByRole('button', { name: 'Save attributes' }).click();
    await page.getByRole('status').getByText(/^Saved\./).waitFor();
    // The connection's users are re-evaluated in the background, shown until it ends.
    await page.getByRole('status').getByText('Re-evaluating the users of 1 connection…').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'attributes');
    await reevaluate();
    await page.getByRole('status').getByText("Every connection's users are up to date with these attributes.").waitFor();
    const catalogue = await ctx.api<{ predefined: { key: string; enabled: boolean }[]; custom: unknown[] }>('GET', '/api/v1/attributes');
    expect(catalogue.body.predefined.filter((a) => a.enabled).map((a) => a.key)).toEqual(['jobTitle', 'department']);
    expect(catalogue.body.custom).toEqual([{ key: 'costCode', type: 'number', description: 'Cost code for billing', required: true }]);
  });

  it('previews a source path against a provisioned user, explains an invalid one, saves and follows the re-evaluation', async () => {
    // Ada is the user updated last: the preview reads her unless another is chosen.
    await scim('PUT', `/Users/${state.ada}`, ada('Principal Engineer'));
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    await signIn(page, ctx);
    const dialog = await openMappings(page);
    await dialog.getByText('Values below are what these sources give for').waitFor();
    await dialog.getByText('Ada Lovelace (ada@acme.test)').waitFor();
    await valueOf(dialog, 'jobTitle').getByText('Principal Engineer').waitFor();
    await valueOf(dialog, 'department').getByText('Research').waitFor();
    // The custom attribute's default source (the Rollcall extension) holds nothing, and it is required.
    expect(await dialog.getByLabel('Source of costCode', { exact: true }).inputValue()).toBe('urn:ietf:params:scim:schemas:extension:rollcall:2.0:User:costCode');
    await valueOf(dialog, 'costCode').getByText('No value').waitFor();

    const source = dialog.getByLabel('Source of costCode', { exact: true });
    await source.fill(`${ENTERPRISE}:costCenter[`);
    await dialog.getByText('The source of "costCode": Not a SCIM attribute path (at character 71)').waitFor();
    expect(await source.getAttribute('aria-invalid')).toBe('true');
    await source.fill(`${ENTERPRISE}:costCenter`);
    await valueOf(dialog, 'costCode').getByText('4711', { exact: true }).waitFor();
    expect(await source.getAttribute('aria-invalid')).toBeNull();
    await dialog.getByText('Default: urn:ietf:params:scim:schemas:extension:rollcall:2.0:User:costCode').waitFor();
    await screenshot(page, 'attribute-mappings');

    // Another user, found by the search: Grace's cost centre is no number.
    await dialog.getByLabel('Preview another user').fill('grace');
    await dialog.getByRole('button', { name: 'Preview Grace Hopper (grace@acme.test)' }).click();
    await valueOf(dialog, 'costCode').getByText('Not converted').waitFor();
    await valueOf(dialog, 'costCode').getByText('"n/a" is not a number').waitFor();
    await valueOf(dialog, 'jobTitle').getByText('Rear Admiral <img src=x id=injected-img').waitFor();
    expect(await page.locator('#injected-img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await dialog.getByRole('button', { name: 'Use the user updated last' }).click();
    await valueOf(dialog, 'costCode').getByText('4711', { exact: true }).waitFor();

    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('status').getByText(/^Saved\./).waitFor();
    await dialog.getByRole('status').getByText("Updating the values of this connection's users…").waitFor();
    expect(await mappings()).toMatchObject({ jobTitle: 'title', department: `${ENTERPRISE}:department`, costCode: `${ENTERPRISE}:costCenter` });
    await reevaluate();
    await dialog.getByText(/^Users updated: 2 users re-evaluated/).waitFor();
    // Grace's value did not convert: counted, and listed with the reason.
    await dialog.getByText('1 user has a value that did not convert to its type').waitFor();
    await dialog.getByRole('button', { name: 'Show the users' }).click();
    const problems = dialog.getByRole('list', { name: 'Users with values that did not convert' });
    await problems.locator('strong', { hasText: 'grace@acme.test' }).waitFor();
    await problems.getByText('"n/a" is not a number').waitFor();
    // The directory shows the converted value, on the user's page too.
    const user = await ctx.api<{ attributes: Record<string, unknown> }>('GET', `/api/v1/users/${state.ada}`);
    expect(user.body.attributes).toMatchObject({ jobTitle: 'Principal Engineer', department: 'Research', costCode: 4711 });
    await page.goto(`/dashboard/accounts/${tenantId}/users/${state.ada}`);
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Attributes' }) });
    await card.getByText('4711', { exact: true }).waitFor();
    await card.getByText('Research', { exact: true }).waitFor();
  });

  async function openPortal(permissions: string[]): Promise<{ page: Page; dialog: Locator }> {
    const minted = await ctx.api<{ token: string }>('POST', '/api/v1/user-tokens', { tenantId, userId: `admin-${permissions.length}`, permissions });
    expect(minted.status).toBe(201);
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(`/portal?token=${encodeURIComponent(minted.body.token)}`);
    await page.getByRole('button', { name: 'Attributes of Okta attrs' }).click();
    const dialog = page.getByRole('dialog', { name: 'Attribute mappings of Okta attrs' });
    await dialog.waitFor();
    await dialog.getByText('Ada Lovelace (ada@acme.test)').waitFor();
    return { page, dialog };
  }

  it("lets the customer's admin change a mapping with the write permission", async () => {
    const { page, dialog } = await openPortal([READ, WRITE]);
    // The portal cannot list users: another user is previewed by ID.
    expect(await dialog.getByLabel('Preview another user').getAttribute('type')).not.toBe('search');
    const source = dialog.getByLabel('Source of jobTitle', { exact: true });
    await source.fill('userType');
    await valueOf(dialog, 'jobTitle').getByText('Employee', { exact: true }).waitFor();
    await screenshot(page, 'portal-attribute-mappings');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('status').getByText(/^Saved\./).waitFor();
    expect(await mappings()).toMatchObject({ jobTitle: 'userType' });
    // Reset to default brings the provider's path back.
    await dialog.getByRole('button', { name: 'Reset to default for jobTitle' }).click();
    expect(await source.inputValue()).toBe('title');
    await valueOf(dialog, 'jobTitle').getByText('Principal Engineer').waitFor();
  });

  it('shows them read-only, with who to ask, with the read permission alone', async () => {
    const { dialog } = await openPortal([READ]);
    await dialog.getByText('Ask an admin with the “Create provisioning connections” permission to change them.', { exact: false }).waitFor();
    const source = dialog.getByLabel('Source of jobTitle', { exact: true });
    expect(await source.inputValue()).toBe('userType');
    expect(await source.isEditable()).toBe(false);
    expect(await dialog.getByLabel('Map to nothing for jobTitle').isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: /^Reset to default/ }).count()).toBe(0);
    // Previewing is reading: the values still show.
    await valueOf(dialog, 'jobTitle').getByText('Employee', { exact: true }).waitFor();
  });
});
