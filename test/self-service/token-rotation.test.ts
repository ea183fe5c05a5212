/**
 * SCIM token rotation by self-service: a user token with the write permission issues a connection's
 * new token (shown once), lists the tokens and revokes the old ones, on its own tenant's connections
 * only, each change audited with the user as actor. The read permission gets 403, another tenant's
 * connection 404; the IP allowlist stays with the environment token.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { scimClient } from '../support/scim-requests.js';
import { useTestApp } from '../support/test-app.js';
import { DELETE, READ, WRITE, bearer, mintToken, setSelfService, show } from './support.js';

const tokensUrl = (connectionId: string) => `/api/v1/connections/${connectionId}/tokens`;

for (const dialect of dialectsUnderTest()) {
  describe(`self-service token rotation [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let own: { id: string; token: string };
    let foreign: { id: string; token: string };
    let writer = '';
    let reader = '';

    const scimStatus = async (connection: { id: string }, token: string) => (await scimClient(t, { id: connection.id, token }).get('/Users')).statusCode;

    beforeAll(async () => {
      await createTenant(t, 'rot');
      await createTenant(t, 'rot-other');
      own = await createConnection(t, 'rot');
      foreign = await createConnection(t, 'rot-other');
      writer = await mintToken(t, { tenantId: 'rot', userId: 'it-admin', permissions: [READ, WRITE] });
      reader = await mintToken(t, { tenantId: 'rot', userId: 'viewer', permissions: [READ, DELETE] });
      await setSelfService(t, true);
    });

    it('issues a new token once, lists the tokens and revokes the old one', async () => {
      const issued = await t.app.inject({ method: 'POST', url: tokensUrl(own.id), headers: bearer(writer), payload: {} });
      expect(issued.statusCode, show(issued)).toBe(201);
      const fresh = issued.json();
      expect(fresh.token).toMatch(/^rc_scim_/);
      expect(await scimStatus(own, fresh.token)).toBe(200);
      // Both work until the old one is revoked, so the IdP can be switched first.
      expect(await scimStatus(own, own.token)).toBe(200);

      const listed = await t.app.inject({ url: tokensUrl(own.id), headers: bearer(writer) });
      expect(listed.statusCode, show(listed)).toBe(200);
      const items: { id: string; prefix: string }[] = listed.json().items;
      expect(items).toHaveLength(2);
      expect(listed.body).not.toContain(fresh.token);
      const old = items.find((i) => i.id !== fresh.id)!;

      const revoked = await t.app.inject({ method: 'DELETE', url: `${tokensUrl(own.id)}/${old.id}`, headers: bearer(writer) });
      expect(revoked.statusCode, show(revoked)).toBe(204);
      expect(await scimStatus(own, own.token)).toBe(401);
      expect(await scimStatus(own, fresh.token)).toBe(200);
      // The last live token cannot be revoked: the connection would be cut off.
      const last = await t.app.inject({ method: 'DELETE', url: `${tokensUrl(own.id)}/${fresh.id}`, headers: bearer(writer) });
      expect(last.statusCode, show(last)).toBe(409);
      own = { id: own.id, token: fresh.token };

      const audit = (await t.app.inject({ url: '/api/v1/audit?tenantId=rot&action=connection.updated', headers: { authorization: t.auth } })).json().items;
      expect(audit.slice(0, 2).map((e: { data: { change: string } }) => e.data.change)).toEqual(['token.revoked', 'token.issued']);
      for (const entry of audit.slice(0, 2)) {
        expect(entry).toMatchObject({ tenantId: 'rot', actor: { type: 'user', id: 'it-admin', tenantId: 'rot' }, target: { type: 'connection', id: own.id } });
      }
      expect(JSON.stringify(audit)).not.toContain(fresh.token);
    });

    it('refuses the read and delete permissions with 403, and changes nothing', async () => {
      const before = (await t.app.inject({ url: tokensUrl(own.id), headers: { authorization: t.auth } })).json().items;
      for (const [method, url] of [
        ['POST', tokensUrl(own.id)],
        ['GET', tokensUrl(own.id)],
        ['DELETE', `${tokensUrl(own.id)}/${before[0].id}`],
      ] as const) {
        const res = await t.app.inject({ method, url, headers: bearer(reader), ...(method === 'POST' ? { payload: {} } : {}) });
        expect(res.statusCode, `${method} ${url}: ${show(res)}`).toBe(403);
        expect(res.json().message).toContain(WRITE);
      }
      expect((await t.app.inject({ url: tokensUrl(own.id), headers: { authorization: t.auth } })).json().items).toEqual(before);
      expect(await scimStatus(own, own.token)).toBe(200);
    });

    it("answers 404 for another tenant's connection and leaves its tokens alone", async () => {
      const foreignTokens = (await t.app.inject({ url: tokensUrl(foreign.id), headers: { authorization: t.auth } })).json().items;
      const issue = await t.app.inject({ method: 'POST', url: tokensUrl(foreign.id), headers: bearer(writer), payload: {} });
      expect(issue.statusCode, show(issue)).toBe(404);
      expect((await t.app.inject({ url: tokensUrl(foreign.id), headers: bearer(writer) })).statusCode).toBe(404);
      const revoke = await t.app.inject({ method: 'DELETE', url: `${tokensUrl(foreign.id)}/${foreignTokens[0].id}`, headers: bearer(writer) });
      expect(revoke.statusCode, show(revoke)).toBe(404);
      expect((await t.app.inject({ url: tokensUrl(foreign.id), headers: { authorization: t.auth } })).json().items).toEqual(foreignTokens);
      expect(await scimStatus(foreign, foreign.token)).toBe(200);
    });

    it('keeps the IP allowlist to the environment token, and every token route to the builder switch', async () => {
      const put = await t.app.inject({ method: 'PUT', url: `/api/v1/connections/${own.id}/ip-allowlist`, headers: bearer(writer), payload: { ipAllowlist: ['203.0.113.0/24'] } });
      expect(put.statusCode, show(put)).toBe(401);
      expect((await t.app.inject({ url: `/api/v1/connections/${own.id}/ip-allowlist`, headers: bearer(writer) })).statusCode).toBe(401);
      await setSelfService(t, false);
      try {
        const res = await t.app.inject({ method: 'POST', url: tokensUrl(own.id), headers: bearer(writer), payload: {} });
        expect(res.statusCode, show(res)).toBe(403);
      } finally {
        await setSelfService(t, true);
      }
    });
  });
}
