/**
 * GET /readyz: 200 when the process serves and the database answers; 503 while draining for
 * shutdown (while /healthz, liveness, stays 200) and when the database is gone. While draining,
 * responses ask clients to reconnect (Connection: close) so that keep-alive traffic moves away.
 */
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase, dialectsUnderTest } from '../support/databases.js';
import { freePort } from '../support/process.js';
import { useTestApp } from '../support/test-app.js';

for (const dialect of dialectsUnderTest()) {
  describe(`readiness [${dialect}]`, () => {
    const t = useTestApp(dialect);

    it('answers 200 when ready, 503 while draining, and closes connections while draining', async () => {
      const ready = await t.app.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready' });
      expect(ready.headers.connection).not.toBe('close');
      t.app.lifecycle.draining = true;
      try {
        const draining = await t.app.inject({ url: '/readyz' });
        expect(draining.statusCode).toBe(503);
        expect(draining.json()).toEqual({ status: 'draining' });
        const health = await t.app.inject({ url: '/healthz' });
        expect(health.statusCode).toBe(200);
        expect(health.headers.connection).toBe('close');
        // Still serving while draining.
        expect((await t.app.inject({ url: '/tenants/resources/tenants/v1', headers: { authorization: t.auth } })).statusCode).toBe(200);
      } finally {
        t.app.lifecycle.draining = false;
      }
    });

    it('stops gracefully: /readyz 503 during the drain while requests are still served, then closed', async () => {
      const database = await createTestDatabase(dialect);
      const port = await freePort();
      const config = loadConfig({ DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', ROLLCALL_CLIENT_ID: 'drain-bot', ROLLCALL_CLIENT_SECRET: 'drain-secret-0123456789abcdef' });
      const server = await startServer(config);
      try {
        expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
        const stopping = server.stop({ drainSeconds: 0.5 });
        const during = await fetch(`${server.url}/readyz`);
        expect(during.status).toBe(503);
        expect(during.headers.get('connection')).toBe('close');
        const auth = await fetch(`${server.url}/auth/vendor`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: 'drain-bot', secret: 'drain-secret-0123456789abcdef' }) });
        expect(auth.status).toBe(200);
        await stopping;
        await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
        // stop() again waits for the same shutdown.
        await server.stop();
      } finally {
        await server.stop();
        await database.drop();
      }
    });
  });
}

describe('readiness when the database is gone', () => {
  const [dialect] = dialectsUnderTest();
  const t = useTestApp(dialect);
  it('answers 503 unavailable', async () => {
    await t.db.close();
    const res = await t.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable' });
  });
});
