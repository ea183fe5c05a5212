/** The dashboard shell in a real browser: served by Rollcall, strict CSP, sign-in form, framing rules. */
import { expect, it } from 'vitest';
import { describeBrowser, useBrowserApp } from './support/browser.js';

describeBrowser('web UI shell', () => {
  const ctx = useBrowserApp();

  it('serves the dashboard page with its sign-in form and no console errors', async () => {
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    const response = await page.goto('/dashboard/accounts');
    expect(response?.status()).toBe(200);
    // The page asks who is signed in first (a loading state), then shows the form.
    await page.getByLabel('Client ID').waitFor();
    expect(await page.getByRole('heading', { name: 'Rollcall' }).isVisible()).toBe(true);
    // The CSP forbids inline scripts: a built page that needed one would have logged a violation. The
    // page's question "who is signed in?" is answered 204, not with an error status the console logs.
    expect(errors).toEqual([]);
    // Reloaded, and after a sign-out (the cookie cleared), it still logs nothing.
    await page.reload();
    await page.getByLabel('Client ID').waitFor();
    await page.getByLabel('Client ID').fill(ctx.credential.clientId);
    await page.getByLabel('Secret').fill(ctx.credential.secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.getByLabel('Client ID').waitFor();
    await page.reload();
    await page.getByLabel('Client ID').waitFor();
    expect(errors).toEqual([]);
  });

  it('never lets the dashboard be framed, and serves hashed assets as immutable', async () => {
    const dashboard = await fetch(`${ctx.baseUrl}/dashboard`);
    expect(dashboard.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(dashboard.headers.get('x-frame-options')).toBe('DENY');
    const html = await dashboard.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${ctx.baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${ctx.baseUrl}/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${ctx.baseUrl}/assets/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('redirects / to the dashboard', async () => {
    const response = await fetch(`${ctx.baseUrl}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/dashboard');
  });
});
