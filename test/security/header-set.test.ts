/**
 * The exact security headers helmet writes (src/http/security-headers.ts), per kind of response: the
 * management API, the SCIM API (answers and refusals), the web UI's pages and assets, the docs UI, 404s
 * and malformed URLs. Exactly the policy docs/security.md lists: helmet's other defaults
 * (Cross-Origin-Opener-Policy, which would cut a portal opened as a popup from its opener, and the
 * rest) are not sent. The dashboard is never framed; the portal follows FRAME_ANCESTORS.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

const SCIM = '/directory/resources/scim/v2.0';

/** The CSP, directive by directive, with the frame-ancestors sources given. */
const cspDirectives = (frameAncestors: string) => [
  "default-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self' data:",
  "form-action 'self'",
  `frame-ancestors ${frameAncestors}`,
];

const directivesOf = (header: unknown) =>
  String(header)
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean);

/** Headers helmet sends by default that Rollcall turns off. */
const NOT_SENT = ['cross-origin-opener-policy', 'cross-origin-resource-policy', 'cross-origin-embedder-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-xss-protection', 'x-powered-by'];

function expectHeaders(res: { headers: Record<string, unknown> }, context: string, frame: { ancestors: string; xFrameOptions?: string }, https = true) {
  expect(directivesOf(res.headers['content-security-policy']), context).toEqual(cspDirectives(frame.ancestors));
  expect(res.headers['x-content-type-options'], context).toBe('nosniff');
  expect(res.headers['referrer-policy'], context).toBe('no-referrer');
  expect(res.headers['x-permitted-cross-domain-policies'], context).toBe('none');
  expect(res.headers['x-frame-options'], context).toBe(frame.xFrameOptions);
  expect(res.headers['strict-transport-security'], context).toBe(https ? 'max-age=31536000' : undefined);
  for (const name of NOT_SENT) expect(res.headers[name], `${context}: ${name}`).toBeUndefined();
}

/** One request of each kind of response; `scim` is a SCIM token and connection id. */
async function responses(t: TestApp, scim: { id: string; token: string }) {
  const bearer = { authorization: `Bearer ${scim.token}` };
  return {
    'management API': await t.app.inject({ url: '/tenants/resources/tenants/v1', headers: { authorization: t.auth } }),
    'management API refusal': await t.app.inject({ url: '/tenants/resources/tenants/v1' }),
    'SCIM answer': await t.app.inject({ url: `${SCIM}/${scim.id}/Users`, headers: bearer }),
    'SCIM create': await t.app.inject({ method: 'POST', url: `${SCIM}/${scim.id}/Users`, headers: bearer, payload: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `h-${Date.now()}@acme.test` } }),
    'SCIM refusal': await t.app.inject({ url: `${SCIM}/${scim.id}/Users`, headers: { authorization: 'Bearer rc_scim_wrong' } }),
    'SCIM bad request': await t.app.inject({ url: `${SCIM}/${scim.id}/Users?filter=userName%20zz%20%22x%22`, headers: bearer }),
    'session route': await t.app.inject({ url: '/ui/portal/embedding' }),
    'portal page': await t.app.inject({ url: '/portal/connections' }),
    'asset 404': await t.app.inject({ url: '/assets/nope.js' }),
    'docs UI': await t.app.inject({ url: '/docs/' }),
    'no route': await t.app.inject({ url: '/nowhere' }),
    'malformed URL': await t.app.inject({ url: `${SCIM}/%ZZ/Users` }),
    health: await t.app.inject({ url: '/healthz' }),
  };
}

for (const dialect of dialectsUnderTest()) {
  describe(`the security header set [${dialect}]`, () => {
    const t = useTestApp(dialect);

    it('is exactly the documented one on API, SCIM, web UI, docs, 404 and malformed-URL responses', async () => {
      await createTenant(t, 'headers');
      const scim = await createConnection(t, 'headers');
      const all = await responses(t, scim);
      expect(all['SCIM answer'].statusCode).toBe(200);
      expect(all['SCIM create'].statusCode).toBe(201);
      expect(all['SCIM refusal'].statusCode).toBe(401);
      expect(all['SCIM bad request'].statusCode).toBe(400);
      expect(all['malformed URL'].statusCode).toBe(400);
      expect(all['management API refusal'].statusCode).toBe(401);
      for (const [kind, res] of Object.entries(all)) expectHeaders(res, `${kind} → ${res.statusCode}`, { ancestors: "'none'", xFrameOptions: 'DENY' });
      expect(all['SCIM answer'].headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(all['SCIM answer'].headers['cache-control']).toBe('no-store');
    });

    it('never lets the dashboard be framed', async () => {
      for (const url of ['/dashboard', '/dashboard/accounts', '/dashboard?x=1']) {
        expectHeaders(await t.app.inject({ url }), url, { ancestors: "'none'", xFrameOptions: 'DENY' });
      }
    });
  });
}

describe('the security header set with FRAME_ANCESTORS', () => {
  const [dialect] = dialectsUnderTest();
  const embedded = useTestApp(dialect, { FRAME_ANCESTORS: 'https://app.example.com https://*.example.com' });
  const self = useTestApp(dialect, { FRAME_ANCESTORS: 'self', PUBLIC_URL: 'http://localhost:3000' });

  it('lets the origins listed frame the portal and every other response, but never the dashboard', async () => {
    await createTenant(embedded, 'framed');
    const all = await responses(embedded, await createConnection(embedded, 'framed'));
    for (const [kind, res] of Object.entries(all)) expectHeaders(res, kind, { ancestors: 'https://app.example.com https://*.example.com' });
    for (const url of ['/dashboard', '/dashboard/accounts']) expectHeaders(await embedded.app.inject({ url }), url, { ancestors: "'none'", xFrameOptions: 'DENY' });
  });

  it("with 'self', sends X-Frame-Options SAMEORIGIN, and no HSTS over plain http", async () => {
    expectHeaders(await self.app.inject({ url: '/portal' }), '/portal', { ancestors: "'self'", xFrameOptions: 'SAMEORIGIN' }, false);
    expectHeaders(await self.app.inject({ url: '/dashboard' }), '/dashboard', { ancestors: "'none'", xFrameOptions: 'DENY' }, false);
  });
});
