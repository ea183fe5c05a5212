/**
 * Two `rollcall serve` processes on one database: whatever changes what a SCIM token opens, made
 * through one process, holds on the other's very next request — though that process has just used the
 * token and keeps resolved tokens in memory (src/connections/scim-auth-cache.ts). A revoked token, a
 * deleted connection or tenant: 401; an IP allowlist that leaves the caller out: 403; compatibility
 * switches answer by their new values; attribute mappings apply to the next write, and the
 * re-evaluation of existing users runs once across both. The processes are started once for the
 * whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../support/databases.js';
import type { ServeProcess } from '../support/process.js';
import { call, createConnection, envAuth, kill9, scim, serve, type Conn } from './cluster.js';

/** Many 401s from one address on purpose: the throttle is for another test (test/security/abuse-limits.test.ts). */
const ENV = { SCIM_RATE_LIMIT: '0', AUTH_FAILURE_LIMIT: '0' };
/** Rounds of each change: a race would show in some of them. */
const ROUNDS = 3;

for (const dialect of dialectsUnderTest()) {
  describe(`access changes on one process hold on the other's next request [${dialect}]`, () => {
    let database: TestDatabase;
    let a: ServeProcess;
    let b: ServeProcess;
    let auth: string;
    let n = 0;
    const api = (method: string, path: string, body?: unknown) => call(`${a.url}${path}`, { method, body, headers: { authorization: auth } });

    /** A fresh tenant and connection, made through A. */
    const connection = () => createConnection(a.url, auth, `revoke-${dialect}-${n++}`);

    /** Uses the token on B until B has surely resolved and kept it. */
    async function warm(conn: Conn): Promise<void> {
      for (let i = 0; i < 3; i++) expect((await scim(b.url, conn, 'GET', '/Users')).status).toBe(200);
    }

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      [a, b] = await Promise.all([serve(database.url, ENV), serve(database.url, ENV)]);
      auth = await envAuth(a.url);
    });
    afterAll(async () => {
      for (const p of [a, b]) if (p) await kill9(p);
      await database?.drop();
    });

    it('refuses a token revoked on A at once on B (401)', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const conn = await connection();
        const issued = await api('POST', `/api/v1/connections/${conn.id}/tokens`, {});
        expect(issued.status, issued.text).toBe(201);
        const second = issued.body;
        const tokens = (await api('GET', `/api/v1/connections/${conn.id}/tokens`)).body.items;
        const first = tokens.find((item: { id: string }) => item.id !== second.id);
        await warm(conn);
        expect((await api('DELETE', `/api/v1/connections/${conn.id}/tokens/${first.id}`)).status).toBe(204);
        const after = await scim(b.url, conn, 'GET', '/Users');
        expect(after.status, after.text).toBe(401);
        // The replacement works on both.
        expect((await scim(b.url, { ...conn, token: second.token }, 'GET', '/Users')).status).toBe(200);
        expect((await scim(a.url, { ...conn, token: second.token }, 'GET', '/Users')).status).toBe(200);
      }
    });

    it('applies an IP allowlist changed on A at once on B (403, then 200 when lifted)', async () => {
      const conn = await connection();
      for (let round = 0; round < ROUNDS; round++) {
        await warm(conn);
        expect((await api('PUT', `/api/v1/connections/${conn.id}/ip-allowlist`, { ipAllowlist: ['192.0.2.0/24'] })).status).toBe(200);
        const shut = await scim(b.url, conn, 'GET', '/Users');
        expect(shut.status, shut.text).toBe(403);
        expect((await api('PUT', `/api/v1/connections/${conn.id}/ip-allowlist`, { ipAllowlist: [] })).status).toBe(200);
        expect((await scim(b.url, conn, 'GET', '/Users')).status).toBe(200);
      }
    });

    it('answers by the compatibility switches changed on A at once on B', async () => {
      const conn = await connection();
      const filter = `/Users?filter=${encodeURIComponent('userName eq jdoe@acme.com')}`;
      for (let round = 0; round < ROUNDS; round++) {
        await warm(conn);
        expect((await scim(b.url, conn, 'GET', filter)).status).toBe(400);
        expect((await api('PUT', `/api/v1/connections/${conn.id}/compatibility`, { unquotedFilterValues: true })).status).toBe(200);
        const bare = await scim(b.url, conn, 'GET', filter);
        expect(bare.status, bare.text).toBe(200);
        expect((await api('PUT', `/api/v1/connections/${conn.id}/compatibility`, { unquotedFilterValues: null })).status).toBe(200);
      }
    });

    it('writes by attribute mappings changed on A at once on B, and re-evaluates existing users once across both', async () => {
      const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
      const user = (userName: string) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', enterprise], userName, title: `Title of ${userName}`, [enterprise]: { department: 'R&D' } });
      expect((await api('PUT', '/api/v1/attributes', { predefined: ['department'], custom: [] })).status).toBe(200);
      const conn = await connection();
      await warm(conn);
      const first = await scim(b.url, conn, 'POST', '/Users', user('first'));
      expect(first.status, first.text).toBe(201);
      expect((await api('GET', `/api/v1/users/${first.body.id}`)).body.attributes).toEqual({ department: 'R&D' });
      expect((await api('PUT', `/api/v1/connections/${conn.id}/attribute-mappings`, { mappings: { department: 'title' } })).status).toBe(200);
      const second = await scim(b.url, conn, 'POST', '/Users', user('second'));
      expect((await api('GET', `/api/v1/users/${second.body.id}`)).body.attributes).toEqual({ department: 'Title of second' });
      // The background job (one process per pass) re-evaluates the user written before the change.
      const deadline = Date.now() + 20_000;
      while ((await api('GET', `/api/v1/connections/${conn.id}/attribute-mappings`)).body.evaluation.state !== 'idle' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect((await api('GET', `/api/v1/users/${first.body.id}`)).body.attributes).toEqual({ department: 'Title of first' });
      // PostgreSQL's feed shows a commit once no older transaction of the server is open: other files share it.
      let events: { data: { id: string; changedAttributes: string[] } }[] = [];
      while (events.length === 0 && Date.now() < deadline + 10_000) {
        events = (await api('GET', `/api/v1/events?tenantId=${conn.tenantId}&types=user.updated`)).body.items;
        if (events.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(events.map((e) => [e.data.id, e.data.changedAttributes])).toEqual([[first.body.id, ['attributes.department']]]);
      expect((await api('PUT', '/api/v1/attributes', { predefined: [], custom: [] })).status).toBe(200);
    });

    it('refuses the token of a connection deleted on A at once on B (401)', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const conn = await connection();
        await warm(conn);
        expect((await api('DELETE', `/directory/resources/v1/configurations/scim2/${conn.id}`)).status).toBe(204);
        expect((await scim(b.url, conn, 'GET', '/Users')).status).toBe(401);
      }
    });

    it('refuses the tokens of a tenant deleted on A at once on B (401)', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const conn = await connection();
        await warm(conn);
        expect((await api('DELETE', `/tenants/resources/tenants/v1/${conn.tenantId}`)).status).toBe(204);
        expect((await scim(b.url, conn, 'GET', '/Users')).status).toBe(401);
      }
    });

    it('stops staging on B at once when A turns syncToUserManagement off', async () => {
      const conn = await connection();
      await warm(conn);
      expect((await api('PATCH', `/directory/resources/v1/configurations/scim2/${conn.id}`, { syncToUserManagement: false })).status).toBe(204);
      const created = await scim(b.url, conn, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'staged.user' });
      expect(created.status, created.text).toBe(201);
      // A staging connection writes no events for the app: B knew of the change when it wrote.
      const events = await api('GET', `/api/v1/events?tenantId=${conn.tenantId}&types=user.created`);
      expect(events.body.items).toEqual([]);
    });
  });
}
