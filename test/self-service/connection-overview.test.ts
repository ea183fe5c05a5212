/**
 * The connection overview for self-service (the portal's health and counts): a user token with the
 * read permission reads GET /api/v1/tenants/{its tenant}/connections — the same counts and traffic
 * as the dashboard — and nothing of another tenant.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';
import { provisioner, type Provisioner } from '../directory/support.js';
import { DELETE, READ, WRITE, bearer, mintToken, setSelfService, show } from './support.js';

const overviewOf = (tenantId: string) => `/api/v1/tenants/${tenantId}/connections`;

for (const dialect of dialectsUnderTest()) {
  describe(`self-service connection overview [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let okta: Provisioner;
    let foreign: Provisioner;
    let reader = '';

    beforeAll(async () => {
      await createTenant(t, 'ov');
      await createTenant(t, 'ov-other');
      okta = await provisioner(t, 'ov');
      foreign = await provisioner(t, 'ov-other');
      const ann = await okta.user('ann@ov.test');
      await okta.group('Engineering', [ann.id]);
      expect((await okta.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ANN@ov.test' })).statusCode).toBe(409);
      await foreign.user('secret@other.test');
      await t.app.requestLog.flush();
      reader = await mintToken(t, { tenantId: 'ov', userId: 'viewer', permissions: [READ] });
      await setSelfService(t, true);
    });

    it('shows the read permission its tenant’s connections with counts and health, as the dashboard sees them', async () => {
      const res = await t.app.inject({ url: overviewOf('ov'), headers: bearer(reader) });
      expect(res.statusCode, show(res)).toBe(200);
      const dashboard = (await t.app.inject({ url: overviewOf('ov'), headers: { authorization: t.auth } })).json();
      expect(res.json()).toEqual(dashboard);
      expect(res.json().items).toHaveLength(1);
      expect(res.json().items[0]).toMatchObject({ id: okta.id, users: 1, groups: 1, errors24h: 1, lastError: { status: 409 } });
      expect(res.json().items[0].requests24h).toBeGreaterThanOrEqual(3);
      expect(res.body).not.toContain(foreign.id);
    });

    it("refuses another tenant's overview with 403, and tokens without the read permission", async () => {
      const other = await t.app.inject({ url: overviewOf('ov-other'), headers: bearer(reader) });
      expect(other.statusCode, show(other)).toBe(403);
      expect(other.body).not.toContain(foreign.id);
      const writer = await mintToken(t, { tenantId: 'ov', userId: 'writer', permissions: [WRITE, DELETE] });
      const res = await t.app.inject({ url: overviewOf('ov'), headers: bearer(writer) });
      expect(res.statusCode, show(res)).toBe(403);
      expect(res.json().message).toContain(READ);
    });

    it('follows the builder switch', async () => {
      await setSelfService(t, false);
      try {
        expect((await t.app.inject({ url: overviewOf('ov'), headers: bearer(reader) })).statusCode).toBe(403);
      } finally {
        await setSelfService(t, true);
      }
    });
  });
}
