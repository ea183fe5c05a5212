/**
 * GET /api/v1/tenants/{tenantId}/connections: each connection with its user and group counts and
 * its last 24 hours of SCIM traffic; scoped to the tenant, newest first, counts read from indexes.
 */
import { CompiledQuery, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ResourceCounts } from '../../src/connections/resource-counts.js';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { expectError, getJson, provisioner, type Provisioner } from '../directory/support.js';

const overviewOf = (tenantId: string) => `/api/v1/tenants/${tenantId}/connections`;

for (const dialect of dialectsUnderTest()) {
  describe(`connection overview [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let okta: Provisioner;
    let staging: Provisioner;
    let quiet: Provisioner;
    let foreign: Provisioner;

    beforeAll(async () => {
      await createTenant(t, 'acme');
      await createTenant(t, 'globex');
      okta = await provisioner(t, 'acme');
      staging = await provisioner(t, 'acme', false);
      foreign = await provisioner(t, 'globex');
      const ann = await okta.user('ann@acme.test');
      const bob = await okta.user('bob@acme.test');
      await okta.user('cyd@acme.test');
      await okta.group('Engineering', [ann.id, bob.id]);
      await okta.group('Ops');
      await staging.user('stan@acme.test');
      // Another tenant's data must not be counted for acme.
      for (const name of ['x', 'y', 'z', 'w']) await foreign.user(`${name}@globex.test`);
      await foreign.group('Globex Group');
      // The failing request: a duplicate userName (RFC 7644 §3.3: 409 uniqueness).
      const duplicate = await okta.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ANN@acme.test' });
      expect(duplicate.statusCode).toBe(409);
      quiet = await provisioner(t, 'acme');
      await t.app.requestLog.flush();
    });

    it('lists the tenant’s connections newest first, with counts and 24-hour traffic', async () => {
      const { items } = await getJson(t, overviewOf('acme'));
      expect(items.map((c: { id: string }) => c.id)).toEqual([quiet.id, staging.id, okta.id]);
      const [q, s, o] = items;
      expect(o).toMatchObject({
        id: okta.id,
        tenantId: 'acme',
        connectionName: 'okta connection',
        source: 'okta',
        syncToUserManagement: true,
        provisioningUrl: `https://rollcall.test/directory/resources/scim/v2.0/${okta.id}`,
        users: 3,
        groups: 2,
        requests24h: 6,
        errors24h: 1,
        lastError: { status: 409, scimType: 'uniqueness', method: 'POST', path: '/Users' },
      });
      expect(o.lastError.detail).toContain('already in use');
      expect(Date.parse(o.lastError.at)).toBeGreaterThan(Date.now() - 60_000);
      expect(o.lastRequestAt >= o.lastError.at).toBe(true);
      expect(o.lastSync).not.toBeNull();
      expect(o.createdAt).toMatch(/Z$/);
      expect(s).toMatchObject({ id: staging.id, syncToUserManagement: false, users: 1, groups: 0, requests24h: 1, errors24h: 0, lastError: null });
      expect(q).toEqual({ ...(await getJson(t, `/directory/resources/v1/configurations/scim2/${quiet.id}`)), users: 0, groups: 0, requests24h: 0, errors24h: 0, lastRequestAt: null, lastError: null, attributeProblemUsers: 0, googleWorkspace: null, deprovisioning: { mode: 'automatic', tripped: false, held: 0, differing: 0 } });
      expect(JSON.stringify(items)).not.toContain('token');
    });

    it('never counts another tenant’s connections or data', async () => {
      const { items } = await getJson(t, overviewOf('globex'));
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ id: foreign.id, tenantId: 'globex', users: 4, groups: 1, requests24h: 5, errors24h: 0, lastError: null });
      // Asking for a tenant's counts with another tenant's connection finds nothing.
      const counts = await new ResourceCounts(t.db.kysely).of('acme', [foreign.id, okta.id]);
      expect(counts.get(foreign.id)).toEqual({ users: 0, groups: 0, attributeProblemUsers: 0 });
      expect(counts.get(okta.id)).toEqual({ users: 3, groups: 2, attributeProblemUsers: 0 });
    });

    it('counts only the last 24 hours of traffic', async () => {
      const old = new Date(Date.now() - 25 * 3_600_000).toISOString();
      await t.db.kysely.updateTable('request_logs').set({ created_at: old }).where('connection_id', '=', okta.id).where('status', '>=', 400).execute();
      const o = (await getJson(t, overviewOf('acme'))).items.find((c: { id: string }) => c.id === okta.id);
      expect(o).toMatchObject({ requests24h: 5, errors24h: 0, lastError: null, users: 3 });
      expect(o.lastRequestAt).not.toBeNull();
    });

    it('answers 404 for an unknown tenant, 400 for a malformed one, 401 without a token', async () => {
      expectError(await t.app.inject({ url: overviewOf('nobody'), headers: { authorization: t.auth } }), 404);
      expectError(await t.app.inject({ url: overviewOf('-bad'), headers: { authorization: t.auth } }), 400, 'params.tenantId');
      expectError(await t.app.inject({ url: overviewOf('acme') }), 401);
      expectError(await t.app.inject({ url: overviewOf('acme'), headers: { authorization: `Bearer ${okta.token}` } }), 401);
      await createTenant(t, 'empty');
      expect(await getJson(t, overviewOf('empty'))).toEqual({ items: [] });
    });

    it.runIf(dialect === 'sqlite')('reads the counts from the kept counts by primary key, never the rows (SQLite plan)', async () => {
      // And the users with attribute problems from the partial index that holds only them (migration 0018).
      const nodes: RootOperationNode[] = [];
      const capture: KyselyPlugin = {
        transformQuery: (args) => (nodes.push(args.node), args.node),
        transformResult: async (args) => args.result,
      };
      await new ResourceCounts(t.db.kysely.withPlugin(capture)).of('acme', [okta.id, staging.id]);
      expect(nodes).toHaveLength(2);
      const plans = [];
      for (const node of nodes) {
        const compiled = t.db.kysely.getExecutor().compileQuery(node, { queryId: 'plan' });
        const plan = await t.db.kysely.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
        plans.push({ sql: compiled.sql, details: plan.rows.map((r) => r.detail).join(' | ') });
      }
      expect(plans[0].details, plans[0].sql).toMatch(/SEARCH scim_counts USING (COVERING )?INDEX \w+ \(tenant_id=\? AND connection_id=\?\)/);
      expect(plans[0].details).not.toMatch(/scim_users|scim_groups/);
      expect(plans[1].details, plans[1].sql).toMatch(/SEARCH scim_users USING (COVERING )?INDEX scim_users_attribute_problems \(tenant_id=\? AND connection_id=\?\)/);
    });
  });
}
