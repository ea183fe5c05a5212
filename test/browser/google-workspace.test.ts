/**
 * Google Workspace connections in a real browser, against the local Google stand-in
 * (test/support/google-workspace): the vendor creates one in the dashboard and connects it through
 * Google's consent page (a refusal first, then a grant), and its first sync brings the domain's users;
 * a customer's admin connects one in the portal with a service account key (a key without delegation
 * first, refused with Google's reason); a revoked grant shows as "Needs re-authorization" with the reason
 * in the dashboard and the portal until someone authorizes again; and the groups it syncs are chosen
 * from Google's live list.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGoogleStandIn, type GoogleStandIn } from '../support/google-workspace/stand-in.js';
import { describeBrowser, screenshot, signIn, useBrowserApp } from './support/browser.js';

const READ = 'fe.secure.read.provisioningConfiguration';
const WRITE = 'fe.secure.write.provisioningConfiguration';
const DELETE = 'fe.secure.delete.provisioningConfiguration';
const SEED = { users: 30, groups: 4 };

interface Overview {
  items: { id: string; connectionName: string; users: number; groups: number; type: string; googleWorkspace: { status: string; reason: string | null } | null }[];
}

describeBrowser('Google Workspace connections', () => {
  let google: GoogleStandIn;
  // Before useBrowserApp's hook: the stand-in's URLs are the server's configuration.
  beforeAll(async () => {
    google = await startGoogleStandIn();
    google.directory.seed(SEED);
  });
  afterAll(async () => {
    await google?.close();
  });
  const ctx = useBrowserApp(() => ({
    GOOGLE_OAUTH_CLIENT_ID: google.oauthClient.clientId,
    GOOGLE_OAUTH_CLIENT_SECRET: google.oauthClient.clientSecret,
    GOOGLE_API_URL: google.apiUrl,
    GOOGLE_TOKEN_URL: google.tokenUrl,
    GOOGLE_AUTH_URL: google.authUrl,
  }));
  const vendorTenant = 'acme-google';
  const portalTenant = 'globex-google';

  beforeAll(async () => {
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId: vendorTenant, name: 'Acme Google' })).status).toBe(201);
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId: portalTenant, name: 'Globex' })).status).toBe(201);
    expect((await ctx.api('PATCH', '/api/v1/settings', { selfService: { scimProvisioning: true } })).status).toBe(200);
  });

  const overview = async (tenantId: string) => (await ctx.api<Overview>('GET', `/api/v1/tenants/${tenantId}/connections`)).body.items;
  const connectionNamed = async (tenantId: string, name: string) => {
    const found = (await overview(tenantId)).find((c) => c.connectionName === name);
    if (!found) throw new Error(`no connection ${name} in ${tenantId}`);
    return found;
  };

  async function dashboard(): Promise<Page> {
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, ctx);
    return page;
  }

  async function portal(tenantId: string, permissions: string[]): Promise<Page> {
    const minted = await ctx.api<{ token: string }>('POST', '/api/v1/user-tokens', { tenantId, userId: `admin-${permissions.length}`, email: 'it@globex.test', permissions });
    expect(minted.status).toBe(201);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`/portal?token=${encodeURIComponent(minted.body.token)}`);
    await page.getByRole('heading', { name: 'Directory provisioning' }).waitFor();
    return page;
  }

  /** Picks Google Workspace in the create dialog, names the connection and creates it; the dialog, showing "Connect Google Workspace". */
  async function createGoogleConnection(page: Page, createLabel: string, name: string): Promise<Locator> {
    await page.getByRole('button', { name: createLabel }).first().click();
    const create = page.getByRole('dialog', { name: 'Create SCIM connection' });
    await create.getByRole('button', { name: 'Google Workspace' }).click();
    // The dialog is named for what it creates now.
    const dialog = page.getByRole('dialog', { name: 'Create Google Workspace connection' });
    await dialog.getByText('no provisioning URL or token to paste').waitFor();
    await dialog.getByLabel('Connection name').fill(name);
    await dialog.getByRole('button', { name: 'Create connection' }).click();
    const connect = page.getByRole('dialog', { name: 'Connection created' });
    await connect.getByRole('heading', { name: 'Connect Google Workspace' }).waitFor();
    return connect;
  }

  it("lets the vendor connect a Google Workspace through Google's consent, and syncs its users", async () => {
    const page = await dashboard();
    await page.goto(`/dashboard/accounts/${vendorTenant}/provisioning`);
    const connect = await createGoogleConnection(page, 'Create connection', 'Acme Google');
    // No SCIM URL or token: the ways to connect it, with what to allow in Google.
    expect(await connect.getByTestId('connection-token').count()).toBe(0);
    await connect.getByRole('button', { name: 'Use a service account' }).click();
    expect(await connect.getByTestId('google-scopes').inputValue()).toBe(
      'https://www.googleapis.com/auth/admin.directory.user.readonly,https://www.googleapis.com/auth/admin.directory.group.readonly',
    );
    await connect.getByText('Security → API controls → Domain-wide delegation').waitFor();
    await screenshot(page, 'google-workspace-connect');

    // The admin refuses at Google: back on this page, the dialog says so, as text.
    google.consent = { grant: false, as: 'admin@example.com' };
    await connect.getByRole('button', { name: 'Sign in with Google' }).click();
    let dialog = page.getByRole('dialog', { name: 'Google Workspace sync of Acme Google' });
    await dialog.getByRole('alert').getByText('Google Workspace was not connected: The admin did not grant access').waitFor();
    await dialog.getByText('Needs authorization', { exact: true }).waitFor();

    // Then grants: the round trip goes through the stand-in's consent page and Rollcall's callback.
    google.consent = { grant: true, as: 'admin@example.com' };
    await dialog.getByRole('button', { name: 'Sign in with Google' }).click();
    dialog = page.getByRole('dialog', { name: 'Google Workspace sync of Acme Google' });
    await dialog.getByRole('status').getByText('Google Workspace is connected.').waitFor();
    // The outcome is read once: the address no longer carries it.
    expect(new URL(page.url()).search).toBe('');
    await dialog.getByText('Active', { exact: true }).waitFor();
    await dialog.getByText('Authorized by a super administrator who signed in with Google.').waitFor();
    await dialog.locator('.google-last').getByText(`${SEED.users} users created`).waitFor({ timeout: 20_000 });
    const history = dialog.getByRole('table', { name: 'Syncs of Acme Google' });
    await history.getByRole('cell', { name: 'Authorization' }).waitFor();
    await history.getByText('Succeeded').first().waitFor();
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    // The list: a Google mark and label, its status and its last sync; no SCIM actions.
    const row = page.getByRole('row', { name: /Acme Google/ });
    await row.getByText('Google Workspace').waitFor();
    await row.getByText('Active', { exact: true }).waitFor();
    await row.getByText(`${SEED.users} users created`).waitFor();
    await page.getByRole('button', { name: 'Manage Acme Google' }).click();
    const settings = page.getByRole('group', { name: 'Settings of Acme Google' });
    await settings.getByRole('button', { name: 'Google Workspace' }).waitFor();
    await settings.getByRole('button', { name: 'Attributes' }).waitFor();
    for (const scimOnly of ['Setup guide', 'Rotate token', 'Compatibility']) expect(await settings.getByRole('button', { name: scimOnly }).count()).toBe(0);
    expect(await settings.getByTestId('row-provisioning-url').count()).toBe(0);
    await screenshot(page, 'google-workspace-provisioning');

    // The account's users page lists the synced users, and filters by the Google connection.
    const connection = await connectionNamed(vendorTenant, 'Acme Google');
    expect(connection.users).toBe(SEED.users);
    const someone = google.directory.users().find((u) => u.primaryEmail !== 'admin@example.com')!;
    await page.goto(`/dashboard/accounts/${vendorTenant}/users?connectionId=${connection.id}`);
    await expect.poll(() => page.getByLabel('Connection').locator('option:checked').textContent()).toBe('Acme Google');
    await page.getByText(someone.primaryEmail).first().waitFor();

    // Monitoring shows its syncs where the connection is chosen.
    await page.goto(`/dashboard/monitoring?tenantId=${vendorTenant}&connectionId=${connection.id}`);
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: 'Google Workspace syncs — Acme Google' }) });
    await card.getByRole('table', { name: 'Syncs of Acme Google' }).getByText(`${SEED.users} users created`).waitFor();
    await screenshot(page, 'google-workspace-monitoring');

    // The event feed, across every account, names the connection its users came from (not as a deleted one).
    await page.goto('/dashboard/events');
    const events = page.getByRole('table', { name: 'Events, newest first' });
    await events.getByRole('cell', { name: 'Acme Google', exact: true }).first().waitFor();
    expect(await events.getByText('Acme Google (deleted)').count()).toBe(0);
  }, 60_000);

  it("lets the customer's admin connect one in the portal with a service account key", async () => {
    const page = await portal(portalTenant, [READ, WRITE, DELETE]);
    const connect = await createGoogleConnection(page, 'Add connection', 'Globex Google');
    await connect.getByRole('button', { name: 'Use a service account' }).click();

    // A key whose client ID the domain never allowed: Google's reason, under the form.
    const undelegated = google.serviceAccountKey({ delegatedScopes: [] });
    await connect.getByLabel('Service account key (JSON)').fill(JSON.stringify(undelegated, null, 2));
    await connect.getByLabel('Admin e-mail').fill('admin@example.com');
    await connect.getByRole('button', { name: 'Connect with the service account' }).click();
    const refusal = connect.getByRole('alert');
    await refusal.getByText(/^Not connected: /).waitFor();
    expect((await refusal.textContent())?.length).toBeGreaterThan('Not connected: '.length + 10);

    // The downloaded key file, chosen with the file input.
    const key = google.serviceAccountKey();
    await connect.getByLabel('Or choose the key file').setInputFiles({ name: 'globex-key.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(key)) });
    await connect.getByText('Read from globex-key.json.', { exact: false }).waitFor();
    await connect.getByRole('button', { name: 'Connect with the service account' }).click();
    await connect.getByText('Connected to Google Workspace as admin@example.com.', { exact: false }).waitFor();
    await connect.locator('.google-last').getByText(`${SEED.users} users created`).waitFor({ timeout: 20_000 });
    await connect.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row', { name: /Globex Google/ });
    await row.getByText('Active', { exact: true }).waitFor();
    await row.getByText(`${SEED.users} users created`).waitFor();
    // SCIM-only actions are not offered for it.
    expect(await row.getByRole('button', { name: 'Setup guide for Globex Google' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'New token for Globex Google' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Compatibility of Globex Google' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Attributes of Globex Google' }).waitFor();
    await row.getByRole('button', { name: 'Delete Globex Google' }).waitFor();
    await screenshot(page, 'portal-google-workspace');

    await row.getByRole('button', { name: 'Google Workspace sync of Globex Google' }).click();
    const dialog = page.getByRole('dialog', { name: 'Google Workspace sync of Globex Google' });
    await dialog.getByText(`Authorized with the service account ${String(key.client_email)}, acting as admin@example.com.`).waitFor();
    const state = (await ctx.api<{ status: string; authMethod: string }>('GET', `/api/v1/connections/${(await connectionNamed(portalTenant, 'Globex Google')).id}/google-workspace`)).body;
    expect(state).toMatchObject({ status: 'active', authMethod: 'service_account' });
  }, 60_000);

  it('shows a revoked grant as "Needs re-authorization" with the reason, until someone authorizes again', async () => {
    google.revokeGrants();
    const page = await dashboard();
    await page.goto(`/dashboard/accounts/${vendorTenant}/provisioning`);
    await page.getByRole('button', { name: 'Manage Acme Google' }).click();
    await page.getByRole('group', { name: 'Settings of Acme Google' }).getByRole('button', { name: 'Google Workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Google Workspace sync of Acme Google' });
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    await dialog.getByText('Needs re-authorization', { exact: true }).waitFor({ timeout: 20_000 });
    const { googleWorkspace } = await connectionNamed(vendorTenant, 'Acme Google');
    expect(googleWorkspace?.status).toBe('needs_reauthorization');
    const reason = googleWorkspace?.reason ?? '';
    expect(reason.length).toBeGreaterThan(10);
    await dialog.getByRole('note', { name: 'Acme Google needs re-authorization' }).getByText(reason).waitFor();
    await dialog.getByRole('table', { name: 'Syncs of Acme Google' }).getByText('Failed').waitFor();
    // The ways to connect are offered again.
    await dialog.getByRole('button', { name: 'Sign in with Google' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    // Above the list, a warning with the reason, in the dashboard…
    const banner = page.getByRole('note', { name: 'Acme Google needs re-authorization' });
    await banner.getByText(reason).waitFor();
    await page.getByRole('row', { name: /Acme Google/ }).getByText('Needs re-authorization').waitFor();
    await screenshot(page, 'google-workspace-reauthorization');

    // …and in the portal: a reader is told who to ask, an admin who may change it authorizes again there.
    const reader = await portal(vendorTenant, [READ]);
    const readerBanner = reader.getByRole('note', { name: 'Acme Google needs re-authorization' });
    await readerBanner.getByText(reason).waitFor();
    await readerBanner.getByText('Ask an admin with the “Create provisioning connections” permission to authorize it again.').waitFor();
    expect(await readerBanner.getByRole('button').count()).toBe(0);
    // The reader sees the dialog, and changes nothing in it.
    await reader.getByRole('button', { name: 'Google Workspace sync of Acme Google' }).click();
    const readerDialog = reader.getByRole('dialog', { name: 'Google Workspace sync of Acme Google' });
    await readerDialog.getByRole('table', { name: 'Syncs of Acme Google' }).getByText('Failed').waitFor();
    await readerDialog.getByRole('note').getByText('Ask an admin with the “Create provisioning connections” permission to change these settings.').waitFor();
    for (const action of ['Sync now', 'Save', 'Sign in with Google', 'Use a service account']) expect(await readerDialog.getByRole('button', { name: action }).count()).toBe(0);
    expect(await readerDialog.getByLabel('The whole domain').isDisabled()).toBe(true);

    const admin = await portal(vendorTenant, [READ, WRITE]);
    const adminBanner = admin.getByRole('note', { name: 'Acme Google needs re-authorization' });
    await adminBanner.getByText(reason).waitFor();
    await adminBanner.getByRole('button', { name: 'Authorize again Acme Google' }).click();
    const portalDialog = admin.getByRole('dialog', { name: 'Google Workspace sync of Acme Google' });
    await portalDialog.getByRole('button', { name: 'Sign in with Google' }).click();
    const back = admin.getByRole('dialog', { name: 'Google Workspace sync of Acme Google' });
    await back.getByRole('status').getByText('Google Workspace is connected.').waitFor();
    await back.getByText('Active', { exact: true }).waitFor();
    expect(new URL(admin.url()).pathname).toBe('/portal');
    await back.getByRole('button', { name: 'Close' }).last().click();
    expect(await admin.getByRole('note', { name: 'Acme Google needs re-authorization' }).count()).toBe(0);

    // The dashboard shows it cleared once the list loads again.
    await page.reload();
    await page.getByRole('row', { name: /Acme Google/ }).getByText('Active', { exact: true }).waitFor();
    expect(await page.getByRole('note', { name: 'Acme Google needs re-authorization' }).count()).toBe(0);
    expect((await connectionNamed(vendorTenant, 'Acme Google')).googleWorkspace).toMatchObject({ status: 'active', reason: null });
  }, 90_000);

  it('syncs only the groups chosen from Google’s list', async () => {
    const connection = await connectionNamed(vendorTenant, 'Acme Google');
    // Wait out the sync the re-authorization started, so the next one is the selection's.
    await ctx.app.services.googleSync.settled();
    const chosen = google.directory.groups().slice(1, 3);
    const domainUsers = new Set(google.directory.users().map((u) => u.id));
    const members = new Set(chosen.flatMap((g) => google.directory.members(g.id, { derived: true }).map((m) => m.id)).filter((id) => domainUsers.has(id)));

    const page = await dashboard();
    await page.goto(`/dashboard/accounts/${vendorTenant}/provisioning`);
    await page.getByRole('button', { name: 'Manage Acme Google' }).click();
    await page.getByRole('group', { name: 'Settings of Acme Google' }).getByRole('button', { name: 'Google Workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Google Workspace sync of Acme Google' });
    const form = dialog.getByRole('form', { name: 'What it syncs' });
    expect(await form.getByLabel('The whole domain').isChecked()).toBe(true);
    await form.getByLabel('Only chosen groups').check();
    const list = form.getByRole('group', { name: 'Groups to sync' });
    for (const group of google.directory.groups()) await list.getByLabel(group.name, { exact: true }).waitFor();
    for (const group of chosen) await list.getByLabel(group.name, { exact: true }).check();
    await form.getByText('2 groups chosen').waitFor();
    await form.getByText('users and groups it no longer covers are deleted').waitFor();
    await form.getByLabel('Sync every (minutes)').fill('2');
    await form.getByText('A whole number of minutes from 5 to 1440').waitFor();
    await form.getByLabel('Sync every (minutes)').fill('60');
    await screenshot(page, 'google-workspace-dialog');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();

    const state = (await ctx.api<{ selection: { mode: string; groups: string[] }; intervalMinutes: number }>('GET', `/api/v1/connections/${connection.id}/google-workspace`)).body;
    expect({ ...state.selection, groups: [...state.selection.groups].sort() }).toEqual({ mode: 'groups', groups: chosen.map((g) => g.email.toLowerCase()).sort() });
    expect(state.intervalMinutes).toBe(60);
    // The new selection syncs at once: the users outside the chosen groups are deleted.
    const deleted = SEED.users - members.size;
    await dialog.locator('.google-last').getByText(`${deleted} ${deleted === 1 ? 'user' : 'users'} deleted`).waitFor({ timeout: 20_000 });
    await dialog.getByText('every hour', { exact: false }).waitFor();
    expect((await connectionNamed(vendorTenant, 'Acme Google')).users).toBe(members.size);
  }, 60_000);
});
