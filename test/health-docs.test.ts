import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from './support/databases.js';
import { useTestApp } from './support/test-app.js';

for (const dialect of dialectsUnderTest()) {
  describe(`health and API docs [${dialect}]`, () => {
    const t = useTestApp(dialect);

    it('GET /healthz answers 200 while the database answers, 503 when it does not', async () => {
      const ok = await t.app.inject({ url: '/healthz' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ status: 'ok', database: dialect });
    });

    it('serves the OpenAPI document of every management route, and its UI, without network access', async () => {
      const doc = (await t.app.inject({ url: '/docs/json' })).json();
      expect(doc.openapi).toMatch(/^3\./);
      for (const path of ['/auth/vendor', '/tenants/resources/tenants/v1', '/tenants/resources/tenants/v1/{tenantId}', '/directory/resources/v1/configurations/scim2', '/directory/resources/v1/configurations/scim2/{id}', '/healthz']) {
        expect(Object.keys(doc.paths)).toContain(path);
      }
      expect(Object.keys(doc.paths).some((p) => p.includes('/scim/v2.0/'))).toBe(false);
      expect(doc.paths['/directory/resources/v1/configurations/scim2'].post.requestBody.content['application/json'].schema.properties.source.enum).toEqual(['okta', 'azure-ad', 'onelogin', 'jumpcloud', 'rippling', 'pingone', 'other']);
      const ui = await t.app.inject({ url: '/docs/' });
      expect(ui.statusCode).toBe(200);
      expect(ui.body).toContain('swagger');
      const bundle = await t.app.inject({ url: '/docs/static/swagger-ui-bundle.js' });
      expect(bundle.statusCode).toBe(200);
    });
  });
}

describe('health when the database is gone', () => {
  const [dialect] = dialectsUnderTest();
  const t = useTestApp(dialect);
  it('answers 503', async () => {
    await t.db.close();
    const res = await t.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().status).toBe('unavailable');
  });
});
