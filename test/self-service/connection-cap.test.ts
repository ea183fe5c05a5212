/**
 * Self-service may not create SCIM connections without end: a tenant that already has
 * MAX_CONNECTIONS_PER_TENANT of them gets a 409 (the management API's error shape), also when the
 * creates arrive together. The vendor's environment token is not capped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { BASE, READ, WRITE, bearer, mintToken, setSelfService } from './support.js';

const create = (t: TestApp, token: string, name = 'x') => t.app.inject({ method: 'POST', url: BASE, headers: bearer(token), payload: { source: 'okta', connectionName: name } });

for (const dialect of dialectsUnderTest()) {
  describe(`connections per tenant for self-service [${dialect}]`, () => {
    const t = useTestApp(dialect, { MAX_CONNECTIONS_PER_TENANT: '3' });

    beforeAll(async () => {
      await setSelfService(t, true);
    });

    it('creates up to the cap, then answers 409; the environment token is not capped', async () => {
      await createTenant(t, 'capped');
      const token = await mintToken(t, { tenantId: 'capped', permissions: [READ, WRITE] });
      for (let i = 0; i < 3; i++) expect((await create(t, token, `c${i}`)).statusCode).toBe(201);
      const refused = await create(t, token, 'one too many');
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toEqual({
        statusCode: 409,
        error: 'Conflict',
        code: 'conflict',
        message: 'Tenant "capped" already has 3 SCIM configurations, the most self-service may create (MAX_CONNECTIONS_PER_TENANT); delete one first',
      });
      expect((await t.app.inject({ url: BASE, headers: bearer(token) })).json()).toHaveLength(3);
      // The vendor may go past it (its own automation, a tenant with several IdPs).
      await createConnection(t, 'capped');
      expect((await t.app.inject({ url: `${BASE}?tenantId=capped`, headers: { authorization: t.auth } })).json()).toHaveLength(4);
      // Below the cap again, self-service may create again.
      const listed = (await t.app.inject({ url: BASE, headers: bearer(token) })).json<{ id: string }[]>();
      for (const { id } of listed.slice(0, 2)) {
        expect((await t.app.inject({ method: 'DELETE', url: `${BASE}/${id}`, headers: { authorization: t.auth } })).statusCode).toBe(204);
      }
      expect((await create(t, token, 'again')).statusCode).toBe(201);
      expect((await create(t, token, 'again, too many')).statusCode).toBe(409);
    });

    it('counts each tenant apart, and lets exactly the cap through when the creates arrive together', async () => {
      await createTenant(t, 'crowded');
      await createTenant(t, 'neighbour');
      const token = await mintToken(t, { tenantId: 'crowded', permissions: [READ, WRITE] });
      const statuses = (await Promise.all(Array.from({ length: 10 }, (_, i) => create(t, token, `race ${i}`)))).map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 201)).toHaveLength(3);
      expect(statuses.filter((s) => s === 409)).toHaveLength(7);
      const neighbour = await mintToken(t, { tenantId: 'neighbour', permissions: [WRITE] });
      expect((await create(t, neighbour)).statusCode).toBe(201);
    });
  });
}

describe('MAX_CONNECTIONS_PER_TENANT', () => {
  it('defaults to 10 and is validated at start-up', () => {
    expect(loadConfig({}).maxConnectionsPerTenant).toBe(10);
    expect(loadConfig({ MAX_CONNECTIONS_PER_TENANT: '50' }).maxConnectionsPerTenant).toBe(50);
    expect(() => loadConfig({ MAX_CONNECTIONS_PER_TENANT: '0' })).toThrow(/MAX_CONNECTIONS_PER_TENANT must be between 1 and 100000/);
  });
});
