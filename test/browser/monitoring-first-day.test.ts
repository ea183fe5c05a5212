/**
 * Monitoring on a first day, in a real browser: the chart starts at the first request rather than a
 * day before it, a deleted connection is named "(deleted)" from its logged name, and every count
 * reads in the right number ("1 error", never "1 errors").
 */
import { beforeAll, expect, it } from 'vitest';
import { describeBrowser, signIn, useBrowserApp } from './support/browser.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

describeBrowser('dashboard: monitoring with fresh data and a deleted connection', () => {
  const ctx = useBrowserApp();
  let liveId = '';
  let goneId = '';

  beforeAll(async () => {
    expect((await ctx.api('POST', '/tenants/resources/tenants/v1', { tenantId: 'acme', name: 'Acme Corp' })).status).toBe(201);
    const connect = async (connectionName: string) => {
      const created = await ctx.api<{ id: string; token: string }>('POST', '/directory/resources/v1/configurations/scim2', { source: 'okta', connectionName, syncToUserManagement: true }, { 'frontegg-tenant-id': 'acme' });
      expect(created.status).toBe(201);
      return created.body;
    };
    const scim = async (connection: { id: string; token: string }, userName: string) =>
      (
        await fetch(`${ctx.baseUrl}/directory/resources/scim/v2.0/${connection.id}/Users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${connection.token}`, 'content-type': 'application/scim+json' },
          body: JSON.stringify({ schemas: [USER_SCHEMA], userName }),
        })
      ).status;
    const live = await connect('Acme Okta');
    liveId = live.id;
    expect(await scim(live, 'ada')).toBe(201);
    expect(await scim(live, 'grace')).toBe(201);
    // One error: the same userName again.
    expect(await scim(live, 'ada')).toBe(409);
    // One request from a connection deleted since.
    const gone = await connect('Trial Okta');
    goneId = gone.id;
    expect(await scim(gone, 'trial')).toBe(201);
    await ctx.app.requestLog.flush();
    expect((await ctx.api('DELETE', `/directory/resources/v1/configurations/scim2/${goneId}?removeUsersAndGroups=true`)).status).toBe(204);
  });

  it('starts the 24-hour chart at the first request, in five-minute bars, instead of one sliver at the right', async () => {
    const page = await ctx.newPage();
    await signIn(page, ctx);
    await page.goto('/dashboard/monitoring');
    const chart = page.getByRole('img', { name: /SCIM requests and errors over time/ });
    await chart.waitFor();
    const total = page.locator('figure.chart .chart-total');
    await total.getByText(/one bar per 5 minutes/).waitFor();
    await expect(total.textContent()).resolves.toMatch(/no requests earlier in this period/);
    // A day in 15-minute bars draws each 5.5 units wide; an hour in 5-minute bars, over 40.
    const width = Number(await page.locator(`svg rect.chart-bar[data-connection="${liveId}"]`).first().getAttribute('width'));
    expect(width).toBeGreaterThan(40);
  });

  it('names a deleted connection by its logged name, marked "(deleted)", in the summary, the chart and the log', async () => {
    const page = await ctx.newPage();
    await signIn(page, ctx);
    await page.goto('/dashboard/monitoring');
    const summary = page.getByRole('list', { name: 'Connections' });
    await summary.getByText('Trial Okta (deleted)', { exact: true }).waitFor();
    await summary.getByText('Acme Okta', { exact: true }).waitFor();
    await page.getByRole('list', { name: 'Legend' }).getByText('Trial Okta (deleted)').waitFor();
    const log = page.getByRole('table', { name: 'SCIM requests, newest first' });
    await log.getByRole('cell', { name: 'Trial Okta (deleted)' }).waitFor();
    expect(await page.getByText(goneId).count()).toBe(0);
  });

  it('writes every count in the right number', async () => {
    const page = await ctx.newPage();
    await signIn(page, ctx);
    await page.goto('/dashboard/monitoring');
    const summary = page.getByRole('list', { name: 'Connections' });
    const acme = summary.getByRole('listitem').filter({ hasText: 'Acme Okta' });
    await acme.getByText('3 requests').waitFor();
    await acme.getByText('1 error', { exact: true }).waitFor();
    const trial = summary.getByRole('listitem').filter({ hasText: 'Trial Okta' });
    await trial.getByText('1 request', { exact: false }).waitFor();
    await page.locator('figure.chart .chart-total').getByText(/^4 requests, 1 error ·/).waitFor();
    const text = await page.locator('main').textContent();
    expect(text).not.toMatch(/\b1 (requests|errors|hours)\b/);
  });
});
