/**
 * Security headers on every response — routes, errors, 404s, malformed URLs, the docs UI: a CSP,
 * X-Content-Type-Options, Referrer-Policy, framing only as FRAME_ANCESTORS allows (for embedding
 * the self-service portal), no caching of API answers (tokens are shown once), HSTS over https.
 * And no cookies but the web UI's session cookies (/ui/…, test/sessions): the API is bearer-only.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { routeTable } from './route-table.js';

const BASE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function expectSecurityHeaders(res: { headers: Record<string, unknown> }, context: string) {
  expect(res.headers, context).toMatchObject(BASE_HEADERS);
  const csp = String(res.headers['content-security-policy']);
  expect(csp, context).toContain("default-src 'self'");
  expect(csp, context).toContain("object-src 'none'");
  expect(csp, context).toMatch(/script-src 'self'(;|$)/);
  // Only the web UI session routes set cookies (HttpOnly, CSRF-protected: test/sessions checks them).
  if (!context.includes(' /ui/')) expect(res.headers['set-cookie'], `${context} sets no cookie`).toBeUndefined();
}

/** Every route's URL with placeholder parameters, and some URLs that hit no route. */
function urls(t: TestApp): { method: string; url: string }[] {
  const routes = routeTable(t.app)
    .filter((r) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
    .map((r) => ({ method: r.method, url: r.url.replace(/:[A-Za-z]+/g, 'x').replace('/*', '/x') }));
  return [...routes, { method: 'GET', url: '/nowhere' }, { method: 'GET', url: '/directory/resources/scim/v2.0/%ZZ/Users' }, { method: 'GET', url: '/api/v1/users/%E0%A4%A' }];
}

for (const dialect of dialectsUnderTest()) {
  describe(`security headers [${dialect}]`, () => {
    const t = useTestApp(dialect);

    it('are on every response, whatever the route or outcome, and no response sets a cookie', async () => {
      for (const { method, url } of urls(t)) {
        for (const authorization of [undefined, t.auth]) {
          const res = await t.app.inject({ method: method as 'GET', url, headers: authorization ? { authorization } : {}, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });
          const context = `${method} ${url} → ${res.statusCode}`;
          expectSecurityHeaders(res, context);
          expect(res.headers['x-frame-options'], context).toBe('DENY');
          expect(String(res.headers['content-security-policy']), context).toContain("frame-ancestors 'none'");
          // Over https (PUBLIC_URL of the tests), browsers are told to stay on https.
          expect(res.headers['strict-transport-security'], context).toBe('max-age=31536000');
          // The web UI's pages revalidate (no-cache) and its hashed assets are immutable; neither carries data.
          const webUi = /^\/(dashboard|portal|assets)(\/|$)|^\/$/.test(url);
          if (!url.startsWith('/docs') && !webUi && res.statusCode < 400) expect(res.headers['cache-control'], context).toBe('no-store');
        }
      }
    });

    it('keep the docs UI working: its scripts and styles are same-origin files, no inline script', async () => {
      const ui = await t.app.inject({ url: '/docs/' });
      expect(ui.statusCode).toBe(200);
      expectSecurityHeaders(ui, '/docs/');
      const scripts = [...ui.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs, inline] of scripts) {
        expect(inline.trim(), 'inline script (blocked by script-src \'self\')').toBe('');
        const src = /src="([^"]+)"/.exec(attrs)?.[1];
        expect(src, 'script without src').toBeDefined();
        expect(src).not.toMatch(/^(https?:)?\/\//);
        const asset = await t.app.inject({ url: new URL(src!, 'https://rollcall.test/docs/').pathname });
        expect(asset.statusCode, src).toBe(200);
      }
      expect(ui.body).not.toMatch(/\son[a-z]+="/i); // no inline event handlers (script-src-attr 'none')
      for (const href of [...ui.body.matchAll(/<link[^>]+href="([^"]+)"/g)].map((m) => m[1])) expect(href).not.toMatch(/^(https?:)?\/\//);
      expect((await t.app.inject({ url: '/docs/json' })).statusCode).toBe(200);
    });
  });
}

describe('framing for portal embedding (FRAME_ANCESTORS)', () => {
  const [dialect] = dialectsUnderTest();
  const embedded = useTestApp(dialect, { FRAME_ANCESTORS: 'https://app.example.com, https://*.example.com' });
  const self = useTestApp(dialect, { FRAME_ANCESTORS: 'self', PUBLIC_URL: 'http://localhost:3000' });

  it('names the allowed origins in frame-ancestors and drops X-Frame-Options, which cannot', async () => {
    for (const url of ['/healthz', '/docs/', '/nowhere']) {
      const res = await embedded.app.inject({ url });
      expect(String(res.headers['content-security-policy'])).toContain('frame-ancestors https://app.example.com https://*.example.com');
      expect(res.headers['x-frame-options']).toBeUndefined();
    }
  });

  it("allows same-origin framing with 'self', and sends no HSTS over plain http", async () => {
    const res = await self.app.inject({ url: '/healthz' });
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});
