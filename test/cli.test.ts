import { describe, expect, it } from 'vitest';
import { createTestDatabase, dialectsUnderTest } from './support/databases.js';
import { runCli, startServe } from './support/process.js';

describe('rollcall CLI', () => {
  it('documents its commands in --help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['serve', 'migrate', 'credentials']) expect(stdout).toContain(command);
    const sub = await runCli(['credentials', '--help']);
    expect(sub.stdout).toContain('create');
  });

  it('stops on a bad configuration value with one clear line', async () => {
    const { code, stderr } = await runCli(['serve'], { PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual(['rollcall: configuration error: PORT must be a whole number, got "eighty"']);
  });
});

for (const dialect of dialectsUnderTest()) {
  describe(`rollcall serve [${dialect}]`, () => {
    it('creates a credential on first start, prints it once, and keeps data across restarts', async () => {
      const database = await createTestDatabase(dialect);
      try {
        const env = { DATABASE_URL: database.url };
        const first = await startServe(env);
        const clientId = /clientId: (\S+)/.exec(first.output())?.[1];
        const secret = /secret: +(\S+)/.exec(first.output())?.[1];
        expect(clientId).toBeDefined();
        expect(secret).toMatch(/^rc_secret_/);
        // The real addresses to use it at (PUBLIC_URL defaults to http://localhost:$PORT), no placeholder.
        const port = new URL(first.url).port;
        expect(first.output()).toContain(`Sign in to the dashboard: http://localhost:${port}/dashboard`);
        expect(first.output()).toContain(`curl -X POST http://localhost:${port}/auth/vendor`);
        expect(first.output()).not.toContain('<url>');
        const { token } = (await (await fetch(`${first.url}/auth/vendor`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ clientId, secret }) })).json()) as { token: string };
        const created = await fetch(`${first.url}/tenants/resources/tenants/v1`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ tenantId: 'survivor', name: 'Survivor' }),
        });
        expect(created.status).toBe(201);
        expect(await first.stop()).toBe(0);

        const second = await startServe(env);
        expect(second.output()).not.toContain('secret:');
        const again = await fetch(`${second.url}/tenants/resources/tenants/v1/survivor`, { headers: { authorization: `Bearer ${token}` } });
        expect(again.status).toBe(200);
        expect(await second.stop()).toBe(0);
      } finally {
        await database.drop();
      }
    });

    it('registers ROLLCALL_CLIENT_ID/SECRET, and credentials create makes another', async () => {
      const database = await createTestDatabase(dialect);
      try {
        const env = { DATABASE_URL: database.url, ROLLCALL_CLIENT_ID: 'automation', ROLLCALL_CLIENT_SECRET: 'an-automation-secret-0123456789' };
        expect((await runCli(['migrate'], env)).code).toBe(0);
        expect((await runCli(['migrate'], env)).stdout).toContain('up to date');
        const made = await runCli(['credentials', 'create', '--json', '--name', 'ops'], { DATABASE_URL: database.url });
        expect(made.code).toBe(0);
        const extra = JSON.parse(made.stdout);
        const server = await startServe(env);
        try {
          expect(server.output()).not.toContain('secret:');
          for (const body of [{ clientId: 'automation', secret: env.ROLLCALL_CLIENT_SECRET }, extra]) {
            const res = await fetch(`${server.url}/auth/vendor`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
            expect(res.status).toBe(200);
          }
        } finally {
          await server.stop();
        }
      } finally {
        await database.drop();
      }
    });
  });
}
