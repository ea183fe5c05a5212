/**
 * The settings side of the dashboard in a real browser against a real server: the builder (SCIM
 * provisioning switch, portal theme and its live preview), roles, an account's group → role mapping,
 * and webhooks from creation to a redelivered delivery received by a local endpoint.
 */
import type { Page } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { verifyRollcallSignature } from '../../src/webhooks/verify.js';
import { startReceiver, type Receiver } from '../webhooks/receiver.js';
import { describeBrowser, screenshot, signIn, useBrowserApp, type BrowserApp } from './support/browser.js';

const SCIM_JSON = 'application/scim+json';

/** An account with a SCIM connection that syncs to user management; the connection's id and token. */
async function accountWithConnection(ctx: BrowserApp, tenantId: string, name: string): Promise<{ id: string; token: string }> {
  expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId, name })).status).toBe(201);
  const connection = await ctx.api<{ id: string; token: string }>(
    'POST',
    '/directory/resources/v1/configurations/scim2',
    { source: 'okta', connectionName: 'Okta', syncToUserManagement: true },
    { 'frontegg-tenant-id': tenantId },
  );
  expect(connection.status).toBe(201);
  return connection.body;
}

/** POSTs a SCIM resource as the identity provider would; the created resource's id. */
async function scimCreate(ctx: BrowserApp, connection: { id: string; token: string }, type: 'Users' | 'Groups', resource: Record<string, unknown>): Promise<string> {
  const res = await ctx.api<{ id: string }>('POST', `/directory/resources/scim/v2.0/${connection.id}/${type}`, resource, {
    authorization: `Bearer ${connection.token}`,
    'content-type': SCIM_JSON,
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

/** The browser's window, typed for what the tests read (this project's Node types have no DOM). */
type BrowserWindow = { getComputedStyle(element: unknown): Record<string, string> };

/** A computed style property of the element with this test id. */
const styleOf = (page: Page, testId: string, property: 'backgroundColor' | 'borderTopColor') =>
  page.getByTestId(testId).evaluate((el, p) => (globalThis as unknown as BrowserWindow).getComputedStyle(el)[p], property);

describeBrowser('dashboard settings pages', () => {
  const ctx = useBrowserApp();
  let receiver: Receiver | undefined;
  afterAll(() => receiver?.close());

  it('builder: turns SCIM provisioning on, themes the portal with a live preview, and shows the API’s validation message', async () => {
    const page = await ctx.newPage();
    await signIn(page, ctx);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Builder' }).click();

    const toggle = page.getByRole('switch', { name: 'SCIM Provisioning' });
    await page.getByTestId('preview-unavailable').waitFor();
    expect(await toggle.isChecked()).toBe(false);
    await toggle.click();
    await page.getByText('SCIM provisioning is on in the self-service portal.').waitFor();
    expect(await toggle.isChecked()).toBe(true);
    expect((await ctx.api<{ selfService: { scimProvisioning: boolean } }>('GET', '/api/v1/settings')).body.selfService.scimProvisioning).toBe(true);
    // The preview now shows the Provisioning tab with its "Add connection" button.
    await page.getByTestId('preview-add-connection').waitFor();

    // Rollcall's indigo until a colour is set; the preview follows the form as it is typed.
    expect(await styleOf(page, 'preview-add-connection', 'backgroundColor')).toBe('rgb(79, 70, 229)');
    await page.getByLabel('Brand colour', { exact: true }).fill('#0a7d32');
    await page.getByLabel('Product name').fill('Acme Cloud');
    await expect.poll(() => styleOf(page, 'preview-add-connection', 'backgroundColor')).toBe('rgb(10, 125, 50)');
    expect(await styleOf(page, 'preview-header', 'borderTopColor')).toBe('rgb(10, 125, 50)');
    await page.getByTestId('preview-header').getByText('Acme Cloud').waitFor();
    await page.getByRole('button', { name: 'Save theme' }).click();
    await page.getByText('Portal theme saved.').waitFor();
    const saved = await ctx.api<{ portal: Record<string, unknown> }>('GET', '/api/v1/settings');
    expect(saved.body.portal).toEqual({ brandColor: '#0a7d32', logoUrl: null, productName: 'Acme Cloud' });
    await screenshot(page, 'builder');

    // A colour the API refuses: its message is shown, nothing changes.
    await page.getByLabel('Brand colour', { exact: true }).fill('#0a7d3');
    await page.getByRole('button', { name: 'Save theme' }).click();
    await page.getByText('portal.brandColor must match pattern').waitFor();
    expect((await ctx.api<{ portal: { brandColor: string } }>('GET', '/api/v1/settings')).body.portal.brandColor).toBe('#0a7d32');
  });

  it('roles: creates a role with the write permission through the dialog', async () => {
    const page = await ctx.newPage();
    await signIn(page, ctx);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roles' }).click();
    // The seeded roles, with the provisioning permissions by their human names.
    const admin = page.getByRole('row').filter({ hasText: 'Admin' }).first();
    await admin.getByText('Delete connections').waitFor();

    await page.getByRole('button', { name: 'Create role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create role' });
    await dialog.getByLabel('Name', { exact: true }).fill('Connection manager');
    expect(await dialog.getByLabel('Key', { exact: true }).inputValue()).toBe('connection-manager');
    await dialog.getByLabel('Add connections').check();
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('row').filter({ hasText: 'Connection manager' });
    await row.getByText('Add connections').waitFor();
    expect(await row.getByText('View provisioning').count()).toBe(0);
    const role = await ctx.api<{ permissions: string[]; isDefault: boolean }>('GET', '/api/v1/roles/connection-manager');
    expect(role.status).toBe(200);
    expect(role.body).toMatchObject({ permissions: ['fe.secure.write.provisioningConfiguration'], isDefault: false });
    await screenshot(page, 'roles');
  });

  it('account roles: maps a role to a SCIM group, which the group’s members then carry', async () => {
    const connection = await accountWithConnection(ctx, 'acme-roles', 'Acme Roles');
    expect((await ctx.api('POST', '/api/v1/roles', { key: 'support', name: 'Support', permissions: ['fe.secure.read.provisioningConfiguration'] })).status).toBe(201);
    const userId = await scimCreate(ctx, connection, 'Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ann@acme.test', active: true });
    const groupId = await scimCreate(ctx, connection, 'Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Engineering',
      members: [{ value: userId }],
    });

    const page = await ctx.newPage();
    await signIn(page, ctx);
    await page.goto('/dashboard/accounts/acme-roles/roles');
    const row = page.getByRole('row').filter({ hasText: 'Engineering' });
    await row.getByText('No roles mapped').waitFor();

    await row.getByRole('button', { name: 'Edit roles of Engineering' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roles of Engineering' });
    await dialog.getByLabel('Support').check();
    await dialog.getByRole('button', { name: 'Save roles' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByRole('list', { name: 'Roles of Engineering' }).getByText('Support').waitFor();

    const mapping = await ctx.api<{ roleKeys: string[] }>('GET', `/api/v1/tenants/acme-roles/groups/${groupId}/roles`);
    expect(mapping.body.roleKeys).toEqual(['support']);
    const user = await ctx.api<{ roles: string[] }>('GET', `/api/v1/users/${userId}`);
    expect(user.body.roles).toEqual(['read-only', 'support']);

    // The search goes to the API; no group matches this.
    await page.getByLabel('Search groups').fill('no such group');
    await page.getByText('No matching groups').waitFor();
  });

  it('webhooks: adds one, shows its secret once, lists its delivery and redelivers it', async () => {
    receiver = await startReceiver();
    const connection = await accountWithConnection(ctx, 'acme-hooks', 'Acme Hooks');
    const page = await ctx.newPage();
    await signIn(page, ctx);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByText('No webhooks yet').waitFor();

    await page.getByRole('button', { name: 'Add webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add webhook' });
    await dialog.getByLabel('Endpoint URL').fill(receiver.url);
    await dialog.getByLabel('Only the event types below').check();
    await dialog.getByLabel('user.created').check();
    await dialog.getByLabel('Tenant ID (optional)').fill('acme-hooks');
    await dialog.getByRole('button', { name: 'Add webhook' }).click();

    const added = page.getByRole('dialog', { name: 'Webhook added' });
    await added.getByText('won\'t be shown again').waitFor();
    const secret = await added.getByTestId('webhook-secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await added.getByRole('button', { name: 'Done' }).click();
    await added.waitFor({ state: 'detached' });

    const row = page.getByRole('row').filter({ hasText: receiver.url });
    await row.getByText('Active').waitFor();
    const list = await ctx.api<{ items: { id: string; url: string; events: string[]; tenantId: string; enabled: boolean }[] }>('GET', '/api/v1/webhooks');
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ url: receiver.url, events: ['user.created'], tenantId: 'acme-hooks', enabled: true });
    const webhookId = list.body.items[0].id;
    // The secret is in no later answer.
    expect(JSON.stringify((await ctx.api('GET', `/api/v1/webhooks/${webhookId}`)).body)).not.toContain(secret);
    await screenshot(page, 'webhooks');

    // An IdP provisions a user; the background jobs (driven here) deliver the event.
    await scimCreate(ctx, connection, 'Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bob@acme.test', active: true });
    const { dispatcher, deliverer } = ctx.app.services.webhooks;
    while (await dispatcher.run());
    await deliverer.run();
    await receiver.waitFor(1);
    const first = receiver.received[0];
    expect(verifyRollcallSignature(secret, first.headers['rollcall-signature'] as string, first.body)).toBe(true);

    await row.getByRole('link', { name: receiver.url }).click();
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
    const delivery = page.getByRole('row').filter({ hasText: 'user.created' });
    await delivery.getByText('Succeeded').waitFor();
    await delivery.getByText('HTTP 200').waitFor();

    await delivery.getByRole('button', { name: /^Redeliver user\.created/ }).click();
    await page.getByText('delivery is scheduled again').waitFor();
    await delivery.getByText('Pending').waitFor();
    await deliverer.run();
    await receiver.waitFor(2);
    expect(receiver.received[1].headers['rollcall-event-id']).toBe(first.headers['rollcall-event-id']);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await delivery.getByText('Succeeded').waitFor();
    await screenshot(page, 'webhook-detail');

    // Off, then deleted after confirmation.
    await page.getByRole('switch', { name: 'Enabled' }).click();
    await expect.poll(async () => (await ctx.api<{ enabled: boolean }>('GET', `/api/v1/webhooks/${webhookId}`)).body.enabled).toBe(false);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete webhook?' }).getByRole('button', { name: 'Delete webhook' }).click();
    await page.getByText('No webhooks yet').waitFor();
    expect((await ctx.api('GET', `/api/v1/webhooks/${webhookId}`)).status).toBe(404);
  });
});
