/** Small helpers that drive the management API the way a vendor would. */
import type { TestApp } from './test-app.js';

/** Creates a tenant through the API and returns its id. */
export async function createTenant(t: TestApp, tenantId?: string, name = 'Acme'): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/tenants/resources/tenants/v1', headers: { authorization: t.auth }, payload: { tenantId, name } });
  if (res.statusCode !== 201) throw new Error(`tenant create failed: ${res.statusCode} ${res.body}`);
  return res.json().tenantId;
}

/** Creates a SCIM connection through the API; returns its id and token. */
export async function createConnection(t: TestApp, tenantId: string, source = 'okta', syncToUserManagement = true): Promise<{ id: string; token: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/directory/resources/v1/configurations/scim2',
    headers: { authorization: t.auth, 'frontegg-tenant-id': tenantId },
    payload: { source, connectionName: `${source} connection`, syncToUserManagement },
  });
  if (res.statusCode !== 201) throw new Error(`connection create failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { id: body.id, token: body.token };
}
