/**
 * The request log keeps each connection's name with its rows, so the log and its summary still name a
 * connection after it is deleted (the monitoring page labels it "(deleted)"); a renamed connection's
 * later rows carry the new name, and the summary names the connection by its latest row.
 */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';

const CONFIGURATIONS = '/directory/resources/v1/configurations/scim2';

for (const dialect of dialectsUnderTest()) {
  describe(`request log connection names [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const api = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
      t.app.inject({ method, url, headers: { authorization: t.auth, ...headers }, ...(payload ? { payload } : {}) });
    const scim = (id: string, token: string) => t.app.inject({ url: `/directory/resources/scim/v2.0/${id}/Users`, headers: { authorization: `Bearer ${token}` } });
    const logs = async (query: string) => {
      await t.app.requestLog.flush();
      const res = await api('GET', `/api/v1/logs?${query}`);
      expect(res.statusCode).toBe(200);
      return res.json<{ items: { connectionId: string; connectionName: string | null; status: number }[] }>().items;
    };
    const summary = async (tenantId: string) => {
      await t.app.requestLog.flush();
      const res = await api('GET', `/api/v1/logs/summary?tenantId=${tenantId}`);
      expect(res.statusCode).toBe(200);
      return res.json<{ items: { connectionId: string; connectionName: string | null; requests: number }[] }>().items;
    };

    it('names a deleted connection in the log and the summary by the name its requests were logged under', async () => {
      await createTenant(t, 'named');
      await createTenant(t, 'bystander');
      const created = await api('POST', CONFIGURATIONS, { source: 'okta', connectionName: 'Acme Okta', syncToUserManagement: true }, { 'frontegg-tenant-id': 'named' });
      expect(created.statusCode).toBe(201);
      const { id, token } = created.json<{ id: string; token: string }>();
      const other = (await api('POST', CONFIGURATIONS, { source: 'azure-ad', connectionName: 'Bystander Entra', syncToUserManagement: true }, { 'frontegg-tenant-id': 'bystander' })).json<{ id: string; token: string }>();
      expect((await scim(id, token)).statusCode).toBe(200);
      // A 401 names its connection too: the writer finds tenant and name in one read per flush.
      expect((await scim(id, 'rc_scim_wrong')).statusCode).toBe(401);
      expect((await scim(other.id, other.token)).statusCode).toBe(200);
      expect((await logs(`connectionId=${id}`)).map((e) => [e.status, e.connectionName])).toEqual([
        [401, 'Acme Okta'],
        [200, 'Acme Okta'],
      ]);

      expect((await api('DELETE', `${CONFIGURATIONS}/${id}`)).statusCode).toBe(204);
      expect((await api('GET', `${CONFIGURATIONS}/${id}`)).statusCode).toBe(404);
      expect((await logs(`connectionId=${id}`)).map((e) => e.connectionName)).toEqual(['Acme Okta', 'Acme Okta']);
      expect(await summary('named')).toEqual([expect.objectContaining({ connectionId: id, connectionName: 'Acme Okta', requests: 2 })]);
      // Another tenant's connection keeps its own name.
      expect(await summary('bystander')).toEqual([expect.objectContaining({ connectionId: other.id, connectionName: 'Bystander Entra' })]);
    });

    it('names the connection in the summary by its latest named row; rows written before names were kept have none', async () => {
      const created = (await api('POST', CONFIGURATIONS, { source: 'okta', connectionName: 'Before', syncToUserManagement: true }, { 'frontegg-tenant-id': 'named' })).json<{ id: string; token: string }>();
      expect((await scim(created.id, created.token)).statusCode).toBe(200);
      await t.app.requestLog.flush();
      await t.db.kysely.updateTable('connections').set({ connection_name: 'After' }).where('id', '=', created.id).execute();
      expect((await scim(created.id, created.token)).statusCode).toBe(200);
      expect((await logs(`connectionId=${created.id}`)).map((e) => e.connectionName)).toEqual(['After', 'Before']);
      expect((await summary('named')).find((s) => s.connectionId === created.id)?.connectionName).toBe('After');

      // A row logged without a name (before the column existed) reads as null, and the summary skips it.
      await t.db.kysely.updateTable('request_logs').set({ connection_name: null }).where('connection_id', '=', created.id).where('connection_name', '=', 'After').execute();
      expect((await logs(`connectionId=${created.id}`)).map((e) => e.connectionName)).toEqual([null, 'Before']);
      expect((await summary('named')).find((s) => s.connectionId === created.id)?.connectionName).toBe('Before');
    });
  });
}
