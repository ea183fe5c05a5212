import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { createConnection, createTenant } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';

for (const dialect of dialectsUnderTest()) {
  describe(`SCIM request log [${dialect}]`, () => {
    const t = useTestApp(dialect);
    let conn: { id: string; token: string };
    let other: { id: string; token: string };
    const scim = (c: { id: string; token: string }, method: 'GET' | 'POST' | 'PATCH', path: string, payload?: unknown, token = c.token) =>
      t.app.inject({ method, url: `/directory/resources/scim/v2.0/${c.id}${path}`, headers: { authorization: `Bearer ${token}`, 'user-agent': 'Okta SCIM Client 1.0.0' }, payload: payload as object });
    const logs = async (query: string) => {
      await t.app.requestLog.flush();
      const res = await t.app.inject({ url: `/api/v1/logs?${query}`, headers: { authorization: t.auth } });
      expect(res.statusCode).toBe(200);
      return res.json();
    };

    it('records every SCIM request with status, error, user agent and a redacted body', async () => {
      await createTenant(t, 'logged');
      await createTenant(t, 'elsewhere');
      conn = await createConnection(t, 'logged');
      other = await createConnection(t, 'elsewhere');
      expect((await scim(conn, 'POST', '/Users', { userName: 'log@x.test', password: 'hunter2-secret' })).statusCode).toBe(201);
      expect((await scim(conn, 'POST', '/Users', { userName: 'LOG@x.test' })).statusCode).toBe(409);
      expect((await scim(conn, 'GET', '/Users?filter=userName%20eq')).statusCode).toBe(400);
      expect((await scim(conn, 'GET', '/Users', undefined, 'rc_scim_wrong')).statusCode).toBe(401);
      expect((await scim(other, 'GET', '/Users')).statusCode).toBe(200);

      const page = await logs(`connectionId=${conn.id}`);
      expect(page.items.map((e: { status: number }) => e.status)).toEqual([401, 400, 409, 201]);
      const [unauthorized, badFilter, conflict, created] = page.items;
      expect(created).toMatchObject({ tenantId: 'logged', method: 'POST', path: '/Users', userAgent: 'Okta SCIM Client 1.0.0' });
      expect(created.body).toEqual({ userName: 'log@x.test', password: '[redacted]' });
      expect(JSON.stringify(page)).not.toContain('hunter2');
      expect(conflict).toMatchObject({ scimType: 'uniqueness' });
      expect(conflict.detail).toContain('already in use');
      expect(badFilter).toMatchObject({ scimType: 'invalidFilter', query: 'filter=userName eq' });
      expect(unauthorized).toMatchObject({ tenantId: 'logged', status: 401 });
      expect(created.durationMs).toBeGreaterThanOrEqual(0);
    });

    it('filters by tenant, status class and time, and pages with a cursor', async () => {
      expect((await logs('tenantId=elsewhere')).items).toHaveLength(1);
      expect((await logs(`connectionId=${conn.id}&status=4xx`)).items).toHaveLength(3);
      expect((await logs(`connectionId=${conn.id}&status=error`)).items).toHaveLength(3);
      expect((await logs(`connectionId=${conn.id}&status=201`)).items).toHaveLength(1);
      expect((await logs(`connectionId=${conn.id}&from=2999-01-01T00:00:00Z`)).items).toHaveLength(0);
      const first = await logs(`connectionId=${conn.id}&limit=3`);
      const second = await logs(`connectionId=${conn.id}&limit=3&cursor=${first.nextCursor}`);
      expect([...first.items, ...second.items].map((e: { status: number }) => e.status)).toEqual([401, 400, 409, 201]);
      const bad = await t.app.inject({ url: '/api/v1/logs?status=teapot', headers: { authorization: t.auth } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().field).toBe('querystring.status');
      expect((await t.app.inject({ url: '/api/v1/logs' })).statusCode).toBe(401);
    });

    it('summarises each connection: requests, errors, last error, last success', async () => {
      await t.app.requestLog.flush();
      const res = (await t.app.inject({ url: '/api/v1/logs/summary?tenantId=logged', headers: { authorization: t.auth } })).json();
      expect(res.items).toHaveLength(1);
      expect(res.items[0]).toMatchObject({ connectionId: conn.id, requests: 4, errors: 3, lastError: { status: 401 } });
      expect(res.items[0].lastSuccessAt).not.toBeNull();
    });

    it('keeps a flush whose rows carry U+0000, written as U+FFFD (PostgreSQL text cannot hold it)', async () => {
      const nul = await scim(conn, 'GET', '/Users?filter=userName%20eq%20%22a%00b%22');
      expect(nul.statusCode).toBe(400);
      const bad = await scim(conn, 'GET', '/Users?filter=userName%20zz%20%22%00%22');
      expect(bad.statusCode).toBe(400);
      expect((await scim(conn, 'GET', '/Users?count=1')).statusCode).toBe(200);
      const items = (await logs(`connectionId=${conn.id}&limit=3`)).items as { query: string; detail: string | null }[];
      expect(items.map((e) => e.query)).toEqual(['count=1', 'filter=userName zz "\uFFFD"', 'filter=userName eq "a\uFFFDb"']);
      expect(JSON.stringify(items)).not.toContain('\\u0000');
      await t.db.kysely.deleteFrom('request_logs').where('query', 'in', items.map((e) => e.query)).execute();
    });

    it('drops requests for connections that do not exist, and keeps within retention', async () => {
      const res = await t.app.inject({ url: '/directory/resources/scim/v2.0/no-such-connection/Users', headers: { authorization: 'Bearer rc_scim_x' } });
      expect(res.statusCode).toBe(401);
      const all = await logs('limit=500');
      expect(all.items.some((e: { connectionId: string }) => e.connectionId === 'no-such-connection')).toBe(false);

      await t.db.kysely.updateTable('request_logs').set({ created_at: '2000-01-01T00:00:00.000Z' }).where('connection_id', '=', other.id).execute();
      const job = t.app.services.jobs.find((j) => j.name === 'request-logs.retention')!;
      await job.run();
      expect((await logs('tenantId=elsewhere')).items).toHaveLength(0);
      expect((await logs(`connectionId=${conn.id}`)).items).toHaveLength(4);
    });
  });
}
