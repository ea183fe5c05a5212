/**
 * Who may hand the portal a user token by postMessage: only an origin FRAME_ANCESTORS names (or
 * Rollcall's own). A vendor app on an allowed origin opens the portal as a popup and signs it in; a
 * foreign site doing the same is ignored — otherwise any site could sign a visitor's portal in to the
 * sender's tenant.
 */
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, useBrowserApp } from './support/browser.js';

const READ = 'fe.secure.read.provisioningConfiguration';

describeBrowser('portal token hand-over by origin', () => {
  // The vendor app is on http://localhost:<any port>; Rollcall is on http://127.0.0.1:<port>: another origin.
  const ctx = useBrowserApp({ FRAME_ANCESTORS: 'http://localhost:*' });
  let token = '';

  beforeAll(async () => {
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId: 'acme-embed', name: 'Acme' })).status).toBe(201);
    expect((await ctx.api('PATCH', '/api/v1/settings', { selfService: { scimProvisioning: true } })).status).toBe(200);
    const created = await ctx.api('POST', '/directory/resources/v1/configurations/scim2', { source: 'okta', connectionName: 'Acme Okta' }, { 'frontegg-tenant-id': 'acme-embed' });
    expect(created.status).toBe(201);
    const minted = await ctx.api<{ token: string }>('POST', '/api/v1/user-tokens', { tenantId: 'acme-embed', userId: 'admin', permissions: [READ] });
    expect(minted.status).toBe(201);
    token = minted.body.token;
  });

  /** Opens the portal from a page at `openerUrl` that posts the token when the portal is ready. */
  async function openFrom(openerUrl: string): Promise<Page> {
    const page = await ctx.newPage();
    await page.route(openerUrl, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>Opener</title>
<button id="open">Open provisioning</button>
<script>
  addEventListener('message', (event) => {
    if (event.data && event.data.type === 'rollcall:ready') event.source.postMessage({ type: 'rollcall:token', token: ${JSON.stringify(token)} }, '*');
  });
  document.getElementById('open').addEventListener('click', () => window.open(${JSON.stringify(`${ctx.baseUrl}/portal`)}, 'rollcall'));
</script>`,
      }),
    );
    await page.goto(openerUrl);
    const [popup] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Open provisioning' }).click()]);
    popup.setDefaultTimeout(8000);
    return popup;
  }

  it('signs in when the opener is on an origin FRAME_ANCESTORS allows', async () => {
    const port = new URL(ctx.baseUrl).port;
    const popup = await openFrom(`http://localhost:${port}/vendor-app`);
    await popup.getByRole('heading', { name: 'Directory provisioning' }).waitFor();
    await popup.getByRole('row', { name: /Acme Okta/ }).waitFor();
  });

  it('ignores the same token from any other origin', async () => {
    const popup = await openFrom('http://evil.example/page');
    // Embedded without a session, the portal waits a moment for a token, then says it has none.
    await popup.getByText(/expired|invalid|open the portal again/i).first().waitFor({ timeout: 10_000 });
    expect(await popup.getByRole('heading', { name: 'Directory provisioning' }).count()).toBe(0);
    expect(await popup.evaluate(async () => (await fetch('/ui/portal/session')).status)).toBe(401);
  });
});
