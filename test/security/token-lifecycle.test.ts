/**
 * A connection's token lifecycle: a second token so an IdP can be switched without a gap, a list
 * that never shows a secret, revocation with immediate effect (not the last live token), optional
 * expiry, cheap last-use tracking — and the optional per-connection IP allowlist (403 outside it).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { SCIM_PATH } from '../support/scim-requests.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

const CONFIGS = '/directory/resources/v1/configurations/scim2';

/** A SCIM GET with `token`, optionally from `remoteAddress` or with headers. */
function scimGet(t: TestApp, connectionId: string, token: string, options: { remoteAddress?: string; headers?: Record<string, string> } = {}) {
  return t.app.inject({ url: `${SCIM_PATH}/${connectionId}/Users`, remoteAddress: options.remoteAddress, headers: { authorization: `Bearer ${token}`, ...options.headers } });
}

function api(t: TestApp, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload !== undefined ? { payload: payload as object } : {}) });
}

for (const dialect of dialectsUnderTest()) {
  describe(`connection token lifecycle [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let conn: { id: string; token: string };
    let other: { id: string; token: string };

    beforeAll(async () => {
      await createTenant(t, 'tokens');
      await createTenant(t, 'tokens-other');
      conn = await createConnection(t, 'tokens');
      other = await createConnection(t, 'tokens-other');
    });

    it('issues a second token, shown once; both work, so an IdP can switch without a gap', async () => {
      const res = await api(t, 'POST', `/api/v1/connections/${conn.id}/tokens`, {});
      expect(res.statusCode).toBe(201);
      const issued = res.json();
      expect(issued).toMatchObject({ id: expect.any(String), token: expect.stringMatching(/^rc_scim_[A-Za-z0-9_-]{43}$/), lastUsedAt: null, expiresAt: null, expired: false });
      expect(issued.prefix).toBe(issued.token.slice(0, 12));
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await scimGet(t, conn.id, conn.token)).statusCode).toBe(200);
      expect((await scimGet(t, conn.id, issued.token)).statusCode).toBe(200);
      // A token opens its own connection only.
      expect((await scimGet(t, other.id, issued.token)).statusCode).toBe(401);
      // Only the hash is stored.
      const rows = await t.db.kysely.selectFrom('connection_tokens').selectAll().where('connection_id', '=', conn.id).execute();
      expect(JSON.stringify(rows)).not.toContain(issued.token);
      // The audit log records who issued it — not the token.
      const audit = await api(t, 'GET', '/api/v1/audit?tenantId=tokens&action=connection.updated');
      expect(audit.json().items).toContainEqual(expect.objectContaining({ target: { type: 'connection', id: conn.id }, data: expect.objectContaining({ change: 'token.issued', tokenId: issued.id }) }));
      expect(audit.body).not.toContain(issued.token);
    });

    it('lists tokens with prefix, created, last used and expiry — never the secret or its hash', async () => {
      const res = await api(t, 'GET', `/api/v1/connections/${conn.id}/tokens`);
      expect(res.statusCode).toBe(200);
      const items = res.json().items as Record<string, unknown>[];
      expect(items.length).toBeGreaterThanOrEqual(2);
      const hashes = (await t.db.kysely.selectFrom('connection_tokens').select('token_hash').execute()).map((r) => r.token_hash);
      for (const item of items) {
        expect(Object.keys(item).sort()).toEqual(['createdAt', 'expired', 'expiresAt', 'id', 'lastUsedAt', 'prefix']);
        expect(String(item.prefix)).toMatch(/^rc_scim_.{4}$/);
      }
      for (const secret of [conn.token, ...hashes]) expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain(conn.token.slice(12));
    });

    it('records last use at most once a minute per token', async () => {
      const { token, id } = (await api(t, 'POST', `/api/v1/connections/${conn.id}/tokens`, {})).json();
      const lastUsed = async () => (await api(t, 'GET', `/api/v1/connections/${conn.id}/tokens`)).json().items.find((i: { id: string }) => i.id === id).lastUsedAt;
      expect(await lastUsed()).toBeNull();
      await scimGet(t, conn.id, token);
      await new Promise((r) => setTimeout(r, 50));
      const first = await lastUsed();
      expect(Date.now() - Date.parse(first)).toBeLessThan(10_000);
      for (let i = 0; i < 5; i++) await scimGet(t, conn.id, token);
      await new Promise((r) => setTimeout(r, 50));
      expect(await lastUsed()).toBe(first);
      // A minute later (moved back in the database) the next use is recorded again.
      await t.db.kysely.updateTable('connection_tokens').set({ last_used_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', id).execute();
      (t.app.services.connectionTokens as unknown as { touched: Map<string, number> }).touched.set(id, 0);
      await scimGet(t, conn.id, token);
      await new Promise((r) => setTimeout(r, 50));
      expect(Date.parse(await lastUsed())).toBeGreaterThan(Date.parse('2021-01-01'));
    });

    it('revokes a token with immediate effect, and refuses to revoke the last live one', async () => {
      await createTenant(t, 'revoke');
      const c = await createConnection(t, 'revoke');
      const second = (await api(t, 'POST', `/api/v1/connections/${c.id}/tokens`, {})).json();
      const [first] = (await api(t, 'GET', `/api/v1/connections/${c.id}/tokens`)).json().items;
      expect((await scimGet(t, c.id, c.token)).statusCode).toBe(200);
      expect((await api(t, 'DELETE', `/api/v1/connections/${c.id}/tokens/${first.id}`)).statusCode).toBe(204);
      // The very next request with it fails; the other token carries on.
      expect((await scimGet(t, c.id, c.token)).statusCode).toBe(401);
      expect((await scimGet(t, c.id, second.token)).statusCode).toBe(200);
      const last = await api(t, 'DELETE', `/api/v1/connections/${c.id}/tokens/${second.id}`);
      expect(last.statusCode).toBe(409);
      expect(last.json()).toMatchObject({ code: 'conflict', message: expect.stringMatching(/last live token/) });
      expect((await scimGet(t, c.id, second.token)).statusCode).toBe(200);
      // Unknown token, a token of another connection, an unknown connection: 404.
      expect((await api(t, 'DELETE', `/api/v1/connections/${c.id}/tokens/nope`)).statusCode).toBe(404);
      const otherToken = (await api(t, 'GET', `/api/v1/connections/${other.id}/tokens`)).json().items[0];
      expect((await api(t, 'DELETE', `/api/v1/connections/${c.id}/tokens/${otherToken.id}`)).statusCode).toBe(404);
      expect((await scimGet(t, other.id, other.token)).statusCode).toBe(200);
      expect((await api(t, 'GET', '/api/v1/connections/00000000-0000-4000-8000-000000000000/tokens')).statusCode).toBe(404);
      expect((await api(t, 'POST', '/api/v1/connections/00000000-0000-4000-8000-000000000000/tokens', {})).statusCode).toBe(404);
    });

    it('never leaves a connection without a live token when two revocations race', async () => {
      for (let round = 0; round < 3; round++) {
        await createTenant(t, `race-${round}`);
        const c = await createConnection(t, `race-${round}`);
        await api(t, 'POST', `/api/v1/connections/${c.id}/tokens`, {});
        const ids = (await api(t, 'GET', `/api/v1/connections/${c.id}/tokens`)).json().items.map((i: { id: string }) => i.id);
        const results = await Promise.all(ids.map((id: string) => api(t, 'DELETE', `/api/v1/connections/${c.id}/tokens/${id}`)));
        expect(results.map((r) => r.statusCode).sort()).toEqual([204, 409]);
        expect((await api(t, 'GET', `/api/v1/connections/${c.id}/tokens`)).json().items).toHaveLength(1);
      }
    });

    it('issues tokens that expire (expiresIn or expiresAt); an expired token is refused and may be revoked', async () => {
      const soon = (await api(t, 'POST', `/api/v1/connections/${conn.id}/tokens`, { expiresIn: 3600 })).json();
      expect(Date.parse(soon.expiresAt) - Date.now()).toBeGreaterThan(3_590_000);
      expect((await scimGet(t, conn.id, soon.token)).statusCode).toBe(200);
      const at = new Date(Date.now() + 86_400_000).toISOString();
      const dated = (await api(t, 'POST', `/api/v1/connections/${conn.id}/tokens`, { expiresAt: at })).json();
      expect(dated.expiresAt).toBe(at);
      // Time passes: the token stops working at its expiry, though this process resolved it a moment ago.
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.parse(soon.expiresAt) + 1000);
        expect((await scimGet(t, conn.id, soon.token)).statusCode).toBe(401);
      } finally {
        vi.useRealTimers();
      }
      // And as stored (an expiry moved in the database), once another process's resolution has run out.
      await t.db.kysely.updateTable('connection_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', soon.id).execute();
      await t.app.services.connections.scimAccessChanged();
      expect((await scimGet(t, conn.id, soon.token)).statusCode).toBe(401);
      const listed = (await api(t, 'GET', `/api/v1/connections/${conn.id}/tokens`)).json().items.find((i: { id: string }) => i.id === soon.id);
      expect(listed.expired).toBe(true);
      expect((await api(t, 'DELETE', `/api/v1/connections/${conn.id}/tokens/${soon.id}`)).statusCode).toBe(204);
      for (const [body, field] of [
        [{ expiresIn: 10 }, 'expiresIn'],
        [{ expiresIn: 3600, expiresAt: at }, 'expiresAt'],
        [{ expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
        [{ expiresAt: 'tomorrow' }, 'expiresAt'],
        [{ secret: 'mine' }, 'secret'],
      ] as const) {
        const res = await api(t, 'POST', `/api/v1/connections/${conn.id}/tokens`, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().field).toBe(field);
      }
    });

    it('caps live tokens per connection', async () => {
      await createTenant(t, 'many');
      const c = await createConnection(t, 'many');
      for (let i = 1; i < 20; i++) expect((await api(t, 'POST', `/api/v1/connections/${c.id}/tokens`, {})).statusCode).toBe(201);
      const res = await api(t, 'POST', `/api/v1/connections/${c.id}/tokens`, {});
      expect(res.statusCode).toBe(409);
    });

    // A user token with the write permission may manage its own tenant's tokens once self-service is on
    // (test/self-service/token-rotation.test.ts); here it is off, and the IP allowlist never takes one.
    it('refuses SCIM tokens, and user tokens while self-service is off', async () => {
      const url = `/api/v1/connections/${conn.id}/tokens`;
      expect((await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${conn.token}` }, payload: {} })).statusCode).toBe(401);
      const minted = await t.app.inject({
        method: 'POST', url: '/api/v1/user-tokens', headers: { authorization: t.auth },
        payload: { tenantId: 'tokens', userId: 'admin', permissions: ['fe.secure.read.provisioningConfiguration', 'fe.secure.write.provisioningConfiguration', 'fe.secure.delete.provisioningConfiguration'] },
      });
      if (minted.statusCode === 201) {
        const userToken = `Bearer ${minted.json().token}`;
        for (const method of ['GET', 'POST'] as const) {
          const res = await t.app.inject({ method, url, headers: { authorization: userToken }, ...(method === 'POST' ? { payload: {} } : {}) });
          expect([401, 403], `${method} with a user token`).toContain(res.statusCode);
        }
        const put = await t.app.inject({ method: 'PUT', url: `/api/v1/connections/${conn.id}/ip-allowlist`, headers: { authorization: userToken }, payload: { ipAllowlist: [] } });
        expect([401, 403]).toContain(put.statusCode);
      }
    });
  });

  describe(`connection IP allowlist [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let conn: { id: string; token: string };
    const url = () => `/api/v1/connections/${conn.id}/ip-allowlist`;

    beforeAll(async () => {
      await createTenant(t, 'allow');
      conn = await createConnection(t, 'allow');
    });

    it('allows every address until a list is set; then 403 outside it, for IPv4 and IPv6', async () => {
      expect((await api(t, 'GET', url())).json()).toEqual({ ipAllowlist: [] });
      expect((await scimGet(t, conn.id, conn.token, { remoteAddress: '198.51.100.7' })).statusCode).toBe(200);
      const set = await api(t, 'PUT', url(), { ipAllowlist: ['203.0.113.0/24', ' 2001:DB8::/32 ', '192.0.2.10', '203.0.113.0/24'] });
      expect(set.statusCode).toBe(200);
      expect(set.json()).toEqual({ ipAllowlist: ['203.0.113.0/24', '2001:db8::/32', '192.0.2.10'] });
      expect((await api(t, 'GET', url())).json()).toEqual(set.json());
      for (const inside of ['203.0.113.9', '::ffff:203.0.113.200', '2001:db8:42::1', '192.0.2.10']) {
        expect((await scimGet(t, conn.id, conn.token, { remoteAddress: inside })).statusCode, inside).toBe(200);
      }
      for (const outside of ['198.51.100.7', '127.0.0.1', '192.0.2.11', '2001:db9::1', '::1']) {
        const res = await scimGet(t, conn.id, conn.token, { remoteAddress: outside });
        expect(res.statusCode, outside).toBe(403);
        expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
        expect(res.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '403', detail: expect.stringContaining(outside) });
      }
      // A bad token from outside is still a 401: the list never tells a stranger a token is good.
      expect((await scimGet(t, conn.id, 'rc_scim_wrong', { remoteAddress: '198.51.100.7' })).statusCode).toBe(401);
      // Management is not restricted by a connection's list.
      expect((await t.app.inject({ url: `${CONFIGS}/${conn.id}`, remoteAddress: '198.51.100.7', headers: { authorization: t.auth } })).statusCode).toBe(200);
      // An empty list lifts the restriction at once.
      expect((await api(t, 'PUT', url(), { ipAllowlist: [] })).json()).toEqual({ ipAllowlist: [] });
      expect((await scimGet(t, conn.id, conn.token, { remoteAddress: '198.51.100.7' })).statusCode).toBe(200);
    });

    it('rejects what is not an address or CIDR block, naming the entry', async () => {
      for (const [entry, index] of [['10.0.0.0/33', 1], ['not-an-ip', 1], ['2001:db8::/129', 1], ['10.0.0.1/8/2', 1], ['fe80::1%eth0', 1]] as const) {
        const res = await api(t, 'PUT', url(), { ipAllowlist: ['10.0.0.0/8', entry] });
        expect(res.statusCode, entry).toBe(400);
        expect(res.json()).toMatchObject({ code: 'validation_failed', field: `ipAllowlist.${index}` });
      }
      expect((await api(t, 'PUT', url(), { ipAllowlist: Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`) })).statusCode).toBe(400);
      expect((await api(t, 'PUT', url(), {})).statusCode).toBe(400);
      expect((await api(t, 'PUT', '/api/v1/connections/00000000-0000-4000-8000-000000000000/ip-allowlist', { ipAllowlist: [] })).statusCode).toBe(404);
    });

    it('goes with its connection when the connection is deleted', async () => {
      await createTenant(t, 'allow-gone');
      const c = await createConnection(t, 'allow-gone');
      await api(t, 'PUT', `/api/v1/connections/${c.id}/ip-allowlist`, { ipAllowlist: ['10.0.0.0/8'] });
      expect((await t.app.inject({ method: 'DELETE', url: `${CONFIGS}/${c.id}`, headers: { authorization: t.auth } })).statusCode).toBe(204);
      const rows = await t.db.kysely.selectFrom('connection_ip_allowlists' as never).selectAll().execute();
      expect(rows.filter((r: { connection_id?: string }) => r.connection_id === c.id)).toEqual([]);
    });
  });

  describe(`IP allowlist behind a trusted proxy [${dialect}]`, () => {
    const t = useTestApp(dialect, { TRUST_PROXY: '10.0.0.0/8' });

    it('takes the client address from X-Forwarded-For only when the proxy is trusted', async () => {
      await createTenant(t, 'proxied');
      const conn = await createConnection(t, 'proxied');
      await api(t, 'PUT', `/api/v1/connections/${conn.id}/ip-allowlist`, { ipAllowlist: ['203.0.113.0/24'] });
      const forwarded = { 'x-forwarded-for': '203.0.113.5' };
      expect((await scimGet(t, conn.id, conn.token, { remoteAddress: '10.1.2.3', headers: forwarded })).statusCode).toBe(200);
      // The same header from an address that is not a trusted proxy is ignored.
      expect((await scimGet(t, conn.id, conn.token, { remoteAddress: '198.51.100.1', headers: forwarded })).statusCode).toBe(403);
    });
  });
}
